"""The acting user of a collections action, checked against the roles of ``domain.dunning.roles``.

Users and roles are the ``users`` table of credit management. While that table has no rows,
nobody is checked: every action runs and the audit log records the name given (or ``system``),
so a small team can start without setting up users.
"""

from __future__ import annotations

from sqlalchemy import Connection, func, select

from receivables.domain.credit.roles import Role
from receivables.domain.dunning.roles import Action, allowed_roles, may
from receivables.dunning.errors import DeniedError, MissingUserError, UnknownUserError
from receivables.storage.credit_models import UserRow


def acting_user(connection: Connection, name: str | None, action: Action) -> str | None:
    """Return the name to record for ``action``; raise if users exist and ``name`` may not act."""
    if not connection.execute(select(func.count()).select_from(UserRow)).scalar_one():
        return name
    if not name:
        raise MissingUserError(action.value)
    role = connection.execute(select(UserRow.role).where(UserRow.name == name)).scalar()
    if role is None:
        raise UnknownUserError(name)
    if not may(Role(role), action):
        raise DeniedError(name, role, action.value, allowed_roles(action))
    return name


def users_with_role(connection: Connection, roles: frozenset[Role]) -> list[str]:
    """Return the names of users with one of ``roles``, in name order."""
    rows = connection.execute(
        select(UserRow.name)
        .where(UserRow.role.in_([role.value for role in roles]))
        .order_by(UserRow.name)
    )
    return [row.name for row in rows]
