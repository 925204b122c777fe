"""``receivables init``: create or migrate the database and store the company currency."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from receivables.cli.main import app, database_option
from receivables.domain.errors import ReceivablesError
from receivables.services.context import AppContext


@app.command("init")
def init(
    ctx: typer.Context,
    company_currency: Annotated[
        str | None,
        typer.Option(help="ISO 4217 code of the currency reports are in, such as EUR.", show_default=False),
    ] = None,
) -> None:
    """Create the database (or migrate it to the latest schema) and set the company currency."""
    console = Console()
    context = AppContext.open(database_option(ctx))
    try:
        if company_currency:
            try:
                context.set_company_currency(company_currency)
            except ReceivablesError as error:
                console.print(f"[red]error:[/red] {error}")
                raise typer.Exit(2) from error
        currency = context.company_currency()
        console.print(f"database: {context.engine.url.render_as_string(hide_password=True)}")
        currency_text = currency.code if currency else "not set (the first import sets it)"
        console.print(f"company currency: {currency_text}")
    finally:
        context.close()
