"""The dashboard: aging, DSO and CEI with their monthly trend, and the cash forecast.

Figures come from :func:`receivables.analytics.compute_report`, the same computation as
``receivables report``, and the charts from :mod:`receivables.reports.charts`. The cash
forecast appears only when the prediction package is installed (see ``web.forecast``), and is
computed in the background when the user asks for it.
"""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from receivables.analytics import AnalyticsError, Report, compute_report, load_ledger
from receivables.domain.aging import AgingBuckets
from receivables.reports.charts import AMBER, BLUE, TEAL, Series, bar_chart, line_chart
from receivables.reports.formatting import AMOUNT_LABELS, RATIO_LABELS
from receivables.web.access import DASHBOARD
from receivables.web.context import as_of, company_currency, settings_of
from receivables.web.forecast import FORECASTS, WEEKS, prediction_api
from receivables.web.guard import PageRoute, page_viewer
from receivables.web.rendering import render
from receivables.web.viewer import PageError, Viewer

log = logging.getLogger(__name__)

router = APIRouter(route_class=PageRoute)
DashboardViewer = Annotated[Viewer, Depends(page_viewer(*DASHBOARD))]
HEADLINE_AMOUNTS = ("total_open", "overdue", "disputed_amount", "unapplied_credit")
HEADLINE_RATIOS = ("dso_countback", "best_possible_dso", "cei", "average_days_late")


def _report(request: Request, viewer: Viewer) -> Report:
    settings = settings_of(request)
    currency = company_currency(request, viewer.engine)
    try:
        return compute_report(
            load_ledger(viewer.engine, currency),
            as_of=as_of(request),
            period_days=settings.period_days,
            buckets=AgingBuckets.parse(settings.aging_buckets),
            company_currency=currency,
            top=10,
        )
    except AnalyticsError as error:
        raise PageError(409, str(error)) from error


def _charts(report: Report) -> dict[str, Markup]:
    figures = report.figures
    code = report.currency.code
    charts = {
        "aging": bar_chart(list(figures.aging.items()), title=f"Aging as of {figures.as_of}", unit=code)
    }
    if report.trend:
        dates = [point.as_of for point in report.trend]
        charts["dso"] = line_chart(
            dates,
            [
                Series("DSO (countback)", AMBER, [point.dso_countback for point in report.trend]),
                Series("Best possible DSO", TEAL, [point.best_possible_dso for point in report.trend]),
            ],
            title="DSO trend",
            unit="days",
        )
        charts["cei"] = line_chart(
            dates, [Series("CEI", BLUE, [point.cei for point in report.trend])], title="CEI trend", unit="%"
        )
    return charts


@router.get("/dashboard", include_in_schema=False)
def dashboard(request: Request, viewer: DashboardViewer) -> HTMLResponse:
    report = _report(request, viewer)
    figures = report.figures
    return render(
        request,
        "dashboard.html",
        viewer,
        title="Dashboard",
        report=report,
        currency=report.currency.code,
        amounts=[(AMOUNT_LABELS[name], getattr(figures, name)) for name in HEADLINE_AMOUNTS],
        ratios=[(RATIO_LABELS[name], getattr(figures, name)) for name in HEADLINE_RATIOS],
        charts=_charts(report),
        forecast=prediction_api is not None,
        forecast_started=FORECASTS.peek(viewer.engine, report.as_of) is not None,
    )


@router.get("/dashboard/forecast", include_in_schema=False)
def forecast(request: Request, viewer: DashboardViewer) -> HTMLResponse:
    """Render the weekly cash forecast as a fragment, or "computing" until it is ready."""
    if prediction_api is None:
        raise PageError(404, "the cash forecast is not installed")
    currency = company_currency(request, viewer.engine)
    entry = FORECASTS.get(viewer.engine, as_of(request), currency)
    return render(request, "_forecast.html", viewer, forecast=entry, weeks=WEEKS)
