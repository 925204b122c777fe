"""Risk classes and limits of every customer, for reports: what the last review stored.

:func:`credit_positions` joins each customer's stored score (from ``credit review``), the limit
in force and its exposure on ``as_of``; :func:`class_summary` adds them up per risk class.
Customers never reviewed show no class. Exposure is computed as of the given date with the batch
rules of :mod:`receivables.credit.batch_exposure`.
"""

from __future__ import annotations

from datetime import date

import polars as pl
from sqlalchemy import Engine

from receivables.credit.batch_exposure import ledger_positions
from receivables.credit.frames import load_credit_documents
from receivables.credit.orders import order_totals_frame
from receivables.credit.polars_math import percent_half_up
from receivables.credit.review_store import stored_state
from receivables.domain.money import Currency
from receivables.storage.frames import load_allocations, load_customers, read_frame

SCORES_SQL = "SELECT customer_id, score_tenths, risk_class, as_of AS scored_on FROM credit_scores"
SCORES_SCHEMA: dict[str, pl.DataType] = {
    "customer_id": pl.Int64(),
    "score_tenths": pl.Int64(),
    "risk_class": pl.String(),
    "scored_on": pl.Date(),
}


def credit_positions(engine: Engine, as_of: date, company: Currency) -> pl.DataFrame:
    """Compute one row per customer: code, name, risk_class, score (tenths), limit, exposure.

    Columns: customer_code, name, risk_class, score_tenths, scored_on, limit_minor, review_date,
    exposure_minor, available_minor (limit less exposure; null without a limit) and
    usage_percent (hundredths of a percent; null without a positive limit). Amounts are company
    minor units.
    """
    customers = load_customers(engine).select("customer_id", "customer_code", "name")
    positions = ledger_positions(
        load_credit_documents(engine), load_allocations(engine), as_of, company
    )
    orders = order_totals_frame(engine, as_of, company)
    exposure = (
        positions.join(orders, on="customer_id", how="full", coalesce=True)
        .fill_null(0)
        .select(
            "customer_id",
            (
                pl.col("open_items")
                - pl.col("unapplied_credit")
                + pl.col("open_orders")
                + pl.col("delivered_not_invoiced")
            ).alias("exposure_minor"),
        )
    )
    state = stored_state(engine).select("customer_id", "limit_minor", "review_date")
    frame = (
        customers.join(read_frame(engine, SCORES_SQL, SCORES_SCHEMA), on="customer_id", how="left")
        .join(state, on="customer_id", how="left")
        .join(exposure, on="customer_id", how="left")
        .with_columns(pl.col("exposure_minor").fill_null(0))
    )
    limit = pl.col("limit_minor")
    return (
        frame.with_columns(
            (limit - pl.col("exposure_minor")).alias("available_minor"),
            pl.when(limit > 0)
            .then(percent_half_up(pl.col("exposure_minor"), limit))
            .alias("usage_percent"),
        )
        .drop("customer_id")
        .sort("customer_code")
    )


def class_summary(positions: pl.DataFrame) -> pl.DataFrame:
    """Add up :func:`credit_positions` per risk class (``unrated`` for customers never reviewed):
    customers, exposure_minor, with_limit (customers with a limit in force) and limit_minor (the
    sum of those limits, 0 when there is none)."""
    return (
        positions.with_columns(pl.col("risk_class").fill_null("unrated"))
        .group_by("risk_class")
        .agg(
            pl.len().alias("customers"),
            pl.col("exposure_minor").sum(),
            pl.col("limit_minor").count().alias("with_limit"),
            pl.col("limit_minor").sum(),
        )
        .sort("risk_class")
    )
