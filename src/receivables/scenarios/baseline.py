"""The company's figures as of a date and each customer's share of them, for scenarios and advice.

:func:`baseline_figures` computes the report of the as-of date (no trend) and, per customer, the
columns the analytics' customer totals give: ``total_open``, ``current_ar``, ``disputed_open``
and ``credit_sales`` of the period, in company minor units.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from receivables.analytics import LedgerFrames, Report, compute_report
from receivables.analytics.snapshot import Period, position_parts
from receivables.analytics.totals import customer_totals
from receivables.domain.aging import AgingBuckets
from receivables.domain.money import Currency


@dataclass(frozen=True)
class Baseline:
    """The report of ``as_of`` and one row per customer with a document that counts on it."""

    report: Report
    customers: pl.DataFrame

    @property
    def sales_minor(self) -> int:
        return int(self.customers["credit_sales"].sum())

    @property
    def open_minor(self) -> int:
        return int(self.customers["total_open"].sum())


def baseline_figures(ledger: LedgerFrames, as_of: date, period_days: int, company: Currency) -> Baseline:
    """Compute the report and the customer totals of the ``period_days`` days ending on ``as_of``."""
    report = compute_report(
        ledger, as_of=as_of, period_days=period_days, company_currency=company, top=0, trend=False
    )
    prepared = ledger.prepared
    parts = position_parts(prepared.view(company), prepared, Period(as_of, period_days), AgingBuckets())
    customers = customer_totals(parts).collect().sort("customer_id")
    return Baseline(report, customers)
