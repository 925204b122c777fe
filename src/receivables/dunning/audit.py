"""The collections audit log: who did what, when, to which customer or notice.

Every notice planned, approved, skipped, edited or delivered, every task outcome, dispute,
promise and override adds one row. Rows are never changed: triggers in the database reject
updates and deletes. ``detail`` is a JSON object whose keys depend on the action.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import polars as pl
from sqlalchemy import Connection, Engine, insert, select

from receivables.storage.dunning_models import CollectionAuditRow
from receivables.storage.models import CustomerRow

SYSTEM_USER = "system"


def utc_now() -> datetime:
    return datetime.now(UTC)


def record(
    connection: Connection,
    user: str | None,
    action: str,
    detail: Mapping[str, Any],
    customer_id: int | None = None,
    notice_id: int | None = None,
) -> None:
    """Append one event to the audit log, in the caller's transaction."""
    connection.execute(
        insert(CollectionAuditRow).values(
            at=utc_now(),
            user_name=user or SYSTEM_USER,
            action=action,
            customer_id=customer_id,
            notice_id=notice_id,
            detail=json.dumps(dict(detail), sort_keys=True, default=str),
        )
    )


def read_log(
    engine: Engine, customer_code: str | None = None, limit: int | None = None
) -> list[dict[str, Any]]:
    """Return audit events, newest first, of one customer or of all."""
    statement = (
        select(
            CollectionAuditRow.id,
            CollectionAuditRow.at,
            CollectionAuditRow.user_name,
            CollectionAuditRow.action,
            CustomerRow.code,
            CollectionAuditRow.notice_id,
            CollectionAuditRow.detail,
        )
        .outerjoin(CustomerRow, CustomerRow.id == CollectionAuditRow.customer_id)
        .order_by(CollectionAuditRow.id.desc())
    )
    if customer_code is not None:
        statement = statement.where(CustomerRow.code == customer_code)
    if limit is not None:
        statement = statement.limit(limit)
    with engine.connect() as connection:
        return [
            {
                "id": row.id,
                "at": row.at.isoformat() if row.at else None,
                "user": row.user_name,
                "action": row.action,
                "customer_code": row.code,
                "notice_id": row.notice_id,
                "detail": json.loads(row.detail),
            }
            for row in connection.execute(statement)
        ]


AUDIT_SCHEMA: dict[str, pl.DataType] = {
    "customer_id": pl.Int64(),
    "notice_id": pl.Int64(),
    "action": pl.String(),
    "detail": pl.String(),
}
