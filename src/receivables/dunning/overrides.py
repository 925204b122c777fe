"""A customer's own dunning settings: its policy, a dunning hold until a date, its collector.

Each change is audited with the values before and after. A hold pauses every notice of the
customer until (and including) ``hold_until``; tasks already created stay open.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Engine, text

from receivables.domain.dunning.policy import PolicyBook
from receivables.domain.dunning.roles import Action
from receivables.dunning.audit import record, utc_now
from receivables.dunning.bulk import wait_for_writers
from receivables.dunning.open_amounts import customer_id_of
from receivables.dunning.users import acting_user

FIELDS = ("policy", "hold_until", "hold_reason", "collector")


def set_override(
    engine: Engine, book: PolicyBook, code: str, changes: dict[str, Any], user: str | None
) -> dict[str, Any]:
    """Set (or, with None, clear) the fields named in ``changes``; return the settings after."""
    unknown = sorted(set(changes) - set(FIELDS))
    if unknown:
        raise ValueError(f"unknown override fields {unknown}; use {', '.join(FIELDS)}")
    if changes.get("policy"):
        book.get(str(changes["policy"]))
    with engine.begin() as connection:
        wait_for_writers(connection)
        name = acting_user(connection, user, Action.OVERRIDE)
        customer = customer_id_of(connection, code)
        row = connection.execute(
            text(f"SELECT {', '.join(FIELDS)} FROM dunning_overrides WHERE customer_id = :c"),
            {"c": customer},
        ).first()
        before = dict(row._mapping) if row else dict.fromkeys(FIELDS)
        after = {**before, **changes}
        values = {**after, "customer_id": customer, "updated_at": utc_now()}
        updates = ", ".join(f"{field} = excluded.{field}" for field in (*FIELDS, "updated_at"))
        connection.execute(
            text(
                f"INSERT INTO dunning_overrides (customer_id, {', '.join(FIELDS)}, updated_at) "
                f"VALUES (:customer_id, {', '.join(':' + field for field in FIELDS)}, :updated_at) "
                f"ON CONFLICT (customer_id) DO UPDATE SET {updates}"
            ),
            values,
        )
        record(
            connection,
            name,
            "override_changed",
            {"before": before, "after": after},
            customer_id=customer,
        )
    return {
        key: (value.isoformat() if isinstance(value, date) else value)
        for key, value in after.items()
    }
