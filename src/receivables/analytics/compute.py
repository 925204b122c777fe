"""Compute the report of an as-of date from the ledger frames, or straight from the database."""

from __future__ import annotations

import logging
from datetime import date

from sqlalchemy import Engine

from receivables.analytics.customers import top_overdue
from receivables.analytics.discounts import discount_figures
from receivables.analytics.errors import EmptyLedgerError
from receivables.analytics.figures import build_figures
from receivables.analytics.frames import LedgerFrames, load_ledger
from receivables.analytics.report import Report
from receivables.analytics.sales import countback_months
from receivables.analytics.snapshot import Period, position_parts
from receivables.analytics.totals import company_totals, customer_totals
from receivables.analytics.trend import monthly_trend
from receivables.domain.aging import AgingBuckets
from receivables.domain.money import Currency

log = logging.getLogger(__name__)


def compute_report(
    ledger: LedgerFrames,
    *,
    as_of: date,
    period_days: int = 90,
    buckets: AgingBuckets = AgingBuckets(),  # noqa: B008 - immutable
    company_currency: Currency | str,
    customer_code: str | None = None,
    top: int = 10,
    trend: bool = True,
) -> Report:
    """Compute the report as of the end of ``as_of``, for the whole ledger or one customer, without I/O.

    ``period_days`` days ending on ``as_of`` form the period of sales-based figures. Raises
    :class:`EmptyLedgerError` when there are no documents and :class:`UnknownCustomerError`
    when ``customer_code`` has none.
    """
    if period_days <= 0:
        raise ValueError(f"period_days {period_days} must be a positive number of days")
    if top < 0:
        raise ValueError(f"top {top} must be zero or more")
    if ledger.is_empty:
        raise EmptyLedgerError()
    company = company_currency if isinstance(company_currency, Currency) else Currency.of(company_currency)
    scope = ledger.for_customer(customer_code) if customer_code is not None else ledger
    prepared = scope.prepared
    view = prepared.view(company)
    period = Period(as_of, period_days)
    parts = position_parts(view, prepared, period, buckets)
    customers = customer_totals(parts).collect()
    history_start = prepared.first_date
    months = countback_months(view.daily_sales, as_of, history_start, company) if history_start else []
    figures = build_figures(company_totals(parts, buckets), period, buckets, company, months)
    points = (
        monthly_trend(view, prepared, as_of=as_of, period_days=period_days, buckets=buckets) if trend else []
    )
    lines = top_overdue(customers, scope.customer_names(), period, company, top)
    discounts = discount_figures(
        scope.documents, scope.allocations, scope.customers, scope.discount_offers, period, company
    )
    log.info(
        "report as of %s in %s: %d customers, %d trend points",
        as_of,
        company.code,
        customers.height,
        len(points),
    )
    return Report(company, buckets, figures, customer_code, lines, points, discounts=discounts)


def build_report(
    engine: Engine,
    *,
    as_of: date,
    period_days: int = 90,
    buckets: AgingBuckets = AgingBuckets(),  # noqa: B008 - immutable
    company_currency: Currency | str,
    customer_code: str | None = None,
    top: int = 10,
    trend: bool = True,
) -> Report:
    """Load the ledger from ``engine`` and compute its report (see :func:`compute_report`)."""
    return compute_report(
        load_ledger(engine),
        as_of=as_of,
        period_days=period_days,
        buckets=buckets,
        company_currency=company_currency,
        customer_code=customer_code,
        top=top,
        trend=trend,
    )


__all__ = ["build_report", "compute_report"]
