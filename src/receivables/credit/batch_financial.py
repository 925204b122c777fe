"""Financial factors of every customer with statements, with Polars: the batch path.

For each customer, the latest statement whose period ended on or before ``as_of`` and the one
before it give the same ratios, Z score, zones and trend as
:func:`receivables.domain.credit.trend.evaluate_financials`, in integer hundredths. The Z score is
the exact fraction of :func:`receivables.domain.credit.altman.altman_numerator`, rounded once.
"""

from __future__ import annotations

from datetime import date

import polars as pl
from sqlalchemy import Engine

from receivables.credit.polars_math import divide_half_up, hundredths, percent_half_up
from receivables.domain.credit.altman import COEFFICIENT_SCALE, COEFFICIENTS, AltmanModel, ZoneEdges
from receivables.domain.credit.statements import AMOUNT_FIELDS
from receivables.storage.frames import read_frame

STATEMENTS_SQL = (
    "SELECT s.customer_id, s.fiscal_year, s.period_end, s.currency, "
    + ", ".join(f"s.{name}_minor AS {name}" for name in AMOUNT_FIELDS)
    + ", s.altman_model, c.industry "
    "FROM financial_statements s JOIN customers c ON c.id = s.customer_id"
)
STATEMENTS_SCHEMA: dict[str, pl.DataType] = {
    "customer_id": pl.Int64(),
    "fiscal_year": pl.Int64(),
    "period_end": pl.Date(),
    "currency": pl.String(),
    **{name: pl.Int64() for name in AMOUNT_FIELDS},
    "altman_model": pl.String(),
    "industry": pl.String(),
}


def load_statements(engine: Engine) -> pl.DataFrame:
    """Load every stored statement with its customer's industry."""
    return read_frame(engine, STATEMENTS_SQL, STATEMENTS_SCHEMA)


def _model(manufacturing: frozenset[str]) -> pl.Expr:
    by_industry = (
        pl.when(pl.col("industry").str.strip_chars().str.to_lowercase().is_in(list(manufacturing)))
        .then(pl.lit(AltmanModel.Z_PRIME.value))
        .otherwise(pl.lit(AltmanModel.Z_DOUBLE_PRIME.value))
    )
    return pl.coalesce(pl.col("altman_model"), by_industry)


def _coefficient(index: int, model: pl.Expr) -> pl.Expr:
    prime = COEFFICIENTS[AltmanModel.Z_PRIME][index]
    double = COEFFICIENTS[AltmanModel.Z_DOUBLE_PRIME][index]
    return pl.when(model == AltmanModel.Z_PRIME.value).then(prime).otherwise(double).cast(pl.Int128)


def z_hundredths(prefix: str, model: pl.Expr) -> pl.Expr:
    """Compute the Z score in hundredths of the statement in the columns ``prefix + name``."""
    item = {name: pl.col(f"{prefix}{name}").cast(pl.Int128) for name in AMOUNT_FIELDS}
    c1, c2, c3, c4, c5 = (_coefficient(index, model) for index in range(5))
    working_capital = item["current_assets"] - item["current_liabilities"]
    over_assets = (
        c1 * working_capital
        + c2 * item["retained_earnings"]
        + c3 * item["ebit"]
        + c5 * item["sales"]
    )
    numerator = over_assets * item["total_liabilities"] + c4 * item["equity"] * item["total_assets"]
    denominator = COEFFICIENT_SCALE * item["total_assets"] * item["total_liabilities"]
    return divide_half_up(numerator, denominator)


def _edge(edges: ZoneEdges, model: pl.Expr, index: int) -> pl.Expr:
    prime = hundredths(edges[AltmanModel.Z_PRIME][index])
    double = hundredths(edges[AltmanModel.Z_DOUBLE_PRIME][index])
    return pl.when(model == AltmanModel.Z_PRIME.value).then(prime).otherwise(double)


def zone_rank(z: pl.Expr, model: pl.Expr, edges: ZoneEdges) -> pl.Expr:
    """0 (safe), 1 (grey) or 2 (distress) for a Z score in hundredths; null when it is null.

    A score on an edge is grey, as in :func:`receivables.domain.credit.altman.zone_of`.
    """
    rank = (
        pl.when(z > _edge(edges, model, 1))
        .then(0)
        .when(z < _edge(edges, model, 0))
        .then(2)
        .otherwise(1)
    )
    return pl.when(z.is_not_null()).then(rank).cast(pl.Int64)


def _ratios() -> list[pl.Expr]:
    item = {name: pl.col(name) for name in AMOUNT_FIELDS}
    liabilities = item["current_liabilities"]
    return [
        divide_half_up(item["current_assets"], liabilities).alias("current_ratio"),
        divide_half_up(item["current_assets"] - item["inventory"], liabilities).alias(
            "quick_ratio"
        ),
        divide_half_up(item["cash"], liabilities).alias("cash_ratio"),
        pl.when(item["equity"] > 0)
        .then(divide_half_up(item["total_liabilities"], item["equity"]))
        .alias("debt_to_equity"),
        divide_half_up(item["ebit"], item["interest_expense"]).alias("interest_coverage"),
        percent_half_up(item["net_income"], item["sales"]).alias("net_margin"),
        pl.when(item["equity"] < 0).then(100).otherwise(0).cast(pl.Int64).alias("negative_equity"),
    ]


def _latest_two(statements: pl.DataFrame, as_of: date) -> tuple[pl.DataFrame, pl.DataFrame]:
    known = statements.filter(pl.col("period_end") <= as_of).with_columns(
        pl.col("fiscal_year")
        .rank("ordinal", descending=True)
        .over("customer_id")
        .alias("_position")
    )
    latest = known.filter(pl.col("_position") == 1).drop("_position")
    previous = known.filter(pl.col("_position") == 2).drop("_position", "altman_model", "industry")
    return latest, previous.rename(
        {name: f"prev_{name}" for name in previous.columns if name != "customer_id"}
    )


def financial_frame(
    statements: pl.DataFrame,
    as_of: date,
    max_age_months: int,
    manufacturing: frozenset[str],
    edges: ZoneEdges,
) -> pl.DataFrame:
    """Financial factors per customer with a statement known on ``as_of``, in hundredths.

    Columns: customer_id, fiscal_year, ``stale``, the ratios, ``z_score``, ``altman_zone`` and
    ``previous_zone`` (the zone's rank 0, 1 or 2 in hundredths, like every factor),
    ``zone_dropped`` (null without a previous statement),
    ``sales_growth_percent``, ``negative_equity`` and the statement items (for the limits).
    """
    latest, previous = _latest_two(statements, as_of)
    model = pl.col("model")
    frame = latest.join(previous, on="customer_id", how="left").with_columns(
        _model(manufacturing).alias("model")
    )
    frame = frame.with_columns(
        z_hundredths("", model).alias("z_score"),
        z_hundredths("prev_", model).alias("_prev_z"),
        (pl.col("period_end").dt.offset_by(f"{max_age_months + 1}mo") <= as_of).alias("stale"),
        *_ratios(),
    ).with_columns(
        (zone_rank(pl.col("z_score"), model, edges) * 100).alias("altman_zone"),
        (zone_rank(pl.col("_prev_z"), model, edges) * 100).alias("previous_zone"),
    )
    has_previous = pl.col("prev_fiscal_year").is_not_null()
    dropped = (pl.col("altman_zone") > pl.col("previous_zone")).fill_null(False).cast(
        pl.Int64
    ) * 100
    growth = pl.when(
        has_previous & (pl.col("prev_currency") == pl.col("currency")) & (pl.col("prev_sales") > 0)
    )
    return frame.with_columns(
        pl.when(has_previous).then(dropped).alias("zone_dropped"),
        growth.then(
            percent_half_up(pl.col("sales") - pl.col("prev_sales"), pl.col("prev_sales"))
        ).alias("sales_growth_percent"),
    ).select(pl.exclude("^prev_.*$", "^_.*$"))
