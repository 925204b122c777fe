"""Shared options and the session of the ``receivables collect`` commands."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from receivables.cli.main import database_option
from receivables.cli.options import fail
from receivables.config import ConfigError, load_settings
from receivables.domain.errors import ReceivablesError
from receivables.domain.money import Currency
from receivables.dunning.config import CollectionSettings, load_collection_settings
from receivables.dunning.errors import NoCompanyCurrencyError
from receivables.services.context import AppContext


class OutputFormat(StrEnum):
    table = "table"
    json = "json"


FormatOption = Annotated[
    OutputFormat, typer.Option("--format", help="Output as tables or as JSON.")
]
AsOfOption = Annotated[
    str | None,
    typer.Option("--as-of", help="Date of the run or action, YYYY-MM-DD; default today."),
]
UserOption = Annotated[
    str | None,
    typer.Option(
        "--user", envvar="RECEIVABLES_USER", help="Name of the user who acts; or RECEIVABLES_USER."
    ),
]


def parse_amount(text: str | None, option: str) -> Decimal | None:
    if text is None:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        fail(f"{option} {text!r} is not an amount; write it like 1250.00", 2)
    if not value.is_finite():
        fail(f"{option} {text!r} is not an amount; write it like 1250.00", 2)
    return value


def print_json(values: Any) -> None:
    typer.echo(json.dumps(values, indent=2, ensure_ascii=False, default=str))


def print_table(title: str, rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> None:
    table = Table(title=f"{title} ({len(rows)})")
    for column in columns:
        table.add_column(column.replace("_", " "))
    for row in rows:
        table.add_row(
            *["" if row.get(column) is None else str(row.get(column)) for column in columns]
        )
    Console().print(table)


@dataclass
class CollectSession:
    context: AppContext
    settings: CollectionSettings
    company: Currency

    @property
    def engine(self) -> Any:
        return self.context.engine


@contextmanager
def collect_session(ctx: typer.Context) -> Iterator[CollectSession]:
    """Open the database and the collections settings; turn rule errors into exit code 1."""
    try:
        settings = load_settings()
        collection = load_collection_settings(settings)
    except (ConfigError, ReceivablesError) as error:
        fail(str(error))
    context = AppContext.open(database_option(ctx), settings)
    try:
        company = context.company_currency()
        if company is None:
            raise NoCompanyCurrencyError()
        yield CollectSession(context, collection, company)
    except (ReceivablesError, ValueError, PermissionError, LookupError) as error:
        fail(str(error))
    finally:
        context.close()
