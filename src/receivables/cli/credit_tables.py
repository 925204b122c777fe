"""Rich tables of the credit commands, drawn from the same dictionaries as their JSON output."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table


def _table(title: str, *columns: str) -> Table:
    table = Table(title=title, title_justify="left")
    for column in columns:
        table.add_column(column)
    return table


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


def print_evaluation(values: dict[str, Any]) -> None:
    console = Console()
    console.print(
        f"[bold]{values['customer']}[/bold] on {values['as_of']}: score {values['score']}, "
        f"risk class [bold]{values['risk_class']}[/bold]"
        + (
            f" (score class {values['score_class']}; {values['knockout']})"
            if values["knockout"]
            else ""
        )
    )
    sources = _table("Sources", "source", "counts", "sub-score", "weight %", "note")
    for source in values["sources"]:
        sources.add_row(
            source["source"],
            "yes" if source["available"] else "no",
            _cell(source["sub_score"]),
            source["weight_percent"],
            _cell(source["note"]),
        )
    console.print(sources)
    factors = _table(
        "Factors that moved the score", "source", "factor", "value", "points", "on the score"
    )
    for factor in values["factors"]:
        factors.add_row(
            factor["source"],
            factor["name"],
            _cell(factor["value"]),
            str(factor["points"]),
            factor["contribution"],
        )
    console.print(factors)
    financial = values["financial"]
    if financial:
        altman = financial["altman"]
        console.print(
            f"Statement {financial['fiscal_year']}: "
            f"Altman {altman['model']} {_cell(altman['score'])} "
            f"({_cell(altman['zone'])}); "
            + ", ".join(f"{name} {_cell(value)}" for name, value in financial["ratios"].items())
        )
        for note in financial["notes"]:
            console.print(f"  note: {note}")


def print_check(values: dict[str, Any]) -> None:
    console = Console()
    decision = values["decision"].upper()
    colour = "green" if values["decision"] == "approve" else "red"
    console.print(
        f"[{colour}][bold]{decision}[/bold][/{colour}] order of {values['order']} "
        f"{values['order_currency']} for {values['customer']}"
    )
    if values["reasons"]:
        console.print("reasons: " + ", ".join(values["reasons"]))
    table = _table(f"Figures in {values['currency']} on {values['as_of']}", "figure", "amount")
    parts = values["exposure_parts"]
    rows = [
        ("open items", parts["open_items"]),
        ("unapplied credit", parts["unapplied_credit"]),
        ("open orders", parts["open_orders"]),
        ("delivered not invoiced", parts["delivered_not_invoiced"]),
        ("exposure", values["exposure"]),
        (
            "credit limit",
            values["credit_limit"] + ("" if values["limit_approved"] else " (none approved)"),
        ),
        ("available", values["available"]),
        ("order", values["order_in_company_currency"]),
        ("deposit required", values["deposit_required"]),
        ("risk class", f"{values['risk_class']} ({values['risk_class_source']})"),
    ]
    for name, amount in rows:
        table.add_row(name, amount)
    console.print(table)


def print_rows(
    title: str, columns: list[str], rows: list[dict[str, Any]], limit: int | None = None
) -> None:
    """Print ``rows`` (dictionaries) as a table of ``columns``, at most ``limit`` of them."""
    console = Console()
    table = _table(title, *columns)
    shown = rows if limit is None else rows[:limit]
    for row in shown:
        table.add_row(*[_cell(row.get(column)) for column in columns])
    console.print(table)
    if limit is not None and len(rows) > limit:
        console.print(f"... and {len(rows) - limit} more; use --format json for all of them")
