"""``receivables terms import-contracts|check-contracts``: customer contracts and invoices.

Exit codes of ``import-contracts``: 0 when every contract was stored, 1 when a contract has a
problem and nothing was stored, 2 for an unreadable file or an invalid option. Exit codes of
``check-contracts``: 0 when every invoice follows its contract, 1 when it found differences, 2 for
an invalid option.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from receivables.cli.main import database_option
from receivables.cli.options import fail, parse_day
from receivables.cli.terms_cmd import (
    FormatOption,
    OutputFormat,
    RatesFileOption,
    _print_json,
    terms_app,
)
from receivables.domain.errors import ReceivablesError
from receivables.rates import RatesFileError, load_rate_book
from receivables.services.context import AppContext
from receivables.services.contract_check import check_contracts
from receivables.services.contracts import ContractImport, import_contracts


@terms_app.command("import-contracts")
def import_contracts_command(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Contracts as CSV or TOML (see docs/terms.md).")],
    rates_file: RatesFileOption = None,
    output: FormatOption = OutputFormat.TABLE,
) -> None:
    """Store customer contracts: agreed term, discount base, interest clause and fees."""
    context = AppContext.open(database_option(ctx))
    try:
        result = import_contracts(context.engine, file, load_rate_book(rates_file))
    except (ReceivablesError, RatesFileError) as error:
        fail(str(error), 2)
    finally:
        context.close()
    _print_import(result, output)
    if result.problems:
        raise typer.Exit(1)


def _print_import(result: ContractImport, output: OutputFormat) -> None:
    values = {
        "file": result.file,
        "committed": result.committed,
        "contracts": result.contracts,
        "inserted": result.inserted,
        "updated": result.updated,
        "problems": [problem.to_dict() for problem in result.problems],
    }
    if output is OutputFormat.JSON:
        _print_json(values)
        return
    console = Console()
    if not result.problems:
        console.print(
            f"{result.contracts} contracts stored: {result.inserted} new, {result.updated} updated"
        )
        return
    table = Table(title=f"Problems in {result.file}: nothing was stored")
    for column in ("row", "key", "value", "reason"):
        table.add_column(column)
    for problem in result.problems:
        table.add_row(str(problem.row), problem.key or "", problem.value or "", problem.reason)
    console.print(table)


@terms_app.command("check-contracts")
def check_contracts_command(
    ctx: typer.Context,
    customer: Annotated[str | None, typer.Option(help="Check one customer, by code.")] = None,
    period_from: Annotated[
        str | None, typer.Option("--from", help="First invoice date to check, YYYY-MM-DD.")
    ] = None,
    period_to: Annotated[
        str | None, typer.Option("--to", help="Last invoice date to check, YYYY-MM-DD.")
    ] = None,
    rates_file: RatesFileOption = None,
    output: FormatOption = OutputFormat.TABLE,
) -> None:
    """List stored invoices whose due dates or discounts differ from the contract of their date."""
    first = None if period_from is None else parse_day(period_from, "--from")
    last = None if period_to is None else parse_day(period_to, "--to")
    context = AppContext.open(database_option(ctx))
    try:
        check = check_contracts(
            context.engine, load_rate_book(rates_file), customer=customer, first=first, last=last
        )
    except (ReceivablesError, RatesFileError) as error:
        fail(str(error), 2)
    finally:
        context.close()
    rows: list[dict[str, Any]] = [
        {
            "customer_code": item.customer_code,
            "invoice": item.number,
            "kind": item.kind.value,
            "contract": item.contract,
            "expected": item.expected,
            "actual": item.actual,
            "message": item.message,
        }
        for item in check.deviations
    ]
    if output is OutputFormat.JSON:
        _print_json({"invoices": check.invoices, "deviations": rows})
    else:
        _print_check(check.invoices, rows)
    if rows:
        raise typer.Exit(1)


def _print_check(invoices: int, rows: list[dict[str, Any]]) -> None:
    console = Console()
    if not rows:
        console.print(f"{invoices} invoices checked: every one follows its contract")
        return
    table = Table(title=f"{len(rows)} differences in {invoices} invoices")
    for column in ("customer", "invoice", "finding", "contract", "detail"):
        table.add_column(column)
    for row in rows:
        table.add_row(
            row["customer_code"], row["invoice"], row["kind"], row["contract"] or "-",
            row["message"],
        )  # fmt: skip
    console.print(table)
