"""Entry point of the ``receivables`` command: the Typer app and its shared options."""

from __future__ import annotations

import logging
from typing import Annotated

import typer

from receivables import __version__

app = typer.Typer(
    name="receivables",
    help="Accounts receivable: import an ERP ledger, then see aging, DSO, CEI and turnover.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"receivables {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    database: Annotated[
        str | None,
        typer.Option(
            "--database",
            help="SQLAlchemy database URL; overrides RECEIVABLES_DATABASE_URL and the config file.",
            show_default=False,
        ),
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress at INFO level.")] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    ctx.obj = {"database": database}


def database_option(ctx: typer.Context) -> str | None:
    """The ``--database`` URL given to the top-level command, if any."""
    obj = ctx.find_root().obj or {}
    return obj.get("database")


def _register() -> None:
    # Each command module adds its commands to ``app`` on import.
    from receivables.cli import commands  # noqa: F401


_register()
