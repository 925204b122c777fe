"""Open items at several dates, and what happened to them later, vectorized over the whole ledger.

:func:`open_items_at` is the one definition of "open at the end of a day" this package uses, for
the history snapshots and for the as-of date alike: a debit document dated on or before the day,
less what was allocated to it on or before the day, converted to the company currency at its own
document's rate (:func:`receivables.analytics.conversion.to_company_minor`).

:func:`cell_histories` adds up, per segment and aging bucket, the open amounts at each snapshot,
what of each item was written off in the horizon after it (allocations from ``write_off``
documents dated after the snapshot and on or before its horizon end), and what was still open at
the next snapshot.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from receivables.analytics.conversion import to_company_minor, unit_scale_column
from receivables.domain.aging import AgingBuckets
from receivables.domain.credit.dates import add_months
from receivables.domain.documents import DEBIT_KINDS, DocumentKind
from receivables.domain.money import Currency
from receivables.domain.provisioning import CellHistory, month_end

DEBIT = [kind.value for kind in DEBIT_KINDS]
EPOCH = date(1970, 1, 1)


def debit_documents(documents: pl.DataFrame) -> pl.DataFrame:
    """Return the invoices and debit notes with the ``unit_scale`` the currency conversion needs."""
    debits = documents.filter(pl.col("kind").is_in(DEBIT))
    codes = debits["currency"].unique().to_list()
    return debits.select(
        "document_id", "customer_id", "document_date", "due_date", "currency", "fx_rate_scaled",
        "amount_minor", "disputed", unit_scale_column(pl.col("currency"), codes).alias("unit_scale"),
    )  # fmt: skip


def open_items_at(
    documents: pl.DataFrame, allocations: pl.DataFrame, days: list[date], company: Currency
) -> pl.DataFrame:
    """Return one row per debit document and day on which it was open at the end of that day.

    Columns: document_id, customer_id, ``day``, due_date, disputed, currency, fx_rate_scaled,
    unit_scale, ``open_minor`` (document currency), ``open`` (company minor units) and
    ``days_past_due`` (``day - due_date``).
    """
    debits = debit_documents(documents)
    totals = allocations.group_by("target_id").agg(
        pl.col("amount_minor").sum().alias("allocated"), pl.col("allocation_date").max().alias("last")
    )
    debits = debits.join(totals, left_on="document_id", right_on="target_id", how="left").with_columns(
        pl.when(pl.col("allocated") == pl.col("amount_minor")).then(pl.col("last")).alias("settled_on")
    )
    snapshots = pl.DataFrame({"day": days}, schema={"day": pl.Date})
    # Lazy, so Polars applies the date filter while joining instead of building every pair first.
    candidates = (
        debits.lazy()
        .join(snapshots.lazy(), how="cross")
        .filter(
            (pl.col("document_date") <= pl.col("day"))
            & (pl.col("settled_on").is_null() | (pl.col("settled_on") > pl.col("day")))
        )
        .collect()
    )
    touched = allocations.join(
        candidates.select(pl.col("document_id").alias("target_id")).unique(), on="target_id", how="semi"
    )
    applied = (
        touched.join(snapshots, how="cross")
        .filter(pl.col("allocation_date") <= pl.col("day"))
        .group_by("target_id", "day")
        .agg(pl.col("amount_minor").sum().alias("applied"))
        .rename({"target_id": "document_id"})
    )
    open_items = (
        candidates.join(applied, on=["document_id", "day"], how="left")
        .with_columns((pl.col("amount_minor") - pl.col("applied").fill_null(0)).alias("open_minor"))
        .filter(pl.col("open_minor") > 0)
    )
    return open_items.select(
        "document_id", "customer_id", "day", "due_date", "disputed", "currency", "fx_rate_scaled",
        "unit_scale", "open_minor", to_company_minor(pl.col("open_minor"), company).alias("open"),
        (pl.col("day") - pl.col("due_date")).dt.total_days().cast(pl.Int64).alias("days_past_due"),
    )  # fmt: skip


def snapshot_frame(snapshots: list[date], horizon_months: int) -> pl.DataFrame:
    """Return each snapshot with the end of its loss horizon and the next month-end."""
    return pl.DataFrame(
        {
            "day": snapshots,
            "horizon_end": [month_end(add_months(day, horizon_months)) for day in snapshots],
            "next_day": [month_end(add_months(day, 1)) for day in snapshots],
        },
        schema={"day": pl.Date, "horizon_end": pl.Date, "next_day": pl.Date},
    )


def _written_off(documents: pl.DataFrame, allocations: pl.DataFrame, snapshots: pl.DataFrame) -> pl.DataFrame:
    """Write-off allocations to each item in the horizon after each snapshot, in document minor units."""
    write_offs = documents.filter(pl.col("kind") == DocumentKind.WRITE_OFF.value).select(
        pl.col("document_id").alias("source_id")
    )
    return (
        allocations.join(write_offs, on="source_id", how="semi")
        .join(snapshots.select("day", "horizon_end"), how="cross")
        .filter(
            (pl.col("allocation_date") > pl.col("day")) & (pl.col("allocation_date") <= pl.col("horizon_end"))
        )
        .group_by("target_id", "day")
        .agg(pl.col("amount_minor").sum().alias("written_off_minor"))
        .rename({"target_id": "document_id"})
    )


def snapshot_outcomes(
    documents: pl.DataFrame,
    allocations: pl.DataFrame,
    snapshots: list[date],
    horizon_months: int,
    company: Currency,
) -> pl.DataFrame:
    """Return the open items of every snapshot with their outcome, in company minor units.

    Columns of :func:`open_items_at` plus ``written_off`` (in the horizon after the snapshot)
    and ``open_next`` (still open at the next month-end).
    """
    frame = snapshot_frame(snapshots, horizon_months)
    days = sorted(set(snapshots) | set(frame["next_day"].to_list()))
    items = open_items_at(documents, allocations, days, company)
    at_snapshots = items.join(frame, on="day", how="inner")
    following = items.select(
        "document_id", pl.col("day").alias("next_day"), pl.col("open").alias("open_next")
    )
    written = _written_off(documents, allocations, frame)
    return (
        at_snapshots.join(following, on=["document_id", "next_day"], how="left")
        .join(written, on=["document_id", "day"], how="left")
        .with_columns(
            pl.col("open_next").fill_null(0),
            to_company_minor(pl.col("written_off_minor").fill_null(0), company).alias("written_off"),
        )
    )


def cell_histories(
    outcomes: pl.DataFrame, segments: pl.DataFrame, buckets: AgingBuckets
) -> list[CellHistory]:
    """Add up the snapshot outcomes per segment and aging bucket.

    ``segments`` maps customer_id to ``segment``. Write-offs beyond the open amount at the
    snapshot cannot occur (allocations never exceed a document), but each is capped there so a
    cell's loss never exceeds its exposure.
    """
    rows = (
        outcomes.join(segments, on="customer_id", how="left")
        .with_columns(
            buckets.index(pl.col("days_past_due")).alias("bucket"),
            pl.min_horizontal("written_off", "open").alias("loss"),
            pl.min_horizontal("open_next", "open").alias("still_open"),
        )
        .group_by("segment", "bucket")
        .agg(
            pl.len().alias("observations"),
            pl.col("open").sum().alias("exposure"),
            pl.col("loss").sum().alias("loss"),
            pl.col("still_open").sum().alias("still_open"),
        )
        .sort("segment", "bucket")
    )
    return [
        CellHistory(
            str(row["segment"]),
            int(row["bucket"]),
            int(row["observations"]),
            int(row["exposure"]),
            int(row["loss"]),
            int(row["still_open"]),
        )
        for row in rows.iter_rows(named=True)
    ]
