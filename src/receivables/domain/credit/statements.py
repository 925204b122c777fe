"""Financial statements of a customer's fiscal year, and the checks that make them usable.

Every amount is money in the statement's currency. Asset and liability items, sales and interest
expense may not be negative; equity, retained earnings, EBIT and net income may. A statement
whose total assets are not positive cannot describe a going business and is rejected, because
every Altman component divides by total assets.

A balance sheet whose total assets differ from total liabilities plus equity by more than 1 % is
kept, but :meth:`FinancialStatement.notes` says so: minority interests or provisions shown apart
can explain the gap, a typing error can too.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal

from receivables.domain.credit.errors import InvalidStatementError
from receivables.domain.money import Currency, Money

# Statement items that may not be negative.
NON_NEGATIVE = (
    "current_assets",
    "current_liabilities",
    "cash",
    "inventory",
    "total_assets",
    "total_liabilities",
    "sales",
    "interest_expense",
)
# Statement items that may be negative.
SIGNED = ("equity", "retained_earnings", "ebit", "net_income")
AMOUNT_FIELDS = (*NON_NEGATIVE, *SIGNED)
BALANCE_TOLERANCE = Decimal("0.01")
# Amounts up to 10**15 minor units keep the Altman numerator within 128-bit integers.
MAX_MINOR_UNITS = 10**15


@dataclass(frozen=True, slots=True)
class FinancialStatement:
    """The balance sheet and income statement of one fiscal year, ending on ``period_end``."""

    customer_code: str
    fiscal_year: int
    period_end: date
    current_assets: Money
    current_liabilities: Money
    cash: Money
    inventory: Money
    total_assets: Money
    total_liabilities: Money
    equity: Money
    retained_earnings: Money
    sales: Money
    ebit: Money
    net_income: Money
    interest_expense: Money

    def __post_init__(self) -> None:
        currency = self.total_assets.currency
        for name in AMOUNT_FIELDS:
            amount: Money = getattr(self, name)
            if amount.currency != currency:
                self._reject(f"{name} is in {amount.currency}, the statement in {currency}")
            if not amount.is_rounded():
                self._reject(f"{name} {amount} has more decimals than {currency} allows")
            if abs(amount.minor_units()) >= MAX_MINOR_UNITS:
                self._reject(f"{name} {amount} is too large")
            if name in NON_NEGATIVE and amount.amount < 0:
                self._reject(f"{name} {amount} is negative")
        if self.total_assets.amount <= 0:
            self._reject(
                f"total_assets {self.total_assets} must be positive: every Altman component "
                "divides by it"
            )
        if self.current_assets > self.total_assets:
            self._reject(
                f"current_assets {self.current_assets} exceed total_assets {self.total_assets}"
            )
        if self.cash > self.current_assets or self.inventory > self.current_assets:
            self._reject("cash and inventory are parts of current_assets and may not exceed it")

    def _reject(self, reason: str) -> None:
        raise InvalidStatementError(self.customer_code, self.fiscal_year, reason)

    @property
    def currency(self) -> Currency:
        return self.total_assets.currency

    def minor(self, name: str) -> int:
        """The item ``name`` in integer minor units."""
        amount: Money = getattr(self, name)
        return amount.minor_units()

    @property
    def working_capital(self) -> Money:
        """Current assets minus current liabilities."""
        return self.current_assets - self.current_liabilities

    @property
    def balance_gap(self) -> Money:
        """Total assets minus total liabilities and equity: zero on a balanced sheet."""
        return self.total_assets - self.total_liabilities - self.equity

    def notes(self) -> list[str]:
        """Facts about the statement that weaken its ratios, in words for the credit manager."""
        notes = []
        if self.equity.amount < 0:
            notes.append(f"negative equity {self.equity}: liabilities exceed assets")
        if abs(self.balance_gap.amount) > self.total_assets.amount * BALANCE_TOLERANCE:
            notes.append(
                f"total assets differ from liabilities plus equity by {self.balance_gap}, "
                "more than 1 %"
            )
        return notes


def statement_fields() -> tuple[str, ...]:
    """The names of every field of a statement, in order."""
    return tuple(item.name for item in fields(FinancialStatement))
