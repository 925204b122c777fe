"""Each customer's own payment history, summarized for the discount-offer simulator.

Over the ``days`` days ending on the as-of date (365 by default), per customer:

- ``annual_sales``: invoices and debit notes dated in the window, each converted to the company
  currency at its own rate, scaled to a year (``* 365 / days``);
- ``average_days_to_pay``: of the items dated in the window and settled by the as-of date, the
  amount-weighted mean of the days from the document date to the last allocation (the payment,
  credit note or discount that closed the item);
- ``early_share``: the part of that settled amount closed within ``discount_days`` of the
  document date, and ``average_days_early`` the weighted mean days of that part (None without).

A customer without settled items in the window has no history to simulate on and is left out.
The result feeds :func:`receivables.domain.discount_economics.simulate_discount_offer`.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import polars as pl

from receivables.analytics.conversion import to_company_minor, unit_scale_column
from receivables.analytics.frames import LedgerFrames
from receivables.domain.discount_economics import YEAR_DAYS, CustomerPaymentSummary
from receivables.domain.documents import DEBIT_KINDS
from receivables.domain.money import Currency

DEBIT = [kind.value for kind in DEBIT_KINDS]


def _settled(ledger: LedgerFrames, as_of: date) -> pl.DataFrame:
    """Return document_id, allocated total and last allocation day up to ``as_of``."""
    return (
        ledger.allocations.filter(pl.col("allocation_date") <= as_of)
        .group_by("target_id")
        .agg(
            pl.col("amount_minor").sum().alias("allocated"),
            pl.col("allocation_date").max().alias("last_allocation"),
        )
        .rename({"target_id": "document_id"})
    )


def payment_history(
    ledger: LedgerFrames,
    as_of: date,
    company: Currency,
    discount_days: int,
    days: int = YEAR_DAYS,
    customers: list[str] | None = None,
) -> list[CustomerPaymentSummary]:
    """Summarize each customer's payment history over the ``days`` days ending on ``as_of``."""
    if days <= 0:
        raise ValueError(f"history days {days} must be positive")
    start = as_of - timedelta(days=days - 1)
    items = ledger.documents.filter(
        pl.col("kind").is_in(DEBIT) & pl.col("document_date").is_between(start, as_of)
    )
    if customers is not None:
        items = items.filter(pl.col("customer_code").is_in(customers))

    codes = items.get_column("currency").unique().to_list()
    items = items.with_columns(unit_scale_column(pl.col("currency"), codes).alias("unit_scale"))
    items = items.with_columns(to_company_minor(pl.col("amount_minor"), company).alias("company"))
    settled = items.join(_settled(ledger, as_of), on="document_id", how="inner").filter(
        pl.col("allocated") == pl.col("amount_minor")
    )
    settled = settled.with_columns(
        (pl.col("last_allocation") - pl.col("document_date")).dt.total_days().alias("days")
    ).with_columns((pl.col("days") <= discount_days).alias("early"))

    weighted = pl.col("company") * pl.col("days")
    history = settled.group_by("customer_code").agg(
        pl.col("company").sum().alias("settled"),
        weighted.sum().alias("weighted_days"),
        pl.col("company").filter(pl.col("early")).sum().alias("early_amount"),
        weighted.filter(pl.col("early")).sum().alias("early_days"),
    )
    sales = items.group_by("customer_code").agg(pl.col("company").sum().alias("sales"))
    table = (
        history.filter(pl.col("settled") > 0)
        .join(sales, on="customer_code", how="left")
        .sort("customer_code")
    )
    return [_summary(row, days, company) for row in table.iter_rows(named=True)]


def _summary(row: dict[str, Any], days: int, company: Currency) -> CustomerPaymentSummary:
    settled = Decimal(int(row["settled"]))
    early = Decimal(int(row["early_amount"] or 0))
    sales = Decimal(int(row["sales"] or 0)).scaleb(-company.minor_unit)
    return CustomerPaymentSummary(
        customer_code=str(row["customer_code"]),
        annual_sales=sales * YEAR_DAYS / days,
        average_days_to_pay=Decimal(int(row["weighted_days"])) / settled,
        early_share=early / settled,
        average_days_early=Decimal(int(row["early_days"] or 0)) / early if early else None,
    )
