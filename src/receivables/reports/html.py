"""The HTML rendering: one self-contained file with inline CSS and inline SVG charts.

The page loads nothing from anywhere (no scripts, fonts, images or style sheets by URL), so it
opens offline and prints as it shows. Jinja2 escapes every value (autoescape on); the charts come
pre-escaped from :mod:`receivables.reports.charts`.
"""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from receivables import __version__
from receivables.analytics.report import Report
from receivables.reports import formatting as fmt
from receivables.reports.charts import (
    AMBER,
    BLUE,
    RED,
    TEAL,
    Series,
    bar_chart,
    horizontal_bar_chart,
    line_chart,
)
from receivables.reports.sections import section_tables

TEMPLATE = "report.html.j2"


@cache
def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("receivables.reports", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["ratio"] = fmt.ratio
    return environment


def render_html(report: Report) -> str:
    """Render the report as a complete HTML document."""
    currency = report.currency

    def amount(value: object) -> str:
        return fmt.amount(value, currency)  # type: ignore[arg-type]

    figures = report.figures
    return (
        _environment()
        .get_template(TEMPLATE)
        .render(
            report=report,
            figures=figures,
            currency=currency.code,
            amount=amount,
            share=fmt.share,
            period=fmt.period_text(figures),
            amount_labels=fmt.AMOUNT_LABELS,
            ratio_labels=fmt.RATIO_LABELS,
            charts=_charts(report),
            sections=section_tables(report),
            version=__version__,
        )
    )


def _charts(report: Report) -> dict[str, Markup]:
    currency = report.currency.code
    figures = report.figures
    charts = {
        "aging": bar_chart(
            list(figures.aging.items()), title=f"Aging as of {figures.as_of.isoformat()}", unit=currency
        ),
    }
    if report.top_customers:
        charts["customers"] = horizontal_bar_chart(
            [(_customer_label(line.customer_code, line.name), line.overdue) for line in report.top_customers],
            title="Top customers by overdue amount",
            unit=currency,
        )
    if report.trend:
        dates = [point.as_of for point in report.trend]
        charts["dso"] = line_chart(
            dates,
            [
                Series("DSO (simple)", BLUE, [point.dso_simple for point in report.trend]),
                Series("DSO (countback)", AMBER, [point.dso_countback for point in report.trend]),
                Series("Best possible DSO", TEAL, [point.best_possible_dso for point in report.trend]),
            ],
            title="DSO trend",
            unit="days",
        )
        charts["cei"] = line_chart(
            dates,
            [Series("CEI", TEAL, [point.cei for point in report.trend])],
            title="CEI trend",
            unit="%",
        )
        charts["receivables"] = line_chart(
            dates,
            [
                Series("Total open", BLUE, [point.total_open for point in report.trend]),
                Series("Overdue", RED, [point.overdue for point in report.trend]),
            ],
            title="Open and overdue receivables",
            unit=currency,
        )
    return charts


def _customer_label(code: str, name: str) -> str:
    """Label a customer by code and name, or by code alone when the name repeats it."""
    return code if name == code else f"{code} {name}"
