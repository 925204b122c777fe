"""Liquidity, leverage and profitability ratios of a financial statement.

Each ratio is the exact quotient of two statement items rounded half-up to two decimals (see
:mod:`receivables.domain.credit.rounding`); net margin is in percent. A ratio whose denominator is
zero, or whose meaning breaks (debt to equity when equity is not positive), has no value and a
note that says why, so a missing figure never reads as zero.

=====================  =====================================================
ratio                  formula
=====================  =====================================================
``current_ratio``      current assets / current liabilities
``quick_ratio``        (current assets - inventory) / current liabilities
``cash_ratio``         cash / current liabilities
``debt_to_equity``     total liabilities / equity, only for positive equity
``interest_coverage``  EBIT / interest expense
``net_margin``         net income / sales * 100
=====================  =====================================================
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from receivables.domain.credit.rounding import divide_half_up, percent_half_up
from receivables.domain.credit.statements import FinancialStatement

RATIO_NAMES = (
    "current_ratio",
    "quick_ratio",
    "cash_ratio",
    "debt_to_equity",
    "interest_coverage",
    "net_margin",
)


@dataclass(frozen=True, slots=True)
class Ratio:
    """A ratio's value, or ``None`` with the ``note`` that says why it has none."""

    name: str
    value: Decimal | None
    note: str | None = None


def _quotient(name: str, numerator: int, denominator: int, missing: str) -> Ratio:
    if denominator == 0:
        return Ratio(name, None, missing)
    return Ratio(name, divide_half_up(numerator, denominator))


def financial_ratios(statement: FinancialStatement) -> dict[str, Ratio]:
    """Every ratio of ``statement``, by name."""
    minor = statement.minor
    liabilities = minor("current_liabilities")
    no_liabilities = "current liabilities are zero"
    equity = minor("equity")
    if equity > 0:
        leverage = Ratio("debt_to_equity", divide_half_up(minor("total_liabilities"), equity))
    else:
        reason = "negative equity" if equity < 0 else "equity is zero"
        leverage = Ratio("debt_to_equity", None, f"{reason}: debt to equity has no meaning")
    ratios = [
        _quotient("current_ratio", minor("current_assets"), liabilities, no_liabilities),
        _quotient(
            "quick_ratio", minor("current_assets") - minor("inventory"), liabilities, no_liabilities
        ),
        _quotient("cash_ratio", minor("cash"), liabilities, no_liabilities),
        leverage,
        _quotient(
            "interest_coverage", minor("ebit"), minor("interest_expense"), "no interest expense"
        ),
    ]
    sales = minor("sales")
    if sales == 0:
        ratios.append(Ratio("net_margin", None, "sales are zero"))
    else:
        ratios.append(Ratio("net_margin", percent_half_up(minor("net_income"), sales)))
    return {ratio.name: ratio for ratio in ratios}
