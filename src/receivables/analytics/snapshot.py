"""Open amounts of every document as of a date, in company minor units.

Take an as-of date ``t`` and the eve of the period ``e``, the day before it starts. Each document
dated on or before ``t`` gets what was allocated to it (debit documents) or from it (credit
documents) on or before ``t`` and ``e``. Most documents need no allocation rows for that: before
their first allocation nothing is applied, from their last one everything is, so their open
amount is the whole amount or the remainder, both converted once per company currency (see
:mod:`receivables.analytics.prepared`). Documents whose first and last allocation straddle ``t``
or ``e`` take the exact partial sum from their movements and are converted here.

From there the rules of the ledger apply row by row, vectorized:

- open amount at ``t`` = amount - allocated on or before ``t``, converted per item;
- AR at the start of the period = the same at ``e``, for documents dated on or before ``e``;
- days past due = ``t - due_date``; an item due on ``t`` is 0 days past due and current;
- the aging bucket comes from :meth:`AgingBuckets.index` on the chosen age;
- an item is settled in the period when nothing is open at ``t`` and its last allocation on or
  before ``t`` is dated in the period; it then paid ``last - document_date`` days after the
  document date and ``max(0, last - due_date)`` days late.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from receivables.analytics.conversion import to_company_minor
from receivables.analytics.prepared import CompanyView, PreparedLedger
from receivables.domain.aging import AgingBasis, AgingBuckets

FIRST, LAST = pl.col("first_allocation"), pl.col("last_allocation")
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


@dataclass(frozen=True)
class Period:
    """The report period: ``days`` days ending on ``as_of``, both ends included."""

    as_of: date
    days: int

    @property
    def start(self) -> date:
        return date.fromordinal(self.as_of.toordinal() - self.days + 1)

    @property
    def eve(self) -> date:
        """The day before the period starts: AR at the start is AR at the end of this day."""
        return date.fromordinal(self.as_of.toordinal() - self.days)


def _straddles(day: date) -> pl.Expr:
    return ((day >= FIRST) & (day < LAST)).fill_null(False)


def _untouched(day: date) -> pl.Expr:
    """Nothing allocated on or before ``day``."""
    return FIRST.is_null() | (day < FIRST)


def _settled_before(period: Period) -> pl.Expr:
    """Documents dated and fully allocated before the period: nothing open or unapplied at its eve or
    at ``as_of``, not a sale of the period, not settled in it. They add nothing to any total.
    """
    return (
        (pl.col("document_date") < period.start)
        & (pl.col("allocated_minor") == pl.col("amount_minor"))
        & (period.start > LAST)
    ).fill_null(False)


def _partial(prepared: PreparedLedger, day: date, suffix: str) -> pl.LazyFrame:
    return (
        prepared.movements.lazy()
        .filter(_straddles(day) & (pl.col("allocation_date") <= day))
        .group_by("document_id")
        .agg(
            pl.col("amount_minor").sum().alias(f"partial_{suffix}"),
            pl.col("allocation_date").max().alias(f"partial_last_{suffix}"),
        )
    )


def _plain(documents: pl.LazyFrame, period: Period) -> pl.LazyFrame:
    """Documents straddling neither date: applied is nothing or everything, already converted."""
    as_of, eve = period.as_of, period.eve
    whole, remaining = pl.col("amount_company"), pl.col("remaining_company")
    return documents.with_columns(
        pl.when(_untouched(as_of))
        .then(pl.col("amount_minor"))
        .otherwise(pl.col("amount_minor") - pl.col("allocated_minor"))
        .alias("open_minor"),
        pl.when(_untouched(as_of)).then(whole).otherwise(remaining).alias("open"),
        pl.when(pl.col("document_date") > eve)
        .then(0)
        .when(_untouched(eve))
        .then(whole)
        .otherwise(remaining)
        .alias("start"),
        pl.when(as_of >= LAST).then(LAST).alias("last_end"),
    )


def _straddling(
    documents: pl.LazyFrame, prepared: PreparedLedger, view: CompanyView, period: Period
) -> pl.LazyFrame:
    """Documents with allocations before and after ``as_of`` or the eve: partial sums, converted here."""
    as_of, eve = period.as_of, period.eve

    def applied(day: date, partial: str) -> pl.Expr:
        return (
            pl.when(_untouched(day))
            .then(0)
            .when(day >= LAST)
            .then(pl.col("allocated_minor"))
            .otherwise(pl.col(partial))
        )

    open_minor = pl.col("amount_minor") - applied(as_of, "partial_end")
    start_minor = (
        pl.when(pl.col("document_date") > eve)
        .then(0)
        .otherwise(pl.col("amount_minor") - applied(eve, "partial_start"))
    )
    return (
        documents.join(_partial(prepared, as_of, "end"), on="document_id", how="left")
        .join(_partial(prepared, eve, "start"), on="document_id", how="left")
        .with_columns(
            open_minor.alias("open_minor"),
            to_company_minor(open_minor, view.currency).alias("open"),
            to_company_minor(start_minor, view.currency).alias("start"),
            pl.coalesce(pl.when(as_of >= LAST).then(LAST), "partial_last_end").alias("last_end"),
        )
        .drop("partial_end", "partial_start", "partial_last_end", "partial_last_start")
    )


def position_parts(
    view: CompanyView, prepared: PreparedLedger, period: Period, buckets: AgingBuckets
) -> list[pl.LazyFrame]:
    """One row per document that counts on ``as_of``: its position in company minor units.

    Two parts: the documents that straddle neither ``as_of`` nor the eve, in customer order, and
    the few that do. Documents dated and fully allocated before the period are left out, since
    they count in no total.

    Columns: customer_id, document_id, is_debit, disputed, ``open_minor`` (document currency),
    ``open`` and ``start`` (open at ``as_of`` and at the eve), ``amount`` (the whole document) and
    ``sale`` (signed ``amount`` when dated in the period, else 0). Then ``days_past_due``,
    ``bucket``, ``settled_in_period``, and ``days_to_pay`` and ``days_late``, which are null
    unless the item was settled in the period.
    """
    straddling = _straddles(period.as_of) | _straddles(period.eve)
    plain = view.documents.lazy().filter(
        (pl.col("document_date") <= period.as_of) & ~_settled_before(period) & ~straddling
    )
    # Only documents with movements can straddle a date: take them by row, not by a full scan.
    rows = prepared.movements.filter(straddling)["row"].unique().sort().to_numpy()
    parts = [
        _plain(plain, period),
        _straddling(view.documents[rows].lazy(), prepared, view, period),
    ]
    return [_position_columns(part, period, buckets) for part in parts]


def positions(
    view: CompanyView, prepared: PreparedLedger, period: Period, buckets: AgingBuckets
) -> pl.LazyFrame:
    """Return all rows of :func:`position_parts` in one frame, for per-item checks and listings."""
    return pl.concat(position_parts(view, prepared, period, buckets), how="vertical")


def _position_columns(part: pl.LazyFrame, period: Period, buckets: AgingBuckets) -> pl.LazyFrame:
    reference = "due_date" if buckets.basis is AgingBasis.DUE_DATE else "document_date"
    settled = (
        pl.col("is_debit") & (pl.col("open_minor") == 0) & (pl.col("last_end") >= period.start)
    ).fill_null(False)
    return part.select(
        "customer_id", "document_id", "is_debit", "disputed", "open_minor", "open", "start",
        pl.col("amount_company").alias("amount"),
        pl.when(pl.col("document_date") >= period.start)
        .then(pl.col("amount_company") * pl.col("sale_sign"))
        .otherwise(0)
        .alias("sale"),
        _days_since(period.as_of, "due_date").alias("days_past_due"),
        buckets.index(_days_since(period.as_of, reference)).alias("bucket"),
        settled.alias("settled_in_period"),
        pl.when(settled).then(_days_between("document_date", "last_end")).alias("days_to_pay"),
        pl.when(settled).then(_days_between("due_date", "last_end").clip(lower_bound=0)).alias("days_late"),
    )  # fmt: skip


def _days_since(as_of: date, column: str) -> pl.Expr:
    return pl.lit(as_of.toordinal() - EPOCH_ORDINAL, pl.Int32) - pl.col(column).cast(pl.Int32)


def _days_between(earlier: str, later: str) -> pl.Expr:
    return pl.col(later).cast(pl.Int32) - pl.col(earlier).cast(pl.Int32)
