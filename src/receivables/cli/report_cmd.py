"""``receivables report``: aging, DSO, CEI and the other figures as of a date, as tables, JSON or HTML.

Exit codes: 0 when the report was written; 1 when it cannot be computed (no company currency, an
empty ledger, an unknown customer, an invalid config file or credit config); 2 for an invalid
option value. The company report adds the credit and cash application sections when their data
exists (see :mod:`receivables.services.report_sections`).
"""

from __future__ import annotations

import dataclasses
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from receivables.analytics import AnalyticsError, Report, compute_report, load_ledger
from receivables.cli.main import app, database_option
from receivables.cli.options import fail, note_stale_ledger, parse_day
from receivables.config import ConfigError, Settings, load_settings
from receivables.domain.aging import AgingBasis, AgingBuckets, InvalidBucketsError
from receivables.domain.credit.errors import CreditConfigError
from receivables.reports import render_html, render_json, render_table
from receivables.services.context import AppContext
from receivables.services.report_sections import build_sections

TEXT_WIDTH = 120


class ReportFormat(StrEnum):
    table = "table"
    json = "json"
    html = "html"


class AgingBy(StrEnum):
    due_date = "due-date"
    document_date = "document-date"


def _buckets(text: str, by: AgingBy) -> AgingBuckets:
    basis = AgingBasis.DUE_DATE if by is AgingBy.due_date else AgingBasis.DOCUMENT_DATE
    try:
        return AgingBuckets.parse(text, basis)
    except InvalidBucketsError as error:
        raise typer.BadParameter(str(error), param_hint="--buckets") from error


def _settings() -> Settings:
    try:
        return load_settings()
    except ConfigError as error:
        fail(str(error))


def _write(report: Report, output_format: ReportFormat, output: Path | None) -> None:
    if output_format is ReportFormat.table:
        if output is None:
            render_table(report, Console())
            return
        with output.open("w", encoding="utf-8") as stream:
            render_table(report, Console(file=stream, width=TEXT_WIDTH, color_system=None))
    else:
        text = render_json(report) if output_format is ReportFormat.json else render_html(report)
        if output is None:
            typer.echo(text)
            return
        output.write_text(text + "\n", encoding="utf-8")
    Console(stderr=True).print(f"report written to {output}", soft_wrap=True)


@app.command("report")
def report_command(
    ctx: typer.Context,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", help="Date of the report, YYYY-MM-DD, at the end of that day; default today."
        ),
    ] = None,
    period_days: Annotated[
        int | None,
        typer.Option(
            min=1, help="Days of the period ending on the as-of date; default from the settings (90)."
        ),
    ] = None,
    buckets: Annotated[
        str | None,
        typer.Option(
            help="Upper edges of the aging buckets in days, such as 0,30,60,90; default from the settings."
        ),
    ] = None,
    by: Annotated[
        AgingBy, typer.Option("--by", help="Age open items by due date or by document date.")
    ] = AgingBy.due_date,
    customer: Annotated[
        str | None, typer.Option(help="Report on one customer, by customer code.", show_default=False)
    ] = None,
    top: Annotated[int, typer.Option(min=0, help="Number of customers with the most overdue to list.")] = 10,
    output_format: Annotated[
        ReportFormat, typer.Option("--format", help="Terminal tables, JSON or HTML.")
    ] = ReportFormat.table,
    output: Annotated[
        Path | None,
        typer.Option(help="Write the report to this file instead of the terminal.", show_default=False),
    ] = None,
) -> None:
    """Show aging, DSO, CEI, turnover, days to pay, the top overdue customers and the monthly trend."""
    day = parse_day(as_of)
    settings = _settings()
    aging = _buckets(buckets or settings.aging_buckets, by)
    context = AppContext.open(database_option(ctx), settings)
    try:
        currency = context.company_currency()
        if currency is None:
            fail(
                "no company currency is set: run 'receivables init --company-currency EUR' (your code), "
                "set RECEIVABLES_COMPANY_CURRENCY, or import a ledger first"
            )
        note_stale_ledger(context.engine, as_of, day)
        ledger = load_ledger(context.engine, currency)
        report = compute_report(
            ledger,
            as_of=day,
            period_days=period_days or settings.period_days,
            buckets=aging,
            company_currency=currency,
            customer_code=customer,
            top=top,
        )
        if customer is None:
            sections = build_sections(context.engine, report.as_of, currency, settings, advice=True)
            report = dataclasses.replace(report, sections=sections)
    except (AnalyticsError, CreditConfigError) as error:
        fail(str(error))
    finally:
        context.close()
    _write(report, output_format, output)
