"""The signed-in user a request acts as."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select

from receivables.domain.credit.roles import Role
from receivables.storage.credit_models import UserRow
from receivables.storage.service_models import UserPasswordRow


@dataclass(frozen=True)
class Principal:
    """A user as the service sees them: id, name and the one role that decides what they may do."""

    user_id: int
    name: str
    role: Role


def find_principal(connection: Connection, user_id: int) -> Principal | None:
    """Return the user with ``user_id``, or None when there is none or they are disabled."""
    row = connection.execute(
        select(UserRow.id, UserRow.name, UserRow.role, UserPasswordRow.disabled)
        .outerjoin(UserPasswordRow, UserPasswordRow.user_id == UserRow.id)
        .where(UserRow.id == user_id)
    ).first()
    if row is None or row.disabled:
        return None
    return Principal(row.id, row.name, Role(row.role))
