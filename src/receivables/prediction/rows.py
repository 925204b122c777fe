"""The rows the model learns from and predicts: an item seen on a date, its *snapshot*.

Three kinds of rows, each an open item and the date it is seen on:

- ``issue``: every item on its document date, the classic question "when will this invoice be
  paid?". It may be paid on that same day, so its earliest pay date is the snapshot itself;
- ``month_end``: every item still open at the end of a month, so the model also learns how items
  that are already old or overdue get paid. Their earliest pay date is the next day;
- ``open``: the items open at the end of the as-of date, the ones a prediction is asked for.

Labels come from what was known on a cutoff date (``known_until``): a row whose item was paid by
then has its exact ``days_late``. A row whose item was still unpaid then, but due at least
``CENSOR_DAYS`` before it, is certainly late and gets the lower bound ``known_until - due_date``
as its target (a censored target). Rows whose item was neither paid nor clearly overdue have no
label and are left out of training.
"""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl

# An unpaid item due at least this many days before the cutoff trains on its lower bound.
CENSOR_DAYS = 30

ROW_COLUMNS = [
    "document_id", "customer_id", "snapshot", "earliest", "row_kind", "document_date", "due_date",
    "amount", "disputed", "paid_on",
]  # fmt: skip


def issue_rows(items: pl.DataFrame, until: date) -> pl.DataFrame:
    """Return one row per item issued on or before ``until``, seen on its document date."""
    return (
        items.filter(~pl.col("written_off") & (pl.col("document_date") <= until))
        .with_columns(
            pl.col("document_date").alias("snapshot"),
            pl.col("document_date").alias("earliest"),
            pl.lit("issue").alias("row_kind"),
        )
        .select(ROW_COLUMNS)
    )


def month_end_rows(items: pl.DataFrame, until: date) -> pl.DataFrame:
    """Return one row per item and month end on which it was open, up to ``until``.

    An item is open at the end of day ``s`` when it was issued before ``s`` and not paid by ``s``.
    """
    first_start = pl.col("document_date").dt.offset_by("1mo").dt.month_start()
    day_after = until + timedelta(days=1)
    last_day = pl.min_horizontal(pl.col("paid_on").fill_null(day_after) - timedelta(days=1), pl.lit(until))
    candidates = items.filter(~pl.col("written_off")).with_columns(
        first_start.alias("first_start"), (last_day + timedelta(days=1)).dt.month_start().alias("last_start")
    )
    candidates = candidates.filter(pl.col("first_start") <= pl.col("last_start"))
    return (
        candidates.with_columns(
            pl.date_ranges("first_start", "last_start", interval="1mo").alias("month_start")
        )
        .explode("month_start")
        .with_columns((pl.col("month_start") - timedelta(days=1)).alias("snapshot"))
        .filter(pl.col("snapshot") <= last_day)
        .with_columns(
            (pl.col("snapshot") + timedelta(days=1)).alias("earliest"), pl.lit("month_end").alias("row_kind")
        )
        .select(ROW_COLUMNS)
    )


def open_rows(items: pl.DataFrame, open_amounts: pl.DataFrame, as_of: date) -> pl.DataFrame:
    """Return the items open at the end of ``as_of`` with their open amount ``open_minor``.

    ``open_amounts`` has document_id and open_minor (company minor units, above zero) of every
    item open then, as the aging report computes it. An item written off later still counts here.
    """
    return (
        items.join(open_amounts, on="document_id", how="inner")
        .with_columns(
            pl.lit(as_of).alias("snapshot"),
            pl.lit(as_of + timedelta(days=1)).alias("earliest"),
            pl.lit("open").alias("row_kind"),
        )
        .select(*ROW_COLUMNS, "open_minor")
    )


def training_rows(items: pl.DataFrame, until: date) -> pl.DataFrame:
    """Return the issue and month-end rows seen on or before ``until``."""
    return pl.concat([issue_rows(items, until), month_end_rows(items, until)], how="vertical")


def with_labels(rows: pl.DataFrame, known_until: date) -> pl.DataFrame:
    """Add ``target_days``, ``target_remaining``, ``late`` and ``exact`` as known on ``known_until``.

    ``target_days`` is the exact days late when the item was paid by then, else the censored lower
    bound for items overdue by ``CENSOR_DAYS`` or more, else null. ``target_remaining`` is the same
    outcome counted in days from the snapshot to the payment. ``late`` is 1 or 0 when known, else
    null. ``exact`` says whether ``target_days`` is the real outcome.
    """
    paid = pl.col("paid_on").is_not_null() & (pl.col("paid_on") <= known_until)
    overdue_days = pl.lit(known_until) - pl.col("due_date")
    days_late = (pl.col("paid_on") - pl.col("due_date")).dt.total_days()
    censored = ~paid & (overdue_days.dt.total_days() >= CENSOR_DAYS)
    return rows.with_columns(
        pl.when(paid).then(days_late).when(censored).then(overdue_days.dt.total_days())
        .cast(pl.Float64).alias("target_days"),
        pl.when(paid).then((days_late > 0).cast(pl.Int8))
        .when(overdue_days.dt.total_days() > 0).then(pl.lit(1, pl.Int8))
        .alias("late"),
        paid.alias("exact"),
    ).with_columns(
        (pl.col("target_days") + (pl.col("due_date") - pl.col("snapshot")).dt.total_days())
        .alias("target_remaining"),
    )  # fmt: skip
