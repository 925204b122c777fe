"""From integer totals to the figures of a report, with the formulas of ``domain.metrics``.

The totals are company-currency minor units. They become exact ``Decimal`` amounts, and the ratios
are computed exactly from them and rounded once, here, with ``round_figure``. A ratio whose
denominator is zero (no credit sales, no receivables, nothing settled) is None.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from receivables.analytics.report import Figures
from receivables.analytics.snapshot import Period
from receivables.analytics.totals import bucket_columns
from receivables.domain import metrics
from receivables.domain.aging import AgingBuckets
from receivables.domain.metrics import MonthSales, round_figure
from receivables.domain.money import Currency


def build_figures(
    totals: Mapping[str, int | None],
    period: Period,
    buckets: AgingBuckets,
    company: Currency,
    months: Sequence[MonthSales],
) -> Figures:
    """Compute the figures of ``period`` from the company totals and the countback months."""

    def amount(name: str) -> Decimal:
        return Decimal(totals[name] or 0).scaleb(-company.minor_unit)

    ar_end, current, sales, ar_start = (
        amount(n) for n in ("total_open", "current_ar", "credit_sales", "ar_start")
    )
    ratios = _ratios(ar_start, ar_end, current, sales, Decimal(period.days), months)
    ratios.update(_payment_ratios(totals))
    disputed = amount("disputed_open")
    ratios["disputed_share"] = None if ar_end == 0 else disputed / ar_end * 100
    aging = {label: amount(name) for label, name in zip(buckets.labels, bucket_columns(buckets), strict=True)}
    return Figures(
        as_of=period.as_of,
        period_start=period.start,
        period_days=period.days,
        aging=aging,
        total_open=ar_end,
        current_ar=current,
        overdue=ar_end - current,
        disputed_amount=disputed,
        unapplied_credit=amount("unapplied_credit"),
        net_balance=ar_end - amount("unapplied_credit"),
        credit_sales=sales,
        ar_start=ar_start,
        open_items=int(totals["open_items"] or 0),
        settled_items=int(totals["settled_items"] or 0),
        **{name: round_figure(value) for name, value in ratios.items()},
    )


def _ratios(
    ar_start: Decimal,
    ar_end: Decimal,
    current: Decimal,
    sales: Decimal,
    days: Decimal,
    months: Sequence[MonthSales],
) -> dict[str, Decimal | None]:
    dso = best = turnover = turnover_days = None
    if sales != 0:
        dso = metrics.dso_simple(ar_end, sales, days)
        best = metrics.best_possible_dso(current, sales, days)
    if ar_start + ar_end != 0:
        turnover = metrics.turnover(sales, ar_start, ar_end)
        turnover_days = None if turnover == 0 else metrics.turnover_days(days, turnover)
    collectible = ar_start + sales - current
    countback = metrics.dso_countback(ar_end, months) if any(m.sales > 0 for m in months) else None
    return {
        "dso_simple": dso,
        "dso_countback": countback,
        "best_possible_dso": best,
        "average_days_delinquent": None
        if dso is None or best is None
        else metrics.average_days_delinquent(dso, best),
        "turnover": turnover,
        "turnover_days": turnover_days,
        "cei": None if collectible == 0 else metrics.cei(ar_start, sales, ar_end, current),
    }


def _payment_ratios(totals: Mapping[str, int | None]) -> dict[str, Decimal | None]:
    """Compute the amount-weighted average days to pay and days late of items settled in the period."""
    weight = Decimal(totals["settled_amount"] or 0)
    if weight == 0:
        return {"average_days_to_pay": None, "average_days_late": None}
    return {
        "average_days_to_pay": Decimal(totals["days_to_pay_weighted"] or 0) / weight,
        "average_days_late": Decimal(totals["days_late_weighted"] or 0) / weight,
    }
