"""Credit holds: placing and releasing them, each by a user whose role allows it, with a reason.

A customer has at most one hold in force. Placing a hold takes a user who may place holds
(admin, finance manager, credit manager or collector); releasing it takes a credit manager or an
admin. Both are written to the audit trail with the user and the reason.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, insert, select, update

from receivables.credit.errors import HoldStateError
from receivables.credit.lookup import customer_id, utc_now
from receivables.credit.records import active_hold
from receivables.credit.users import acting_user, audit
from receivables.domain.credit.roles import Action
from receivables.storage.credit_models import CreditHoldRow, UserRow
from receivables.storage.models import CustomerRow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Hold:
    """A hold and, once released, who released it and why."""

    customer_code: str
    placed_at: datetime
    placed_by: str
    reason: str
    released_at: datetime | None = None
    released_by: str | None = None
    release_reason: str | None = None


def _reason(reason: str) -> str:
    text = reason.strip()
    if not text:
        raise HoldStateError("give the reason with --reason")
    return text[:500]


def place_hold(engine: Engine, code: str, reason: str, user: str | None) -> Hold:
    """Put the customer on hold; raise when it already is or the user may not."""
    text = _reason(reason)
    with engine.begin() as connection:
        actor = acting_user(connection, user, Action.PLACE_HOLD)
        customer = customer_id(connection, code)
        current = active_hold(connection, customer)
        if current is not None:
            raise HoldStateError(f"customer {code} is already on hold since {current.placed_at:%Y-%m-%d}")
        now = utc_now()
        connection.execute(
            insert(CreditHoldRow).values(customer_id=customer, placed_at=now, placed_by=actor.id, reason=text)
        )
        audit(connection, actor, "hold_placed", customer, text)
    log.info("credit hold placed on %s by %s", code, actor.name)
    return Hold(code, now, actor.name, text)


def release_hold(engine: Engine, code: str, reason: str, user: str | None) -> Hold:
    """Release the customer's hold; raise when there is none or the user may not."""
    text = _reason(reason)
    with engine.begin() as connection:
        actor = acting_user(connection, user, Action.RELEASE_HOLD)
        customer = customer_id(connection, code)
        current = active_hold(connection, customer)
        if current is None:
            raise HoldStateError(f"customer {code} is not on hold")
        now = utc_now()
        connection.execute(
            update(CreditHoldRow)
            .where(CreditHoldRow.id == current.id)
            .values(released_at=now, released_by=actor.id, release_reason=text)
        )
        audit(connection, actor, "hold_released", customer, text)
        placed_by = connection.execute(
            select(UserRow.name).where(UserRow.id == current.placed_by)
        ).scalar_one()
    log.info("credit hold on %s released by %s", code, actor.name)
    return Hold(code, current.placed_at, placed_by, current.reason, now, actor.name, text)


def holds_placed_since(engine: Engine, since: datetime) -> list[Hold]:
    """Return the holds placed at or after ``since``, released or not, oldest first."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(CustomerRow.code, CreditHoldRow.placed_at, UserRow.name, CreditHoldRow.reason)
            .join(CustomerRow, CustomerRow.id == CreditHoldRow.customer_id)
            .join(UserRow, UserRow.id == CreditHoldRow.placed_by)
            .where(CreditHoldRow.placed_at >= since)
            .order_by(CreditHoldRow.placed_at, CreditHoldRow.id)
        ).all()
    # SQLite gives back naive datetimes for the UTC instants it stored.
    return [
        Hold(code, placed if placed.tzinfo else placed.replace(tzinfo=UTC), name, reason)
        for code, placed, name, reason in rows
    ]
