"""A demo company set up for the web pages: users of every role, a collections run, holds.

:func:`build_scenario` fills an empty database through the product's own functions, the way a
finance team would after ``receivables demo``: it adds one user per role with a password, runs
dunning for the demo's last day, assigns a collector to the customers at the top of the
worklist and puts a few customers on credit hold. The screenshot script and the tests share it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from sqlalchemy import Engine, select

from receivables.auth import set_password
from receivables.config import load_settings
from receivables.credit.holds import place_hold
from receivables.credit.users import add_user
from receivables.demo.run import run_demo
from receivables.domain.money import Currency
from receivables.dunning.config import Transport, load_collection_settings
from receivables.dunning.overrides import set_override
from receivables.dunning.walkthrough import collections_walkthrough
from receivables.dunning.worklist import build_worklist
from receivables.storage.database import connect
from receivables.storage.models import CustomerRow

PASSWORD = "web-pages-password"
# One user per role; the collector "cara" has customers assigned, "carl" has none.
USERS = {
    "ada": "admin",
    "fiona": "finance_manager",
    "cole": "credit_manager",
    "cara": "collector",
    "carl": "collector",
    "sal": "sales",
    "vera": "viewer",
}
ROLE_USER = {"admin": "ada", "finance_manager": "fiona", "credit_manager": "cole", "collector": "cara",
             "sales": "sal", "viewer": "vera"}  # fmt: skip
ASSIGNED = 8
HOLDS = 4


@dataclass(frozen=True)
class Scenario:
    """The database and what the tests need to know about it."""

    database_url: str
    as_of: date
    currency: str
    assigned: list[str]
    unassigned: list[str]
    held: list[str]


def _add_users(engine: Engine) -> None:
    for name, role in USERS.items():
        add_user(engine, name, role, None if name == "ada" else "ada")
        set_password(engine, name, PASSWORD)


def build_scenario(database_url: str, output_dir: Path, customers: int = 30) -> Scenario:
    """Build the demo company in ``database_url`` (empty) and set it up for the web pages."""
    demo = run_demo(output_dir, customers=customers, database_url=database_url)
    currency = Currency.of(demo.company_currency)
    engine = connect(database_url)
    try:
        _add_users(engine)
        configured = load_collection_settings(load_settings({}))
        settings = replace(
            configured,
            outbox_dir=output_dir / "web-outbox",
            mail=replace(configured.mail, transport=Transport.FILE),
        )
        collections_walkthrough(engine, settings, currency, demo.as_of, user="ada")
        worklist = [row["customer_code"] for row in build_worklist(engine, settings, currency, demo.as_of)]
        assigned = worklist[:ASSIGNED]
        with engine.connect() as connection:
            codes = connection.execute(select(CustomerRow.code).order_by(CustomerRow.code)).scalars()
            unassigned = [code for code in codes if code not in assigned]
        for code in assigned:
            set_override(engine, settings.book, code, {"collector": "cara"}, "ada")
        held = unassigned[:HOLDS]
        for code in held:
            place_hold(engine, code, "payments late; check with sales", "ada")
    finally:
        engine.dispose()
    return Scenario(database_url, demo.as_of, currency.code, assigned, unassigned[HOLDS:], held)
