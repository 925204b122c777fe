"""The customers with the most overdue on the as-of date.

Per-customer DSO uses :func:`receivables.domain.metrics.dso_simple` on Polars decimal
expressions, the formula of the company figure applied to each customer's own receivables and
credit sales. Division keeps 18 decimal places before ``round_figure`` rounds to two.
"""

from __future__ import annotations

from decimal import Decimal

import polars as pl

from receivables.analytics.report import CustomerLine
from receivables.analytics.snapshot import Period
from receivables.domain import metrics
from receivables.domain.metrics import round_figure
from receivables.domain.money import Currency

DECIMAL_SCALE = 18


def customer_dso(period: Period) -> pl.Expr:
    """Compute each customer row's DSO from ``total_open`` and ``credit_sales``; null without sales."""
    sales = pl.col("credit_sales").cast(pl.Decimal(38, 0))
    receivables = pl.col("total_open").cast(pl.Decimal(38, DECIMAL_SCALE))
    return metrics.dso_simple(receivables, pl.when(sales != 0).then(sales), period.days)


def top_overdue(
    customers: pl.DataFrame, names: pl.DataFrame, period: Period, company: Currency, top: int
) -> list[CustomerLine]:
    """List up to ``top`` customers with an overdue amount, largest first (ties by customer code)."""
    ranked = (
        customers.lazy()
        .with_columns((pl.col("total_open") - pl.col("current_ar")).alias("overdue"))
        .filter(pl.col("overdue") > 0)
        .join(names.lazy(), on="customer_id", how="left")
        .with_columns(customer_dso(period).alias("dso_simple"))
        .sort(["overdue", "customer_code"], descending=[True, False])
        .head(top)
        .collect()
    )

    def amount(minor: int) -> Decimal:
        return Decimal(minor).scaleb(-company.minor_unit)

    return [
        CustomerLine(
            customer_code=row["customer_code"],
            name=row["name"] or row["customer_code"],
            total_open=amount(row["total_open"]),
            overdue=amount(row["overdue"]),
            oldest_days_past_due=int(row["oldest_days_past_due"]),
            disputed_amount=amount(row["disputed_open"]),
            dso_simple=round_figure(row["dso_simple"]),
        )
        for row in ranked.iter_rows(named=True)
    ]
