"""``receivables bank``: import bank statements, match payments to open items, review the rest.

Exit codes: 0 on success; 1 when a file is malformed (nothing is imported), a setting is invalid
or the company currency is not set; 2 when a review action is rejected (unknown suggestion,
over-allocation, a transaction already applied).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from receivables.banking.bench import render_section, run_bench
from receivables.banking.errors import ApplyError, ReviewError
from receivables.banking.importing import BankImportResult, import_statements
from receivables.banking.listing import list_lines
from receivables.banking.matching import run_matching
from receivables.banking.payment_references import issue_reference
from receivables.banking.readers.csv_profile import (
    BankCsvProfile,
    BankProfileError,
    load_bank_profiles_file,
)
from receivables.banking.review import accept, list_suggestions, reject, split
from receivables.banking.rules.settings import MatchSettings
from receivables.banking.settings import load_configured_profiles, load_match_settings
from receivables.cli.main import app, database_option
from receivables.cli.options import fail, note_stale_ledger, parse_day
from receivables.config import ConfigError
from receivables.services.bench_page import write_section
from receivables.services.context import AppContext

bank_app = typer.Typer(
    help="Cash application: bank statements in, payments matched to open items.",
    no_args_is_help=True,
)
app.add_typer(bank_app, name="bank")


class OutputFormat(StrEnum):
    table = "table"
    json = "json"


class StatementFormatOption(StrEnum):
    camt = "camt"
    mt940 = "mt940"
    bai2 = "bai2"
    ofx = "ofx"
    csv = "csv"


FormatOption = Annotated[OutputFormat, typer.Option("--format", help="Print a table or JSON.")]


@contextmanager
def _context(ctx: typer.Context) -> Iterator[AppContext]:
    try:
        context = AppContext.open(database_option(ctx))
    except ConfigError as error:
        fail(str(error))
    try:
        yield context
    finally:
        context.close()


def _company_currency(context: AppContext) -> str:
    currency = context.company_currency()
    if currency is None:
        fail("the company currency is not set; run 'receivables init --company-currency EUR'")
    return currency.code


def _settings() -> MatchSettings:
    try:
        return load_match_settings()
    except ConfigError as error:
        fail(str(error))


def _print_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def _profile(name: str | None, profiles_file: Path | None) -> BankCsvProfile | None:
    if name is None:
        return None
    try:
        profiles = (
            load_bank_profiles_file(profiles_file) if profiles_file else load_configured_profiles()
        )
    except (BankProfileError, ConfigError) as error:
        fail(str(error))
    if name not in profiles:
        known = ", ".join(sorted(profiles)) or "none"
        fail(f"bank profile {name!r} not found (known: {known}); define [bank_profiles.{name}]")
    return profiles[name]


@bank_app.command("import")
def import_command(
    ctx: typer.Context,
    files: Annotated[
        list[Path],
        typer.Argument(help="Statement files: camt.05x XML, MT940/MT942, BAI2, OFX or CSV."),
    ],
    statement_format: Annotated[
        StatementFormatOption | None,
        typer.Option(
            "--statement-format", help="File format; detected from the content when left out."
        ),
    ] = None,
    profile: Annotated[
        str | None, typer.Option(help=r"Bank CSV profile name (\[bank_profiles.NAME]).")
    ] = None,
    profiles_file: Annotated[
        Path | None, typer.Option(help=r"TOML file with \[bank_profiles.NAME] tables.")
    ] = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Import bank statements; a malformed file imports nothing and names the file and position."""
    chosen = _profile(profile, profiles_file)
    with _context(ctx) as context:
        result = import_statements(
            context.engine, files, statement_format.value if statement_format else None, chosen
        )
    if output == OutputFormat.json:
        _print_json(_import_json(result))
    else:
        _print_import(result)
    if not result.ok:
        raise typer.Exit(1)


def _import_json(result: BankImportResult) -> dict[str, Any]:
    return {
        "ok": result.ok,
        "problems": [
            {"file": p.file, "position": p.position, "reason": p.reason} for p in result.problems
        ],
        "statements": [
            {
                "file": s.file,
                "account": s.account,
                "format": s.format,
                "statement": s.statement_key,
                "period": [str(day) for day in s.period] if s.period else None,
                "read": s.transactions_read,
                "new": s.transactions_new,
                "duplicates": s.duplicates,
                "already_imported": s.already_imported,
                "overlaps": list(s.overlaps),
                "notes": list(s.notes),
            }
            for s in result.statements
        ],
    }


def _print_import(result: BankImportResult) -> None:
    console = Console()
    for problem in result.problems:
        console.print(f"[red]error:[/red] {problem}", soft_wrap=True, highlight=False)
    if result.problems:
        console.print("nothing was imported")
        return
    table = Table(title="Bank import")
    for name in ("file", "account", "format", "statement", "read", "new", "duplicates"):
        table.add_column(name, justify="right" if name in ("read", "new", "duplicates") else "left")
    for item in result.statements:
        table.add_row(
            Path(item.file).name,
            item.account,
            item.format,
            item.statement_key,
            str(item.transactions_read),
            str(item.transactions_new),
            str(item.duplicates),
        )
    console.print(table)
    for item in result.statements:
        if item.already_imported:
            console.print(f"{item.statement_key}: already imported, nothing changed")
        for overlap in item.overlaps:
            console.print(
                f"[yellow]warning:[/yellow] {item.statement_key} overlaps statement {overlap}"
            )


@bank_app.command("match")
def match_command(
    ctx: typer.Context,
    as_of: Annotated[
        str | None,
        typer.Option(
            help="Match receipts booked on or before this date (YYYY-MM-DD); default today."
        ),
    ] = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Match open bank receipts: apply the sure ones, suggest the likely ones, leave the rest."""
    settings = _settings()
    # NOTE: an invalid --as-of exits 1, though the other invalid bank options exit 2. Scripts may
    # test for 1, so it stays.
    day = parse_day(as_of, code=1)
    with _context(ctx) as context:
        company = _company_currency(context)
        note_stale_ledger(context.engine, as_of, day)
        result = run_matching(context.engine, day, settings, company)
    if output == OutputFormat.json:
        _print_json(result.as_dict())
        return
    console = Console()
    console.print(
        f"as of {day}: {result.transactions} receipts, {result.auto_applied} applied, "
        f"{result.suggested} suggested, {result.unmatched} unmatched"
    )


@bank_app.command("suggestions")
def suggestions_command(ctx: typer.Context, output: FormatOption = OutputFormat.table) -> None:
    """List the suggestions waiting for review, best first, with their evidence."""
    with _context(ctx) as context:
        found = list_suggestions(context.engine)
    if output == OutputFormat.json:
        _print_json([item.as_dict() for item in found])
        return
    table = Table(title="Suggestions")
    for name in (
        "id",
        "line",
        "date",
        "amount",
        "payer",
        "customer",
        "rule",
        "confidence",
        "items",
        "evidence",
    ):
        table.add_column(name, overflow="fold")
    for item in found:
        items = (
            ", ".join(f"{part['number']} {part['kind']} {part['amount']}" for part in item.items)
            or "on account"
        )
        table.add_row(
            str(item.proposal_id),
            str(item.transaction_id),
            item.booking_date,
            f"{item.amount} {item.currency}",
            item.payer or "",
            item.customer_code or "",
            item.rule,
            item.confidence,
            items,
            "; ".join(item.evidence),
        )
    Console().print(table)


@bank_app.command("accept")
def accept_command(
    ctx: typer.Context, suggestion: Annotated[int, typer.Argument(help="Suggestion id.")]
) -> None:
    """Apply a suggestion to the ledger and learn the payer's IBAN, name and reference prefix."""
    settings = _settings()
    with _context(ctx) as context:
        try:
            learned = accept(context.engine, suggestion, settings, _company_currency(context))
        except (ReviewError, ApplyError) as error:
            fail(str(error), 2)
    typer.echo(
        f"suggestion {suggestion} applied" + (f"; learned {', '.join(learned)}" if learned else "")
    )


@bank_app.command("reject")
def reject_command(
    ctx: typer.Context, suggestion: Annotated[int, typer.Argument(help="Suggestion id.")]
) -> None:
    """Reject a suggestion; it is not suggested again and the receipt stays unmatched."""
    with _context(ctx) as context:
        try:
            reject(context.engine, suggestion)
        except ReviewError as error:
            fail(str(error), 2)
    typer.echo(f"suggestion {suggestion} rejected")


def _item_option(values: list[str]) -> list[tuple[str, Decimal]]:
    parsed = []
    for value in values:
        number, separator, amount = value.rpartition("=")
        try:
            parsed.append((number.strip(), Decimal(amount.strip())))
        except InvalidOperation:
            fail(f"invalid --item {value!r}; use INVOICE=AMOUNT such as INV-1001=250.00", 2)
        if not separator or not number.strip():
            fail(f"invalid --item {value!r}; use INVOICE=AMOUNT such as INV-1001=250.00", 2)
    return parsed


@bank_app.command("split")
def split_command(
    ctx: typer.Context,
    line: Annotated[int, typer.Argument(help="Bank transaction id (see 'bank lines').")],
    item: Annotated[
        list[str],
        typer.Option("--item", help="INVOICE=AMOUNT in the transaction's currency; repeat."),
    ],
) -> None:
    """Apply a bank transaction by hand to the given items; the rest stays as unapplied credit."""
    settings = _settings()
    allocations = _item_option(item)
    with _context(ctx) as context:
        try:
            learned = split(context.engine, line, allocations, settings, _company_currency(context))
        except (ReviewError, ApplyError) as error:
            fail(str(error), 2)
    typer.echo(
        f"bank transaction {line} applied" + (f"; learned {', '.join(learned)}" if learned else "")
    )


@bank_app.command("reference")
def reference_command(
    ctx: typer.Context,
    invoice: Annotated[str, typer.Argument(help="Invoice or debit note number.")],
    output: FormatOption = OutputFormat.table,
) -> None:
    """Issue (or show) the ISO 11649 creditor reference that customers quote when paying."""
    with _context(ctx) as context:
        try:
            issued = issue_reference(context.engine, invoice)
        except ReviewError as error:
            fail(str(error), 2)
    if output == OutputFormat.json:
        _print_json(
            {
                "invoice": issued.number,
                "reference": issued.reference,
                "printed": issued.printed,
                "created": issued.created,
            }
        )
    else:
        typer.echo(f"{issued.number}: {issued.printed}")


@bank_app.command("lines")
def lines_command(
    ctx: typer.Context,
    status: Annotated[
        str | None,
        typer.Option(help="Only lines in this status: unmatched, suggested, applied, ignored."),
    ] = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """List imported bank transactions with their status."""
    with _context(ctx) as context:
        try:
            rows = list_lines(context.engine, status)
        except ReviewError as error:
            fail(str(error), 2)
    if output == OutputFormat.json:
        _print_json(rows)
        return
    table = Table(title="Bank transactions")
    for name in ("id", "date", "amount", "payer", "reference", "text", "status"):
        table.add_column(name, overflow="fold")
    for row in rows:
        table.add_row(
            str(row["id"]),
            str(row["booking_date"]),
            f"{row['amount']} {row['currency']}",
            row["payer"] or "",
            row["reference"] or "",
            (row["text"] or "")[:60],
            row["status"],
        )
    Console().print(table)


@bank_app.command("bench")
def bench_command(
    lines: Annotated[int, typer.Option(help="Bank transactions in the synthetic case.")] = 10_000,
    items: Annotated[int, typer.Option(help="Open items in the synthetic ledger.")] = 100_000,
    seed: Annotated[int, typer.Option(help="Random seed of the synthetic case.")] = 2024,
    repeat: Annotated[int, typer.Option(help="Timed runs after one warm-up run.")] = 3,
    output: Annotated[
        Path | None,
        typer.Option(
            help="Markdown file whose '## Cash application matching' section is replaced."
        ),
    ] = None,
) -> None:
    """Measure the match rates (precision, recall) and speed of the engine on synthetic data."""
    if lines <= 0 or items <= 0 or repeat <= 0:
        fail("--lines, --items and --repeat must be positive", 2)
    result = run_bench(lines, items, seed, repeat)
    command = (
        f"receivables bank bench --lines {lines} --items {items} --seed {seed} --repeat {repeat}"
    )
    section = render_section(result, command)
    if output is not None:
        write_section(output, section)
        typer.echo(f"wrote the cash application section of {output}")
    typer.echo(section)
