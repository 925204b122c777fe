"""``receivables collect statement|statements|handover``: PDFs for customers and lawyers."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from receivables.cli.collect_cmd import collect_app
from receivables.cli.collect_common import (
    AsOfOption,
    FormatOption,
    OutputFormat,
    UserOption,
    collect_session,
    print_json,
)
from receivables.cli.options import fail, note_stale_ledger, parse_day
from receivables.domain.aging import AgingBuckets, InvalidBucketsError
from receivables.dunning.handover import hand_over
from receivables.dunning.statements import build_statement, statement_pdf, statement_run

FromOption = Annotated[str, typer.Option("--from", help="First day of the period, YYYY-MM-DD.")]
ToOption = Annotated[str, typer.Option("--to", help="Last day of the period, YYYY-MM-DD.")]


def _buckets(text: str) -> AgingBuckets:
    try:
        return AgingBuckets.parse(text)
    except InvalidBucketsError as error:
        fail(str(error), 2)


@collect_app.command("statement")
def statement_command(
    ctx: typer.Context,
    customer: Annotated[str, typer.Argument(help="Customer code.")],
    first: FromOption,
    last: ToOption,
    out: Annotated[
        Path | None, typer.Option(help="PDF file to write; without it, print the statement.")
    ] = None,
    language: Annotated[str, typer.Option(help="Language of the PDF: en, de or fr.")] = "en",
    output: FormatOption = OutputFormat.table,
) -> None:
    """Print or write a customer's statement of account: balances, documents, aging."""
    first_day, last_day = parse_day(first, "--from"), parse_day(last, "--to")
    with collect_session(ctx) as session:
        buckets = _buckets(session.context.settings.aging_buckets)
        statement = build_statement(
            session.engine, customer, first_day, last_day, session.company, buckets
        )
        if out is not None:
            out.write_bytes(statement_pdf(statement, session.settings, language))
    if out is not None:
        Console().print(f"wrote {out}")
    elif output is OutputFormat.json:
        print_json(statement.to_dict())
    else:
        for section in statement.to_dict()["currencies"]:
            Console().print(
                f"{customer} {section['currency']}: opening {section['opening_balance']}, "
                f"{len(section['lines'])} documents, closing {section['closing_balance']}"
            )


@collect_app.command("statements")
def statements_command(
    ctx: typer.Context,
    first: FromOption,
    last: ToOption,
    out_dir: Annotated[Path, typer.Option(help="Folder for the PDF files.")],
    output: FormatOption = OutputFormat.table,
) -> None:
    """Write a statement of account for every customer with a movement or a balance."""
    first_day, last_day = parse_day(first, "--from"), parse_day(last, "--to")
    with collect_session(ctx) as session:
        buckets = _buckets(session.context.settings.aging_buckets)
        result = statement_run(
            session.engine, session.settings, session.company, first_day, last_day, out_dir, buckets
        )
    values = {
        "files": [str(path) for path in result.files],
        "problems": [problem.to_dict() for problem in result.problems],
    }
    if output is OutputFormat.json:
        print_json(values)
        return
    Console().print(f"wrote {len(result.files)} statements to {out_dir}")
    for problem in result.problems:
        Console().print(f"  problem: {problem}", highlight=False)


@collect_app.command("handover")
def handover_command(
    ctx: typer.Context,
    customer: Annotated[str, typer.Argument(help="Customer code.")],
    out_dir: Annotated[Path, typer.Option(help="Folder for the case file.")],
    as_of: AsOfOption = None,
    user: UserOption = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Write the case file for a collection agency or lawyer (CSV and PDF) and record it."""
    day = parse_day(as_of)
    with collect_session(ctx) as session:
        note_stale_ledger(session.engine, as_of, day)
        case = hand_over(
            session.engine, session.settings, session.company, customer, day, out_dir, user
        )
    values = {
        "folder": str(case.folder),
        "items": case.items,
        "events": case.events,
        "open_total": str(case.open_total.amount),
        "currency": case.open_total.currency.code,
    }
    if output is OutputFormat.json:
        print_json(values)
        return
    Console().print(
        f"wrote the case file of {customer} to {case.folder}: "
        f"{case.items} open items, {case.open_total}"
    )
