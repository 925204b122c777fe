"""The monthly trend: the report's figures at every month end of the ledger's history.

Each point is the report that ``--as-of`` that month end would give, with the configured period
(90 days by default) ending on it. The last point is the as-of date itself when it is not a month
end. Using the report's own period, rather than the calendar month, makes every point equal to a
report anyone can rerun, keeps the newest point equal to the headline figures, and smooths DSO
and CEI on ledgers where one month holds few invoices. Consecutive points share two thirds of
their 90-day periods, so the trend shows a moving figure, not month-by-month results.

Recomputing a snapshot per point would pass over the whole ledger once per month. Instead each
document becomes a few events, each a change of its open amount in company minor units:

- on its document date, ``+convert(amount)``;
- on each allocation date, ``convert(open after) - convert(open before)``, so the events of a
  document dated on or before ``t`` add up to ``convert(open at t)``, the per-item conversion of
  the snapshot.

The events are summed per evaluation date (the first point or period eve on or after the event),
per due date and per dispute flag; each point then sums that small table. Items settled in the
period and credit sales come from per-day series.
"""

from __future__ import annotations

import calendar
from datetime import date

import polars as pl

from receivables.analytics.conversion import to_company_minor
from receivables.analytics.figures import build_figures
from receivables.analytics.prepared import CompanyView, PreparedLedger
from receivables.analytics.report import Figures
from receivables.analytics.sales import countback_months, sales_between
from receivables.analytics.snapshot import EPOCH_ORDINAL, Period
from receivables.analytics.totals import bucket_columns
from receivables.domain.aging import AgingBasis, AgingBuckets

EVENT_COLUMNS = ["event_date", "delta", "count", "is_debit", "disputed", "due_date", "document_date"]


def trend_dates(history_start: date, as_of: date) -> list[date]:
    """List every month end from the month of ``history_start`` up to ``as_of``, then ``as_of`` itself."""
    dates: list[date] = []
    year, month = history_start.year, history_start.month
    while True:
        month_end = date(year, month, calendar.monthrange(year, month)[1])
        if month_end > as_of:
            break
        dates.append(month_end)
        year, month = (year, month + 1) if month < 12 else (year + 1, 1)
    if history_start <= as_of and (not dates or dates[-1] != as_of):
        dates.append(as_of)
    return dates


def monthly_trend(
    view: CompanyView,
    prepared: PreparedLedger,
    *,
    as_of: date,
    period_days: int,
    buckets: AgingBuckets,
) -> list[Figures]:
    """Compute the figures at each date of :func:`trend_dates`, oldest first."""
    history_start = prepared.first_date
    if history_start is None:
        return []
    periods = [Period(point, period_days) for point in trend_dates(history_start, as_of)]
    if not periods:
        return []
    evaluation = sorted({period.as_of for period in periods} | {period.eve for period in periods})
    grid = _event_grid(view, prepared, evaluation, buckets, as_of)
    settlements = _settlements(view, as_of)
    points = []
    for period in periods:
        totals = _point_totals(grid, evaluation, period, buckets)
        totals.update(_settled_totals(settlements, period))
        totals["credit_sales"] = sales_between(view.daily_sales, period.start, period.as_of)
        months = countback_months(view.daily_sales, period.as_of, history_start, view.currency)
        points.append(build_figures(totals, period, buckets, view.currency, months))
    return points


def _event_grid(
    view: CompanyView, prepared: PreparedLedger, evaluation: list[date], buckets: AgingBuckets, as_of: date
) -> pl.DataFrame:
    """Sum the events per evaluation index, side, dispute flag, due date (and document date)."""
    documents = view.documents.lazy().filter(pl.col("document_date") <= as_of)
    events = pl.concat(
        [
            _issue_events(documents),
            _single_date_events(documents, as_of),
            _multi_date_events(view, prepared, as_of),
        ],
        how="vertical",
    )
    keys = ["index", "is_debit", "disputed", "due_date"]
    if buckets.basis is AgingBasis.DOCUMENT_DATE:
        keys.append("document_date")
    debit = pl.col("is_debit")
    return (
        events.with_columns(
            pl.lit(pl.Series(evaluation, dtype=pl.Date)).search_sorted(pl.col("event_date")).alias("index"),
            (pl.col("disputed") & debit).alias("disputed"),
            pl.when(debit).then(pl.col("due_date")).alias("due_date"),
            pl.when(debit).then(pl.col("document_date")).alias("document_date"),
        )
        .filter(pl.col("index") < len(evaluation))
        .group_by(keys)
        .agg(pl.col("delta").sum(), pl.col("count").sum())
        .collect()
    )


def _issue_events(documents: pl.LazyFrame) -> pl.LazyFrame:
    """Add each document's whole amount on its document date; each open item counts one."""
    return documents.with_columns(
        pl.col("document_date").alias("event_date"),
        pl.col("amount_company").alias("delta"),
        pl.col("is_debit").cast(pl.Int64).alias("count"),
    ).select(EVENT_COLUMNS)


def _single_date_events(documents: pl.LazyFrame, as_of: date) -> pl.LazyFrame:
    """Add the change on the one allocation day of documents allocated on a single day."""
    settles = pl.col("is_debit") & (pl.col("allocated_minor") == pl.col("amount_minor"))
    return (
        documents.filter(
            (pl.col("first_allocation") == pl.col("last_allocation")) & (pl.col("last_allocation") <= as_of)
        )
        .with_columns(
            pl.col("last_allocation").alias("event_date"),
            (pl.col("remaining_company") - pl.col("amount_company")).alias("delta"),
            (-settles.cast(pl.Int64)).alias("count"),
        )
        .select(EVENT_COLUMNS)
    )


def _multi_date_events(view: CompanyView, prepared: PreparedLedger, as_of: date) -> pl.LazyFrame:
    """Add one change per allocation day of documents allocated on two or more days.

    The movements come sorted by document row and day, one per day, so the running total of each
    document is the running total of all rows less its value where the document's rows begin.
    """
    steps = prepared.movements.filter(pl.col("allocation_date") <= as_of)
    attributes = view.documents.select(
        "is_debit", "disputed", "due_date", "document_date", "currency", "fx_rate_scaled", "unit_scale",
        "amount_minor", "amount_company",
    )[steps["row"].to_numpy()]  # fmt: skip
    begins = pl.col("row") != pl.col("row").shift(1)
    running = pl.col("amount_minor").cum_sum()
    remaining = pl.col("amount") - pl.col("applied")
    after = to_company_minor(remaining, view.currency)
    settles = pl.col("is_debit") & (remaining == 0)
    return (
        pl.concat(
            [
                steps.select("row", "allocation_date", "amount_minor"),
                attributes.rename({"amount_minor": "amount"}),
            ],
            how="horizontal",
        )
        .lazy()
        .with_columns(
            begins.fill_null(True).alias("begins"),
            (
                running
                - pl.when(begins.fill_null(True)).then(running - pl.col("amount_minor")).forward_fill()
            ).alias("applied"),
        )
        .with_columns(after.alias("after"))
        .with_columns(
            pl.col("allocation_date").alias("event_date"),
            (
                pl.col("after")
                - pl.when(pl.col("begins")).then(pl.col("amount_company")).otherwise(pl.col("after").shift(1))
            ).alias("delta"),
            (-settles.cast(pl.Int64)).alias("count"),
        )
        .select(EVENT_COLUMNS)
    )


def _point_totals(
    grid: pl.DataFrame, evaluation: list[date], period: Period, buckets: AgingBuckets
) -> dict[str, int | None]:
    """Sum the event grid into the open-item totals at ``period.as_of`` and the eve of its period."""
    end, eve = evaluation.index(period.as_of), evaluation.index(period.eve)
    reference = "due_date" if buckets.basis is AgingBasis.DUE_DATE else "document_date"
    as_of_day = period.as_of.toordinal() - EPOCH_ORDINAL
    age = pl.lit(as_of_day, pl.Int32) - pl.col(reference).cast(pl.Int32)
    debit, upto_end = pl.col("is_debit"), pl.col("index") <= end
    delta = pl.col("delta")
    row = grid.select(
        delta.filter(debit & upto_end).sum().alias("total_open"),
        delta.filter(debit & (pl.col("index") <= eve)).sum().alias("ar_start"),
        delta.filter(debit & upto_end & (pl.col("due_date") >= period.as_of)).sum().alias("current_ar"),
        delta.filter(debit & upto_end & pl.col("disputed")).sum().alias("disputed_open"),
        delta.filter(~debit & upto_end).sum().alias("unapplied_credit"),
        pl.col("count").filter(debit & upto_end).sum().alias("open_items"),
        *[
            delta.filter(debit & upto_end & (buckets.index(age) == index)).sum().alias(name)
            for index, name in enumerate(bucket_columns(buckets))
        ],
    ).row(0, named=True)
    return {name: int(value) for name, value in row.items()}


def _settlements(view: CompanyView, as_of: date) -> pl.DataFrame:
    """Sum, per settlement day, the items settled in full that day, their amount and weighted days."""
    weight = pl.col("amount_company").cast(pl.Int128)
    days_to_pay = (pl.col("last_allocation") - pl.col("document_date")).dt.total_days()
    days_late = (pl.col("last_allocation") - pl.col("due_date")).dt.total_days().clip(lower_bound=0)
    return (
        view.documents.lazy()
        .filter(
            pl.col("is_debit")
            & (pl.col("allocated_minor") == pl.col("amount_minor"))
            & (pl.col("last_allocation") <= as_of)
        )
        .group_by(pl.col("last_allocation").alias("settled_on"))
        .agg(
            weight.sum().alias("settled_amount"),
            (weight * days_to_pay).sum().alias("days_to_pay_weighted"),
            (weight * days_late).sum().alias("days_late_weighted"),
            pl.len().cast(pl.Int64).alias("settled_items"),
        )
        .collect()
    )


def _settled_totals(settlements: pl.DataFrame, period: Period) -> dict[str, int | None]:
    window = settlements.filter(pl.col("settled_on").is_between(period.start, period.as_of, closed="both"))
    names = ["settled_amount", "days_to_pay_weighted", "days_late_weighted", "settled_items"]
    row = window.select(pl.col(name).sum() for name in names).row(0, named=True)
    return {name: int(row[name] or 0) for name in names}
