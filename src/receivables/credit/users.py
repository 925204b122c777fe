"""Users and their roles: adding them, finding them, and checking what they may do.

The first user may be added by anyone, because nobody could approve it otherwise; as soon as an
admin exists, only an admin adds users. Every user added is written to the audit trail.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, func, insert, select

from receivables.credit.errors import MissingUserError, UnknownUserError
from receivables.credit.lookup import utc_now
from receivables.domain.credit.errors import CreditError
from receivables.domain.credit.roles import Action, Role, require
from receivables.storage.credit_models import CreditAuditRow, UserRow

log = logging.getLogger(__name__)

NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")


class InvalidUserError(CreditError, ValueError):
    """A user name is malformed or already taken, or a role is unknown."""


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: Role


def parse_role(text: str) -> Role:
    try:
        return Role(text.strip().lower())
    except ValueError as error:
        roles = ", ".join(role.value for role in Role)
        raise InvalidUserError(f"role {text!r} is unknown; use one of {roles}") from error


def find_user(connection: Connection, name: str) -> User:
    row = connection.execute(
        select(UserRow.id, UserRow.name, UserRow.role).where(UserRow.name == name)
    ).first()
    if row is None:
        raise UnknownUserError(name)
    return User(row.id, row.name, Role(row.role))


def acting_user(connection: Connection, name: str | None, action: Action) -> User:
    """The user named ``name``, checked to be allowed ``action``."""
    if not name:
        raise MissingUserError(action.value)
    user = find_user(connection, name)
    require(user.name, user.role, action)
    return user


def audit(
    connection: Connection, user: User | None, action: str, customer_id: int | None, detail: str
) -> None:
    """Write one line to the audit trail, in the caller's transaction."""
    connection.execute(
        insert(CreditAuditRow).values(
            at=utc_now(),
            user_id=user.id if user else None,
            action=action,
            customer_id=customer_id,
            detail=detail[:1000],
        )
    )


def add_user(engine: Engine, name: str, role: str, by: str | None) -> User:
    """Add a user with a role; ``by`` must be an admin once any admin exists."""
    if not NAME_PATTERN.match(name):
        raise InvalidUserError(
            f"user name {name!r} is invalid: use 1-64 letters, digits, '.', '_', '@' or '-'"
        )
    parsed = parse_role(role)
    with engine.begin() as connection:
        admins = connection.execute(
            select(func.count()).select_from(UserRow).where(UserRow.role == Role.ADMIN.value)
        ).scalar_one()
        actor = acting_user(connection, by, Action.MANAGE_USERS) if admins else None
        if connection.execute(select(UserRow.id).where(UserRow.name == name)).first():
            raise InvalidUserError(f"user {name!r} already exists")
        user_id = connection.execute(
            insert(UserRow)
            .values(name=name, role=parsed.value, created_at=utc_now())
            .returning(UserRow.id)
        ).scalar_one()
        audit(connection, actor, "user_added", None, f"added user {name} with role {parsed.value}")
    log.info("user %s added with role %s", name, parsed.value)
    return User(user_id, name, parsed)


def list_users(engine: Engine) -> list[User]:
    with engine.connect() as connection:
        rows = connection.execute(
            select(UserRow.id, UserRow.name, UserRow.role).order_by(UserRow.name)
        )
        return [User(row.id, row.name, Role(row.role)) for row in rows]
