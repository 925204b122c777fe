"""Import of monthly sales figures: cash sales, or total sales, per month and customer segment.

Credit sales come from the ledger (invoices and debit notes less credit notes). The share of
credit in total sales needs what the ledger does not hold: sales paid on the spot. A sales file
gives, per month and optionally per segment, either ``cash_sales`` (total sales are then credit
plus cash sales) or ``total_sales`` (cash sales are then the difference), never both.

Columns: ``month, segment, currency, cash_sales, total_sales``. ``month`` is ``YYYY-MM`` (a full
date counts for its month); a blank ``segment`` stands for the whole company; ``currency`` must
be the company currency, since the figures are compared with converted ledger sales.
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
    require_columns,
    without_problem_rows,
)
from receivables.credit.writing import upsert
from receivables.domain.money import Currency
from receivables.importers.problems import Check
from receivables.storage.credit_models import SalesFigureRow

REQUIRED = ("month", "currency")
OPTIONAL = ("segment", "cash_sales", "total_sales")
MONTH_PATTERN = r"^[0-9]{4}-[0-9]{2}(-[0-9]{2})?$"


def _parsed(frame: pl.DataFrame, company: Currency) -> pl.DataFrame:
    month = pl.col("month")
    first = (month.str.slice(0, 7) + "-01").str.to_date("%Y-%m-%d", strict=False)
    unit = pl.lit(company.minor_unit)
    return frame.with_columns(
        pl.when(month.str.contains(MONTH_PATTERN)).then(first).alias("_month"),
        pl.col("segment").fill_null("").alias("_segment"),
        amount_minor("cash_sales", unit).alias("_cash"),
        amount_minor("total_sales", unit).alias("_total"),
    )


def _checks(company: Currency) -> list[Check]:
    unit = pl.lit(company.minor_unit)
    checks = [
        Check("month", pl.col("_month").is_null(), "is not a month YYYY-MM"),
        Check(
            "currency",
            pl.col("currency").str.to_uppercase() != company.code,
            f"must be the company currency {company.code}",
        ),
        Check(
            "cash_sales",
            blank("cash_sales") & blank("total_sales"),
            "give cash_sales or total_sales",
        ),
        Check(
            "cash_sales",
            ~blank("cash_sales") & ~blank("total_sales"),
            "give cash_sales or total_sales, not both",
        ),
        Check("segment", pl.col("_segment").str.len_chars() > 100, "is longer than 100 characters"),
        Check(
            "month",
            pl.struct("_month", "_segment").is_duplicated(),
            "appears twice for this segment in the file",
        ),
    ]
    for name, parsed in (("cash_sales", "_cash"), ("total_sales", "_total")):
        checks.append(
            Check(
                name,
                ~blank(name) & amount_problem(name, unit).is_not_null(),
                amount_problem(name, unit),
            )
        )
        checks.append(Check(name, pl.col(parsed) < 0, "must not be negative"))
    return checks


def import_sales(
    connection: Connection, frame: pl.DataFrame, report: FileReport, company: Currency
) -> None:
    """Check a sales file and upsert its figures by month and segment; fill in ``report``."""
    frame = require_columns(frame, report.file, REQUIRED, OPTIONAL)
    parsed = _parsed(frame, company)
    report.rows_read = parsed.height
    report.problems = collect_problems(parsed, _checks(company), report.file)
    rows = (
        without_problem_rows(parsed, report.problems)
        .select(
            pl.col("_month").alias("month"),
            pl.col("_segment").alias("segment"),
            pl.lit(company.code).alias("currency"),
            pl.col("_cash").alias("cash_sales_minor"),
            pl.col("_total").alias("total_sales_minor"),
        )
        .to_dicts()
    )
    report.rows_written = upsert(connection, SalesFigureRow, rows, ("month", "segment"))
