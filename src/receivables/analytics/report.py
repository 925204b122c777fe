"""The report of an as-of date: its figures, top overdue customers and monthly trend.

Amounts are exact ``Decimal`` values in the company currency, with its minor unit. Ratios (days,
turnover, percentages) are rounded once to two decimals by
:func:`receivables.domain.metrics.round_figure`, or None when their denominator is zero.

:meth:`Report.to_dict` gives the stable JSON shape documented in ``docs/metrics.md``. Dates are
ISO strings and every ``Decimal`` is a string with fixed places: amounts to the currency's minor
unit, ratios to two decimals. Counts and days are integers, and a figure without a value is
``null``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from receivables.domain.aging import AgingBuckets

if TYPE_CHECKING:
    from receivables.analytics.discounts import DiscountFigures
from receivables.domain.money import Currency

RATIO_NAMES = [
    "dso_simple", "dso_countback", "best_possible_dso", "average_days_delinquent", "turnover",
    "turnover_days", "cei", "average_days_to_pay", "average_days_late", "disputed_share",
]  # fmt: skip
AMOUNT_NAMES = [
    "total_open", "current_ar", "overdue", "disputed_amount", "unapplied_credit", "net_balance",
    "credit_sales", "ar_start",
]  # fmt: skip


@dataclass(frozen=True)
class Figures:
    """Every figure of one as-of date and its period; ``aging`` maps bucket labels to amounts."""

    as_of: date
    period_start: date
    period_days: int
    aging: dict[str, Decimal]
    total_open: Decimal
    current_ar: Decimal
    overdue: Decimal
    disputed_amount: Decimal
    unapplied_credit: Decimal
    net_balance: Decimal
    credit_sales: Decimal
    ar_start: Decimal
    open_items: int
    settled_items: int
    dso_simple: Decimal | None
    dso_countback: Decimal | None
    best_possible_dso: Decimal | None
    average_days_delinquent: Decimal | None
    turnover: Decimal | None
    turnover_days: Decimal | None
    cei: Decimal | None
    average_days_to_pay: Decimal | None
    average_days_late: Decimal | None
    disputed_share: Decimal | None

    def to_dict(self, currency: Currency) -> dict[str, Any]:
        result: dict[str, Any] = {
            "as_of": self.as_of.isoformat(),
            "period_start": self.period_start.isoformat(),
            "period_days": self.period_days,
            "aging": {label: amount_text(value, currency) for label, value in self.aging.items()},
        }
        result.update({name: amount_text(getattr(self, name), currency) for name in AMOUNT_NAMES})
        result.update({"open_items": self.open_items, "settled_items": self.settled_items})
        result.update({name: ratio_text(getattr(self, name)) for name in RATIO_NAMES})
        return result


@dataclass(frozen=True)
class CustomerLine:
    """One of the customers with the most overdue, as of the report date."""

    customer_code: str
    name: str
    total_open: Decimal
    overdue: Decimal
    oldest_days_past_due: int
    disputed_amount: Decimal
    dso_simple: Decimal | None

    def to_dict(self, currency: Currency) -> dict[str, Any]:
        return {
            "customer_code": self.customer_code,
            "name": self.name,
            "total_open": amount_text(self.total_open, currency),
            "overdue": amount_text(self.overdue, currency),
            "oldest_days_past_due": self.oldest_days_past_due,
            "disputed_amount": amount_text(self.disputed_amount, currency),
            "dso_simple": ratio_text(self.dso_simple),
        }


@dataclass(frozen=True)
class Report:
    """The receivables report of ``figures.as_of`` in ``currency``, for all customers or one."""

    currency: Currency
    buckets: AgingBuckets
    figures: Figures
    customer_code: str | None = None
    top_customers: list[CustomerLine] = field(default_factory=list)
    trend: list[Figures] = field(default_factory=list)
    sections: dict[str, Any] = field(default_factory=dict)
    """Optional JSON-ready sections computed outside analytics (``credit``, ``cash_application``)."""
    discounts: DiscountFigures | None = None
    """Take rate and cost of early-payment discounts in the period; see ``analytics.discounts``."""

    @property
    def as_of(self) -> date:
        return self.figures.as_of

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON shape of the report: the headline figures, then the trend and the customers."""
        headline = self.figures.to_dict(self.currency)
        result = {
            "as_of": headline.pop("as_of"),
            "currency": self.currency.code,
            "customer": self.customer_code,
            "aging_basis": self.buckets.basis.value,
            "bucket_edges": list(self.buckets.edges),
            **headline,
            "trend": [point.to_dict(self.currency) for point in self.trend],
            "top_customers": [line.to_dict(self.currency) for line in self.top_customers],
            "discounts": None if self.discounts is None else self.discounts.to_dict(self.currency),
        }
        result.update(self.sections)
        return result


def amount_text(value: Decimal, currency: Currency) -> str:
    """Format an amount with exactly the currency's decimals, without exponent: ``1234.50``."""
    return format(value.quantize(currency.quantum), "f")


def ratio_text(value: Decimal | None) -> str | None:
    """Format a rounded figure with its two decimals, or return None."""
    return None if value is None else format(value, "f")
