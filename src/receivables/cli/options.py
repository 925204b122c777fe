"""Error exits, date options and the stale-ledger note that every command group shares.

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
from sqlalchemy import Engine, func, select

from receivables.services.context import today
from receivables.storage.models import DocumentRow

# A live ledger usually gets invoices or payments every week. So a newest document more than a
# month before a defaulted as-of date points to an export or the demo rather than a quiet month.
STALE_LEDGER_DAYS = 31


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


def latest_document_date(engine: Engine) -> date | None:
    """Return the latest document date in the ledger, or ``None`` when it has no documents."""
    with engine.connect() as connection:
        latest: date | None = connection.execute(
            select(func.max(DocumentRow.document_date))
        ).scalar_one()
    return latest


def note_stale_ledger(engine: Engine, as_of: str | None, day: date) -> None:
    """Print a note to stderr when ``--as-of`` was not given and the ledger ends long before ``day``.

    ``as_of`` is the option's text as given (``None`` when the user left it out) and ``day`` the
    date the command uses. The note suggests the ledger's last document date instead, because
    today's date on an old ledger (such as the demo's) shows empty periods and zero limits. It goes
    to stderr, so JSON on stdout stays valid.

    Commands call this when their ``--as-of`` is the date they evaluate the ledger at (reports,
    runs, checks, forecasts). Commands that record an action (a promise, a dispute, a task outcome,
    a limit approval) do not, because the day of the action is today however old the ledger is.
    """
    if as_of is not None:
        return
    latest = latest_document_date(engine)
    if latest is None:
        return
    days = (day - latest).days
    if days <= STALE_LEDGER_DAYS:
        return
    Console(stderr=True).print(
        f"note: without --as-of the date is today, {day.isoformat()}, but the ledger's latest document "
        f"is dated {latest.isoformat()}, {days} days earlier; pass --as-of {latest.isoformat()} "
        "to use the ledger's last day instead",
        soft_wrap=True,
        highlight=False,
        markup=False,
    )
