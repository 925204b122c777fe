"""The terminal rendering: Rich tables of the summary, the aging, the top customers and the trend."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from receivables.analytics.report import Figures, Report
from receivables.reports import formatting as fmt
from receivables.reports.sections import SectionTable, section_tables

RECENT_POINTS = 12


def render_table(report: Report, console: Console) -> None:
    """Print the report to ``console``."""
    figures = report.figures
    scope = f"customer {escape(report.customer_code)}" if report.customer_code else "all customers"
    console.print(
        f"[bold]Receivables as of {figures.as_of.isoformat()}[/bold], in {report.currency.code}, {scope}; "
        f"period {fmt.period_text(figures)}"
    )
    console.print(_summary(report))
    console.print(_aging(report))
    if report.top_customers:
        console.print(_customers(report))
    if report.trend:
        console.print(_trend(report))
    for section in section_tables(report):
        console.print(_section(section))


def _summary(report: Report) -> Table:
    figures = report.figures
    table = Table(title="Summary", title_justify="left")
    table.add_column("Figure")
    table.add_column("Value", justify="right")
    table.add_column("Unit")
    for name, label in fmt.AMOUNT_LABELS.items():
        table.add_row(label, fmt.amount(getattr(figures, name), report.currency), report.currency.code)
    table.add_row("Open items", str(figures.open_items), "items")
    table.add_row("Items settled in the period", str(figures.settled_items), "items")
    for name, (label, unit) in fmt.RATIO_LABELS.items():
        table.add_row(label, fmt.ratio(getattr(figures, name)), unit)
    return table


def _aging(report: Report) -> Table:
    figures = report.figures
    basis = "days past due" if report.buckets.basis.value == "due_date" else "days since the document date"
    table = Table(title=f"Aging by {basis} ({report.currency.code})", title_justify="left")
    table.add_column("Bucket")
    table.add_column("Amount", justify="right")
    table.add_column("Share", justify="right")
    for label, value in figures.aging.items():
        table.add_row(label, fmt.amount(value, report.currency), fmt.share(value, figures.total_open))
    table.add_row("[bold]total[/bold]", f"[bold]{fmt.amount(figures.total_open, report.currency)}[/bold]", "")
    return table


def _customers(report: Report) -> Table:
    table = Table(title=f"Top customers by overdue amount ({report.currency.code})", title_justify="left")
    for heading in ("Customer", "Name", "Open", "Overdue", "Oldest days past due", "In dispute", "DSO"):
        table.add_column(heading, justify="left" if heading in ("Customer", "Name") else "right")
    for line in report.top_customers:
        table.add_row(
            escape(line.customer_code),
            escape(line.name),
            fmt.amount(line.total_open, report.currency),
            fmt.amount(line.overdue, report.currency),
            str(line.oldest_days_past_due),
            fmt.amount(line.disputed_amount, report.currency),
            fmt.ratio(line.dso_simple),
        )
    return table


def _trend(report: Report) -> Table:
    points: list[Figures] = report.trend[-RECENT_POINTS:]
    days = report.figures.period_days
    title = (
        f"Trend: the last {len(points)} month ends, each with its {days}-day period ({report.currency.code})"
    )
    table = Table(title=title, title_justify="left")
    headings = (
        "As of",
        "Open",
        "Overdue",
        "Credit sales",
        "DSO",
        "DSO countback",
        "Best DSO",
        "CEI %",
        "Days to pay",
    )
    for heading in headings:
        table.add_column(heading, justify="left" if heading == "As of" else "right")
    for point in points:
        table.add_row(
            point.as_of.isoformat(),
            fmt.amount(point.total_open, report.currency),
            fmt.amount(point.overdue, report.currency),
            fmt.amount(point.credit_sales, report.currency),
            fmt.ratio(point.dso_simple),
            fmt.ratio(point.dso_countback),
            fmt.ratio(point.best_possible_dso),
            fmt.ratio(point.cei),
            fmt.ratio(point.average_days_to_pay),
        )
    return table


def _section(section: SectionTable) -> Table:
    table = Table(title=escape(section.title), title_justify="left")
    for position, heading in enumerate(section.headings):
        table.add_column(heading, justify="right" if position in section.numeric else "left")
    for row in section.rows:
        table.add_row(*(escape(cell) for cell in row))
    return table
