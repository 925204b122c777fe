"""Integer totals of an as-of snapshot: for the company, and the few that rank customers.

All amounts are company-currency minor units. Each total is a plain sum of a column masked to the
rows it covers. The company totals need no grouping at all. The customer totals group only the
columns the customer table shows, in the customer order the positions keep, because sorted keys
are Polars' fast path for grouped sums.
"""

from __future__ import annotations

import polars as pl

from receivables.domain.aging import AgingBuckets

AMOUNT_TOTALS = [
    "total_open", "ar_start", "current_ar", "disputed_open", "unapplied_credit", "credit_sales",
    "settled_amount", "days_to_pay_weighted", "days_late_weighted",
]  # fmt: skip
COUNT_TOTALS = ["open_items", "settled_items"]
CUSTOMER_TOTALS = ["total_open", "current_ar", "disputed_open", "credit_sales"]


def bucket_columns(buckets: AgingBuckets) -> list[str]:
    return [f"bucket_{index}" for index in range(len(buckets.labels))]


def _masked(condition: pl.Expr, value: pl.Expr) -> pl.Expr:
    return pl.when(condition).then(value).otherwise(0)


def _is_open() -> pl.Expr:
    return pl.col("is_debit") & (pl.col("open_minor") > 0)


def _customer_contributions() -> list[pl.Expr]:
    debit, open_amount = pl.col("is_debit"), pl.col("open")
    return [
        _masked(debit, open_amount).alias("total_open"),
        _masked(debit & (pl.col("days_past_due") <= 0), open_amount).alias("current_ar"),
        _masked(debit & pl.col("disputed"), open_amount).alias("disputed_open"),
        pl.col("sale").alias("credit_sales"),
        pl.when(_is_open()).then(pl.col("days_past_due")).alias("oldest_days_past_due"),
    ]


def _company_contributions(buckets: AgingBuckets) -> list[pl.Expr]:
    """Return each row's share of every company total."""
    debit, open_amount = pl.col("is_debit"), pl.col("open")
    settled, amount = pl.col("settled_in_period"), pl.col("amount").cast(pl.Int128)
    return [
        *_customer_contributions(),
        _masked(debit, pl.col("start")).alias("ar_start"),
        _masked(~debit, open_amount).alias("unapplied_credit"),
        _masked(settled, amount).alias("settled_amount"),
        _masked(settled, amount * pl.col("days_to_pay")).alias("days_to_pay_weighted"),
        _masked(settled, amount * pl.col("days_late")).alias("days_late_weighted"),
        _is_open().cast(pl.Int64).alias("open_items"),
        settled.cast(pl.Int64).alias("settled_items"),
        *[
            _masked(debit & (pl.col("bucket") == index), open_amount).alias(name)
            for index, name in enumerate(bucket_columns(buckets))
        ],
    ]


def customer_totals(parts: list[pl.LazyFrame]) -> pl.LazyFrame:
    """Per customer with a document that counts on ``as_of``: total open, current, disputed, credit
    sales and the most days past due of an open item.

    ``parts`` are the position parts of :func:`receivables.analytics.snapshot.position_parts`;
    each is grouped on its own and the small per-part results are added up.
    """
    aggregations = [*[pl.col(name).sum() for name in CUSTOMER_TOTALS], pl.col("oldest_days_past_due").max()]
    per_part = [
        part.select("customer_id", *_customer_contributions()).group_by("customer_id").agg(aggregations)
        for part in parts
    ]
    return pl.concat(per_part, how="vertical").group_by("customer_id").agg(aggregations)


def company_totals(parts: list[pl.LazyFrame], buckets: AgingBuckets) -> dict[str, int | None]:
    """Sum every row of ``parts`` into Python integers; the oldest item is None when none is open."""
    names = [*AMOUNT_TOTALS, *COUNT_TOTALS, *bucket_columns(buckets)]
    sums = [pl.col(name).cast(pl.Int128).sum() for name in names]
    rows = pl.collect_all(
        [
            part.select(_company_contributions(buckets)).select(*sums, pl.col("oldest_days_past_due").max())
            for part in parts
        ]
    )
    totals: dict[str, int | None] = {name: sum(int(row[name][0] or 0) for row in rows) for name in names}
    oldest = [row["oldest_days_past_due"][0] for row in rows if row["oldest_days_past_due"][0] is not None]
    totals["oldest_days_past_due"] = max(oldest) if oldest else None
    return totals
