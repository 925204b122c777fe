"""Credit sales per day and per calendar month, and the months that DSO countback walks through.

Credit sales are invoices plus debit notes minus credit notes, each document converted to the
company currency at its own rate and rounded before the sum. The daily series
(``CompanyView.daily_sales``) does not depend on the as-of date, so one series serves the report
and every point of its trend.
"""

from __future__ import annotations

import calendar
from datetime import date
from decimal import Decimal

import polars as pl

from receivables.domain.metrics import MonthSales
from receivables.domain.money import Currency


def sales_between(daily: pl.DataFrame, first: date, last: date) -> int:
    """Credit sales dated from ``first`` to ``last``, both included, in company minor units."""
    window = daily.filter(pl.col("document_date").is_between(first, last, closed="both"))
    return int(window["sales"].sum())


def countback_months(
    daily: pl.DataFrame, as_of: date, history_start: date, company: Currency
) -> list[MonthSales]:
    """List the months DSO countback walks: the as-of month to date, then each earlier calendar
    month back to the month of ``history_start`` (the first document of the ledger).
    """
    if history_start > as_of:
        return []
    by_month = (
        daily.filter(pl.col("document_date") <= as_of)
        .group_by(
            pl.col("document_date").dt.year().alias("year"), pl.col("document_date").dt.month().alias("month")
        )
        .agg(pl.col("sales").sum())
    )
    sales = {(row[0], row[1]): int(row[2]) for row in by_month.iter_rows()}
    months = [MonthSales(_major(sales.get((as_of.year, as_of.month), 0), company), as_of.day)]
    year, month = as_of.year, as_of.month
    while (year, month) > (history_start.year, history_start.month):
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        days = calendar.monthrange(year, month)[1]
        months.append(MonthSales(_major(sales.get((year, month), 0), company), days))
    return months


def _major(minor: int, company: Currency) -> Decimal:
    return Decimal(minor).scaleb(-company.minor_unit)
