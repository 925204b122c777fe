"""Open amounts of every document as of a date, and their totals per customer.

For an as-of date ``t`` and the eve of the period ``e`` (the day before it starts), each document
dated on or before ``t`` gets what was allocated to it (debit documents) or from it (credit
documents) on or before ``t`` and ``e``. Most documents need no allocation rows for that (see
:mod:`receivables.analytics.prepared`); those whose first and last allocation straddle ``t`` or
``e`` take the exact partial sum from their movements.

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

from receivables.analytics.conversion import company_amount_parts, to_company_minor
from receivables.analytics.prepared import PreparedLedger
from receivables.domain.aging import AgingBasis, AgingBuckets
from receivables.domain.money import Currency

FIRST, LAST = pl.col("first_allocation"), pl.col("last_allocation")


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


def _applied_through(day: date) -> pl.Expr:
    """Allocated on or before ``day``; null when ``day`` falls between the first and last allocation."""
    return (
        pl.when(FIRST.is_null() | (day < FIRST))
        .then(pl.lit(0, pl.Int64))
        .when(day >= LAST)
        .then(pl.col("allocated_minor"))
        .otherwise(None)
    )


def _last_through(day: date) -> pl.Expr:
    return pl.when(day >= LAST).then(LAST)


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


def applied_as_of(prepared: PreparedLedger, period: Period) -> tuple[pl.LazyFrame, pl.LazyFrame]:
    """Documents dated on or before ``as_of`` with ``applied_end``, ``applied_start`` and ``last_end``.

    Returns two frames: the documents that need no allocation rows, in customer order, and the
    few that straddle ``as_of`` or the eve of the period, with their partial sums joined.
    """
    as_of, eve = period.as_of, period.eve
    dated = prepared.documents.lazy().filter(pl.col("document_date") <= as_of)
    straddling = _straddles(as_of) | _straddles(eve)
    plain = dated.filter(~straddling).with_columns(
        _applied_through(as_of).alias("applied_end"),
        _applied_through(eve).alias("applied_start"),
        _last_through(as_of).alias("last_end"),
    )
    mixed = (
        dated.filter(straddling)
        .join(_partial(prepared, as_of, "end"), on="document_id", how="left")
        .join(_partial(prepared, eve, "start"), on="document_id", how="left")
        .with_columns(
            pl.coalesce(_applied_through(as_of), "partial_end").alias("applied_end"),
            pl.coalesce(_applied_through(eve), "partial_start").alias("applied_start"),
            pl.coalesce(_last_through(as_of), "partial_last_end").alias("last_end"),
        )
        .drop("partial_end", "partial_start", "partial_last_end", "partial_last_start")
    )
    return plain, mixed


def position_parts(
    prepared: PreparedLedger, period: Period, buckets: AgingBuckets, company: Currency
) -> list[pl.LazyFrame]:
    """One row per document dated on or before ``as_of``: its position in company minor units.

    The rows come in parts: company-currency and foreign documents, each in customer order, and
    the few documents whose allocations straddle a date of the period. Columns: customer_id,
    document_id, is_debit, disputed, ``open_minor`` (document currency), ``open`` and ``start``
    (open at ``as_of`` and at the eve of the period), ``amount`` (the whole document), ``sale``
    (signed ``amount`` when dated in the period, else 0), ``days_past_due``, ``bucket``,
    ``settled_in_period``, ``days_to_pay`` and ``days_late`` (null unless settled in the period).
    """
    as_of = period.as_of
    reference = "due_date" if buckets.basis is AgingBasis.DUE_DATE else "document_date"
    open_minor = pl.col("amount_minor") - pl.col("applied_end")
    start_minor = pl.when(pl.col("document_date") <= period.eve).then(
        pl.col("amount_minor") - pl.col("applied_start")
    )
    columns = [
        open_minor.alias("open_minor"),
        start_minor.fill_null(0).alias("start_minor"),
        _days_since(as_of, "due_date").alias("days_past_due"),
        buckets.index(_days_since(as_of, reference)).alias("bucket"),
    ]
    plain, mixed = (frame.with_columns(columns) for frame in applied_as_of(prepared, period))
    amounts = {"open": pl.col("open_minor"), "start": pl.col("start_minor"), "amount": pl.col("amount_minor")}
    parts = [*company_amount_parts(plain, amounts, company)]
    parts.append(
        mixed.with_columns(**{name: to_company_minor(value, company) for name, value in amounts.items()})
    )
    return [_position_columns(part, period) for part in parts]


def positions(
    prepared: PreparedLedger, period: Period, buckets: AgingBuckets, company: Currency
) -> pl.LazyFrame:
    """All rows of :func:`position_parts` in one frame, for per-item checks and listings."""
    return pl.concat(position_parts(prepared, period, buckets, company), how="vertical")


def _position_columns(part: pl.LazyFrame, period: Period) -> pl.LazyFrame:
    settled = (
        pl.col("is_debit") & (pl.col("open_minor") == 0) & (pl.col("last_end") >= period.start)
    ).fill_null(False)
    return part.select(
        "customer_id", "is_debit", "disputed", "document_id", "open_minor", "open", "start", "amount",
        pl.when(pl.col("document_date") >= period.start)
        .then(pl.col("amount") * pl.col("sale_sign"))
        .otherwise(0)
        .alias("sale"),
        "days_past_due", "bucket",
        settled.alias("settled_in_period"),
        pl.when(settled).then(_days_between("document_date", "last_end")).alias("days_to_pay"),
        pl.when(settled).then(_days_between("due_date", "last_end").clip(lower_bound=0)).alias("days_late"),
    )  # fmt: skip


EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def _days_since(as_of: date, column: str) -> pl.Expr:
    return pl.lit(as_of.toordinal() - EPOCH_ORDINAL, pl.Int32) - pl.col(column).cast(pl.Int32)


def _days_between(earlier: str, later: str) -> pl.Expr:
    return pl.col(later).cast(pl.Int32) - pl.col(earlier).cast(pl.Int32)
