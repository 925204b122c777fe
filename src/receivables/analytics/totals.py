"""Integer totals per customer of an as-of snapshot, the input of every figure.

All amounts are company-currency minor units. Company totals are the sums of the customer totals
(and the maximum for the oldest item), so both levels come from one pass over the documents. Each
total is a plain sum of a column masked to the rows it covers, the fastest form of a grouped
aggregation in Polars.
"""

from __future__ import annotations

import polars as pl

from receivables.domain.aging import AgingBuckets

AMOUNT_TOTALS = [
    "total_open", "ar_start", "current_ar", "disputed_open", "unapplied_credit", "credit_sales",
    "settled_amount", "days_to_pay_weighted", "days_late_weighted",
]  # fmt: skip
COUNT_TOTALS = ["open_items", "settled_items"]


def bucket_columns(buckets: AgingBuckets) -> list[str]:
    return [f"bucket_{index}" for index in range(len(buckets.labels))]


def _masked(condition: pl.Expr, value: pl.Expr) -> pl.Expr:
    return pl.when(condition).then(value).otherwise(0)


def _contributions(buckets: AgingBuckets) -> list[pl.Expr]:
    """Each row's share of every total."""
    debit, open_amount = pl.col("is_debit"), pl.col("open")
    is_open = debit & (pl.col("open_minor") > 0)
    settled, amount = pl.col("settled_in_period"), pl.col("amount").cast(pl.Int128)
    return [
        _masked(debit, open_amount).alias("total_open"),
        _masked(debit, pl.col("start")).alias("ar_start"),
        _masked(debit & (pl.col("days_past_due") <= 0), open_amount).alias("current_ar"),
        _masked(debit & pl.col("disputed"), open_amount).alias("disputed_open"),
        _masked(~debit, open_amount).alias("unapplied_credit"),
        pl.col("sale").alias("credit_sales"),
        _masked(settled, amount).alias("settled_amount"),
        _masked(settled, amount * pl.col("days_to_pay")).alias("days_to_pay_weighted"),
        _masked(settled, amount * pl.col("days_late")).alias("days_late_weighted"),
        is_open.cast(pl.Int64).alias("open_items"),
        settled.cast(pl.Int64).alias("settled_items"),
        pl.when(is_open).then(pl.col("days_past_due")).alias("oldest_days_past_due"),
        *[
            _masked(debit & (pl.col("bucket") == index), open_amount).alias(name)
            for index, name in enumerate(bucket_columns(buckets))
        ],
    ]


def customer_totals(parts: list[pl.LazyFrame], buckets: AgingBuckets) -> pl.LazyFrame:
    """One row per customer with a document dated on or before ``as_of``: the integer totals.

    ``parts`` are the position parts of :func:`receivables.analytics.snapshot.position_parts`;
    each is summed on its own (in customer order, so on Polars' sorted fast path) and the small
    per-part results are added up.
    """
    sums = [*AMOUNT_TOTALS, *COUNT_TOTALS, *bucket_columns(buckets)]
    aggregations = [*[pl.col(name).sum() for name in sums], pl.col("oldest_days_past_due").max()]
    per_part = [
        part.select("customer_id", *_contributions(buckets)).group_by("customer_id").agg(aggregations)
        for part in parts
    ]
    return pl.concat(per_part, how="vertical").group_by("customer_id").agg(aggregations)


def company_totals(customers: pl.DataFrame, buckets: AgingBuckets) -> dict[str, int | None]:
    """The totals of all customers given, as Python integers; None for the oldest item when none is open."""
    names = [*AMOUNT_TOTALS, *COUNT_TOTALS, *bucket_columns(buckets)]
    row = customers.select(
        *[pl.col(name).cast(pl.Int128).sum() for name in names],
        pl.col("oldest_days_past_due").max(),
    ).row(0, named=True)
    return {name: (None if value is None else int(value)) for name, value in row.items()}
