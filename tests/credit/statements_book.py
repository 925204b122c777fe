"""Sample statements of the credit tests, worked by hand in the tests that use them."""

from __future__ import annotations

from datetime import date

from receivables.domain.credit.statements import FinancialStatement
from receivables.domain.money import Money

SAMPLE = {
    "current_assets": "400000",
    "current_liabilities": "250000",
    "cash": "50000",
    "inventory": "150000",
    "total_assets": "1000000",
    "total_liabilities": "600000",
    "equity": "400000",
    "retained_earnings": "300000",
    "sales": "1500000",
    "ebit": "120000",
    "net_income": "80000",
    "interest_expense": "20000",
}


def statement(
    year: int = 2024, currency: str = "EUR", code: str = "MUSTER", **changes: str
) -> FinancialStatement:
    """The sample balance sheet of Muster GmbH for ``year``, with some items changed."""
    items = {**SAMPLE, **changes}
    amounts = {name: Money.of(value, currency) for name, value in items.items()}
    return FinancialStatement(code, year, date(year, 12, 31), **amounts)
