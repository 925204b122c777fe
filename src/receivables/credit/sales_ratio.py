"""The credit-sales ratio: credit sales against total sales by month and segment.

Credit sales are the ledger's net credit sales (invoices and debit notes less credit notes) by
document month, converted per document to the company currency, per customer segment (customers
without a segment fall under ``(none)``). Total sales add the sales paid on the spot, which the
ledger does not hold: they come from the imported sales figures (see
:mod:`receivables.credit.sales_import`), per month and segment:

- a ``cash_sales`` figure gives ``total = credit + cash``;
- a ``total_sales`` figure gives ``cash = total - credit``; a total below the credit sales is
  flagged, not clipped.

The company-wide row of a month (segment ``all``) takes the figure imported without a segment;
without one, the sum of the month's segment figures. The ratio is ``credit / total * 100``
rounded half-up to two decimals, and a month is over the ceiling when the ratio exceeds
``ceiling_percent``. Without a figure the ratio is unknown, and the row's note tells why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import polars as pl
from sqlalchemy import Engine

from receivables.analytics.conversion import to_company_minor, unit_scale_column
from receivables.credit.polars_math import hundredths, percent_half_up
from receivables.domain.money import Currency, Money
from receivables.storage.frames import read_frame

ALL, NONE = "all", "(none)"
FIGURES_SQL = "SELECT month, segment, cash_sales_minor, total_sales_minor FROM sales_figures"
FIGURES_SCHEMA: dict[str, pl.DataType] = {
    "month": pl.Date(),
    "segment": pl.String(),
    "cash_sales_minor": pl.Int64(),
    "total_sales_minor": pl.Int64(),
}
SIGNS = {"invoice": 1, "debit_note": 1, "credit_note": -1}


def load_sales_figures(engine: Engine) -> pl.DataFrame:
    """Load every imported sales figure: month, segment (``""`` for the company), cash, total."""
    return read_frame(engine, FIGURES_SQL, FIGURES_SCHEMA)


def _credit_sales(
    documents: pl.DataFrame, customers: pl.DataFrame, start: date, end: date, company: Currency
) -> pl.DataFrame:
    sales = documents.filter(
        pl.col("kind").is_in(list(SIGNS)) & pl.col("document_date").is_between(start, end)
    )
    codes = sales["currency"].unique().to_list()
    segments = customers.select("customer_id", pl.col("segment").fill_null(NONE))
    by_segment = (
        sales.join(segments, on="customer_id", how="left")
        .with_columns(
            unit_scale_column(pl.col("currency"), codes).alias("unit_scale"),
            pl.col("document_date").dt.truncate("1mo").alias("month"),
            pl.col("segment").fill_null(NONE),
        )
        .with_columns(
            (
                to_company_minor(pl.col("amount_minor"), company)
                * pl.col("kind").replace_strict(SIGNS, return_dtype=pl.Int64)
            ).alias("_sale")
        )
        .group_by("month", "segment")
        .agg(pl.col("_sale").sum().alias("credit_sales"))
    )
    whole = (
        by_segment.group_by("month")
        .agg(pl.col("credit_sales").sum())
        .with_columns(pl.lit(ALL).alias("segment"))
    )
    return pl.concat([by_segment, whole.select(by_segment.columns)])


def _sum_or_null(column: str) -> pl.Expr:
    return pl.when(pl.col(column).is_not_null().any()).then(pl.col(column).sum()).alias(column)


def _figures(figures: pl.DataFrame, start: date, end: date) -> pl.DataFrame:
    known = figures.filter(pl.col("month").is_between(start.replace(day=1), end))
    segments = known.filter(pl.col("segment") != "")
    company = known.filter(pl.col("segment") == "").with_columns(pl.lit(ALL).alias("segment"))
    summed = (
        segments.join(company.select("month"), on="month", how="anti")
        .group_by("month")
        .agg(_sum_or_null("cash_sales_minor"), _sum_or_null("total_sales_minor"))
        .with_columns(pl.lit(ALL).alias("segment"))
    )
    return pl.concat([segments, company, summed.select(segments.columns)])


def credit_sales_ratio_frame(
    documents: pl.DataFrame,
    customers: pl.DataFrame,
    figures: pl.DataFrame,
    *,
    start: date,
    end: date,
    company: Currency,
    ceiling_percent: Decimal,
) -> pl.DataFrame:
    """Compute one row per month and segment (``all`` for the company) from ``start`` to ``end``.

    Columns: month, segment, credit_sales, cash_sales, total_sales (company minor units),
    ``ratio`` (hundredths of a percent), ``over_ceiling`` and ``note``.
    """
    credit = _credit_sales(documents, customers, start, end, company)
    rows = credit.join(
        _figures(figures, start, end), on=["month", "segment"], how="full", coalesce=True
    )
    credit_sales = pl.col("credit_sales").fill_null(0)
    total = (
        pl.when(pl.col("total_sales_minor").is_not_null())
        .then(pl.col("total_sales_minor"))
        .when(pl.col("cash_sales_minor").is_not_null())
        .then(credit_sales + pl.col("cash_sales_minor"))
    )
    rows = rows.with_columns(
        credit_sales.alias("credit_sales"), total.alias("total_sales")
    ).with_columns(
        (pl.col("total_sales") - pl.col("credit_sales")).alias("cash_sales"),
        pl.when(pl.col("total_sales") > 0)
        .then(percent_half_up(pl.col("credit_sales"), pl.col("total_sales")))
        .alias("ratio"),
    )
    note = (
        pl.when(pl.col("total_sales").is_null())
        .then(pl.lit("no cash or total sales figure for this month"))
        .when(pl.col("cash_sales") < 0)
        .then(pl.lit("total sales figure is below the credit sales in the ledger"))
    )
    return (
        rows.with_columns(
            (pl.col("ratio") > hundredths(ceiling_percent)).fill_null(False).alias("over_ceiling"),
            note.alias("note"),
        )
        .select(
            "month",
            "segment",
            "credit_sales",
            "cash_sales",
            "total_sales",
            "ratio",
            "over_ceiling",
            "note",
        )
        .sort("month", pl.col("segment") != ALL, "segment")
    )


@dataclass(frozen=True)
class SalesRatio:
    """The ratio table with its ceiling, in the company currency."""

    rows: pl.DataFrame
    ceiling_percent: Decimal
    currency: Currency

    def to_dicts(self) -> list[dict[str, Any]]:
        """Return the rows with amounts as decimal strings and the ratio as a percentage string."""

        def money(value: int | None) -> str | None:
            return None if value is None else str(Money.from_minor(value, self.currency).amount)

        return [
            {
                "month": row["month"].strftime("%Y-%m"),
                "segment": row["segment"],
                "credit_sales": money(row["credit_sales"]),
                "cash_sales": money(row["cash_sales"]),
                "total_sales": money(row["total_sales"]),
                "ratio_percent": None
                if row["ratio"] is None
                else str(Decimal(row["ratio"]).scaleb(-2)),
                "over_ceiling": row["over_ceiling"],
                "note": row["note"],
            }
            for row in self.rows.iter_rows(named=True)
        ]


def credit_sales_ratio(
    documents: pl.DataFrame,
    customers: pl.DataFrame,
    figures: pl.DataFrame,
    *,
    start: date,
    end: date,
    company: Currency,
    ceiling_percent: Decimal,
) -> SalesRatio:
    """Compute the credit-sales ratio by month and segment.

    The frames are those of ``storage.frames`` (documents, customers) and
    :func:`load_sales_figures`.
    """
    frame = credit_sales_ratio_frame(
        documents,
        customers,
        figures,
        start=start,
        end=end,
        company=company,
        ceiling_percent=ceiling_percent,
    )
    return SalesRatio(frame, ceiling_percent, company)
