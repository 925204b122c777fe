"""Open items and unapplied credit of every customer on a date, with Polars.

The batch form of :func:`receivables.credit.ledger_queries.ledger_position`: each document's open
amount (debit documents) or unapplied amount (credit documents) on ``as_of``, converted per
document to company minor units, then added per customer.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from receivables.analytics.conversion import to_company_minor, unit_scale_column
from receivables.domain.documents import DEBIT_KINDS
from receivables.domain.money import Currency

DEBIT = [kind.value for kind in DEBIT_KINDS]


def ledger_positions(
    documents: pl.DataFrame, allocations: pl.DataFrame, as_of: date, company: Currency
) -> pl.DataFrame:
    """customer_id, ``open_items``, ``unapplied_credit`` (company minor units) and
    ``max_days_past_due`` (undisputed open items; 0 when none is past due)."""
    dated = allocations.lazy().filter(pl.col("allocation_date") <= as_of)
    applied = (
        pl.concat(
            [
                dated.select(pl.col("target_id").alias("document_id"), "amount_minor"),
                dated.select(pl.col("source_id").alias("document_id"), "amount_minor"),
            ]
        )
        .group_by("document_id")
        .agg(pl.col("amount_minor").sum().alias("_applied"))
    )
    codes = documents["currency"].unique().to_list()
    open_minor = pl.col("amount_minor") - pl.col("_applied").fill_null(0)
    rows = (
        documents.lazy()
        .filter(pl.col("document_date") <= as_of)
        .join(applied, on="document_id", how="left")
        .filter(open_minor > 0)
        .with_columns(
            unit_scale_column(pl.col("currency"), codes).alias("unit_scale"),
            pl.col("kind").is_in(DEBIT).alias("_debit"),
        )
        .with_columns(to_company_minor(open_minor, company).alias("_open"))
    )
    past_due = (pl.lit(as_of) - pl.col("due_date")).dt.total_days()
    return (
        rows.group_by("customer_id")
        .agg(
            pl.col("_open").filter(pl.col("_debit")).sum().alias("open_items"),
            pl.col("_open").filter(~pl.col("_debit")).sum().alias("unapplied_credit"),
            past_due.filter(pl.col("_debit") & ~pl.col("disputed"))
            .max()
            .fill_null(0)
            .clip(lower_bound=0)
            .alias("max_days_past_due"),
        )
        .collect()
    )
