"""Collections on a ledger that has no contact data yet, for the demo: one call, one summary.

:func:`collections_walkthrough` gives every customer without contact data a synthetic contact
(see :mod:`.synthetic`; about 4 % have no valid email address, so the letter and task fallbacks
show), runs dunning for ``as_of`` (delivering to the ``.eml`` and letter outbox of
``settings``) and returns the run report, the notices, the open tasks and the top of the
worklist as plain data. The same data is what ``receivables collect run``, ``notice list``,
``task list`` and ``worklist`` print with ``--format json``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import Engine, text

from receivables.domain.money import Currency
from receivables.dunning.bundles import EMAIL_PATTERN
from receivables.dunning.config import CollectionSettings
from receivables.dunning.contacts import store_contacts
from receivables.dunning.review import list_notices
from receivables.dunning.run import run_dunning
from receivables.dunning.synthetic import contacts_frame
from receivables.dunning.tasks import list_tasks
from receivables.dunning.worklist import build_worklist


def add_missing_contacts(engine: Engine) -> int:
    """Store synthetic contacts for the customers that have none; return how many."""
    with engine.begin() as connection:
        codes = (
            connection.execute(
                text(
                    "SELECT c.code FROM customers c LEFT JOIN customer_contacts k "
                    "ON k.customer_id = c.id WHERE k.customer_id IS NULL ORDER BY c.code"
                )
            )
            .scalars()
            .all()
        )
        if codes:
            store_contacts(connection, valid_contacts(list(codes)))
    return len(codes)


def valid_contacts(codes: list[str]) -> pl.DataFrame:
    """Return synthetic contacts with the invalid email addresses dropped, as an import would."""
    email = pl.col("email")
    return contacts_frame(codes).with_columns(
        pl.when(email.str.contains(EMAIL_PATTERN)).then(email).alias("email")
    )


def write_contacts_csv(codes: list[str], path: Path) -> Path:
    """Write synthetic contacts in the layout ``receivables collect contacts`` reads."""
    valid_contacts(codes).with_columns(pl.all().fill_null("")).write_csv(path)
    return path


def collections_walkthrough(
    engine: Engine,
    settings: CollectionSettings,
    company: Currency,
    as_of: date,
    user: str | None = None,
    top: int = 10,
) -> dict[str, Any]:
    """Run collections for ``as_of`` and return what a collector would look at next.

    ``user`` must name a user allowed to run dunning once users are set up.
    """
    added = add_missing_contacts(engine)
    report = run_dunning(engine, settings, company, as_of, user)
    return {
        "contacts_added": added,
        "run": report.to_dict(),
        "notices": list_notices(engine),
        "tasks": list_tasks(engine),
        "worklist": build_worklist(engine, settings, company, as_of)[:top],
        "outbox": str(settings.outbox_dir),
    }
