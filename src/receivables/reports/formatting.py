"""Number and label formats shared by the terminal and HTML renderings."""

from __future__ import annotations

from decimal import Decimal

from receivables.analytics.report import Figures
from receivables.domain.metrics import round_figure
from receivables.domain.money import Currency

MISSING = "n/a"

# Display name and unit of every ratio, in report order.
RATIO_LABELS = {
    "dso_simple": ("DSO (simple)", "days"),
    "dso_countback": ("DSO (countback)", "days"),
    "best_possible_dso": ("Best possible DSO", "days"),
    "average_days_delinquent": ("Average days delinquent", "days"),
    "turnover": ("AR turnover", "times"),
    "turnover_days": ("Turnover days", "days"),
    "cei": ("Collection effectiveness index", "%"),
    "average_days_to_pay": ("Average days to pay", "days"),
    "average_days_late": ("Average days late", "days"),
    "disputed_share": ("Share of open AR in dispute", "%"),
}
AMOUNT_LABELS = {
    "total_open": "Total open (AR)",
    "current_ar": "Current (not past due)",
    "overdue": "Overdue",
    "disputed_amount": "In dispute",
    "unapplied_credit": "Unapplied credit",
    "net_balance": "Net balance",
    "credit_sales": "Credit sales in the period",
    "ar_start": "AR at the start of the period",
}


def amount(value: Decimal, currency: Currency) -> str:
    """Format an amount with thousands separators and the currency's decimals: ``1,234,567.50``."""
    return f"{value.quantize(currency.quantum):,.{currency.minor_unit}f}"


def ratio(value: Decimal | None) -> str:
    return MISSING if value is None else f"{value:,.2f}"


def share(part: Decimal, whole: Decimal) -> str:
    """Format ``part`` as a percentage of ``whole`` with two decimals, or n/a when ``whole`` is zero."""
    return MISSING if whole == 0 else f"{round_figure(part / whole * 100)}%"


def period_text(figures: Figures) -> str:
    return f"{figures.period_start.isoformat()} to {figures.as_of.isoformat()} ({figures.period_days} days)"
