"""Upserts of credit rows by their natural keys, inside the caller's transaction.

A row equal to the stored one is written again unchanged, so importing a file twice leaves the
tables as after the first time.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.dialects import postgresql, sqlite

from receivables.storage.models import Base, CustomerRow

BATCH_ROWS = 5_000


def upsert(
    connection: Connection, table: type[Base], rows: Sequence[dict[str, Any]], keys: Sequence[str]
) -> int:
    """Insert ``rows`` into the model's table, updating the stored row with the same ``keys``."""
    if not rows:
        return 0
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    for start in range(0, len(rows), BATCH_ROWS):
        chunk = rows[start : start + BATCH_ROWS]
        statement = dialect.insert(table.__table__)
        updates = {name: statement.excluded[name] for name in chunk[0] if name not in keys}
        connection.execute(
            statement.on_conflict_do_update(index_elements=list(keys), set_=updates), chunk
        )
    return len(rows)


def customer_ids(connection: Connection, codes: Sequence[str]) -> dict[str, int]:
    """Map the stored customer codes among ``codes`` to their ids."""
    wanted = sorted(set(codes))
    found: dict[str, int] = {}
    for start in range(0, len(wanted), BATCH_ROWS):
        chunk = wanted[start : start + BATCH_ROWS]
        rows = connection.execute(
            select(CustomerRow.code, CustomerRow.id).where(CustomerRow.code.in_(chunk))
        )
        found.update({row.code: row.id for row in rows})
    return found
