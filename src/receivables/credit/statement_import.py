"""Import of financial statements: one row per customer and fiscal year.

Columns (generic layout, amounts in major units of ``currency``):
``customer_code, fiscal_year, period_end, currency, current_assets, current_liabilities, cash,
inventory, total_assets, total_liabilities, equity, retained_earnings, sales, ebit, net_income,
interest_expense, altman_model``. ``period_end`` defaults to 31 December of the fiscal year and
``altman_model`` (``z_prime`` or ``z_double_prime``) to the choice by the customer's industry.
Every amount is required: a blank cell is a problem, never a zero.

The checks are those of :class:`receivables.domain.credit.statements.FinancialStatement`, run on
the whole file at once: a row that breaks one (zero total assets, a negative asset, an unknown
customer) is rejected with the reason; the other rows are written, keyed by customer and year.
"""

from __future__ import annotations

import polars as pl
from sqlalchemy import Connection

from receivables.credit.reading import (
    FileReport,
    amount_minor,
    amount_problem,
    blank,
    collect_problems,
    currency_check,
    minor_unit_column,
    parse_date,
    require_columns,
    without_problem_rows,
)
from receivables.credit.writing import customer_ids, upsert
from receivables.domain.credit.altman import AltmanModel
from receivables.domain.credit.statements import AMOUNT_FIELDS, MAX_MINOR_UNITS, NON_NEGATIVE
from receivables.importers.problems import Check
from receivables.storage.credit_models import FinancialStatementRow

REQUIRED = ("customer_code", "fiscal_year", "currency", *AMOUNT_FIELDS)
OPTIONAL = ("period_end", "altman_model")
MODELS = [model.value for model in AltmanModel]


def _parsed(frame: pl.DataFrame, ids: dict[str, int]) -> pl.DataFrame:
    minor_unit = pl.col("_minor_unit")
    year = pl.col("fiscal_year").cast(pl.Int32, strict=False)
    return frame.with_columns(minor_unit_column(frame).alias("_minor_unit")).with_columns(
        pl.col("customer_code")
        .replace_strict(ids, default=None, return_dtype=pl.Int64)
        .alias("_customer_id"),
        year.alias("_year"),
        pl.coalesce(parse_date("period_end"), pl.date(year, 12, 31)).alias("_period_end"),
        pl.col("altman_model").str.to_lowercase().alias("_model"),
        *[amount_minor(name, minor_unit).alias(f"_{name}") for name in AMOUNT_FIELDS],
    )


def _amount_checks() -> list[Check]:
    checks = []
    for name in AMOUNT_FIELDS:
        checks.append(Check(name, blank(name), "is missing; every statement item is required"))
        checks.append(
            Check(
                name,
                ~blank(name)
                & amount_problem(name, pl.col("_minor_unit")).is_not_null()
                & pl.col("_minor_unit").is_not_null(),
                amount_problem(name, pl.col("_minor_unit")),
            )
        )
        checks.append(Check(name, pl.col(f"_{name}").abs() >= MAX_MINOR_UNITS, "is too large"))
    for name in NON_NEGATIVE:
        checks.append(Check(name, pl.col(f"_{name}") < 0, "must not be negative"))
    return checks


def _checks() -> list[Check]:
    assets, current = pl.col("_total_assets"), pl.col("_current_assets")
    return [
        Check("customer_code", blank("customer_code"), "is missing"),
        Check(
            "customer_code",
            ~blank("customer_code") & pl.col("_customer_id").is_null(),
            "is not a known customer; import the customer first",
        ),
        Check(
            "fiscal_year",
            ~pl.col("_year").is_between(1900, 2999).fill_null(False),
            "is not a year such as 2024",
        ),
        Check(
            "period_end",
            ~blank("period_end") & parse_date("period_end").is_null(),
            "is not a date YYYY-MM-DD",
        ),
        currency_check(),
        Check(
            "altman_model",
            ~blank("altman_model") & ~pl.col("_model").is_in(MODELS),
            f"must be one of {', '.join(MODELS)}",
        ),
        *_amount_checks(),
        Check(
            "total_assets",
            assets <= 0,
            "must be positive: every Altman component divides by total assets",
        ),
        Check("current_assets", current > assets, "exceeds total_assets"),
        Check("cash", pl.col("_cash") > current, "exceeds current_assets, of which it is a part"),
        Check(
            "inventory",
            pl.col("_inventory") > current,
            "exceeds current_assets, of which it is a part",
        ),
        Check(
            "fiscal_year",
            pl.struct("customer_code", "_year").is_duplicated(),
            "appears twice for this customer in the file",
        ),
    ]


def import_statements(connection: Connection, frame: pl.DataFrame, report: FileReport) -> None:
    """Check the rows of a statements file and upsert the valid ones; fill in ``report``."""
    frame = require_columns(frame, report.file, REQUIRED, OPTIONAL)
    parsed = _parsed(frame, customer_ids(connection, frame["customer_code"].drop_nulls().to_list()))
    report.rows_read = parsed.height
    report.problems = collect_problems(parsed, _checks(), report.file)
    valid = without_problem_rows(parsed, report.problems)
    rows = valid.select(
        pl.col("_customer_id").alias("customer_id"),
        pl.col("_year").alias("fiscal_year"),
        pl.col("_period_end").alias("period_end"),
        pl.col("currency").str.to_uppercase().alias("currency"),
        *[pl.col(f"_{name}").alias(f"{name}_minor") for name in AMOUNT_FIELDS],
        pl.col("_model").alias("altman_model"),
    ).to_dicts()
    report.rows_written = upsert(
        connection, FinancialStatementRow, rows, ("customer_id", "fiscal_year")
    )
