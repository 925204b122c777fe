"""Error exits and date options that every command group shares.

This is a module of its own, not part of :mod:`receivables.cli.collect_common`, because that module
loads the collections settings, which the bank, credit, terms, report and prediction commands
do not need. It must not import any command module, so that every command module can import it.
"""

from __future__ import annotations

from datetime import date
from typing import NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from receivables.services.context import today


def fail(message: str, code: int = 1) -> NoReturn:
    """Print ``error: MESSAGE`` to stderr and exit with ``code``.

    The message is printed as plain text, so square brackets in it (such as a TOML table name)
    stay visible instead of being read as Rich markup.
    """
    Console(stderr=True).print(f"[red]error:[/red] {escape(message)}", soft_wrap=True, highlight=False)
    raise typer.Exit(code)


def parse_day(text: str | None, option: str = "--as-of", code: int = 2) -> date:
    """Parse a YYYY-MM-DD option value, or return today when ``text`` is ``None``.

    An invalid date prints an error naming ``option`` and exits with ``code``, by default 2, the
    exit code of an invalid option.
    """
    if text is None:
        return today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        fail(f"{option} {text!r} is not a date; use YYYY-MM-DD, such as 2024-12-31", code)
