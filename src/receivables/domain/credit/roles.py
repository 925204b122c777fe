"""User roles and the actions each may take in credit management.

The table below is the whole rule. An admin may do everything; placing a hold is open to the
roles that chase or watch money, while releasing a hold and approving a limit take a credit
manager or an admin.
"""

from __future__ import annotations

from enum import StrEnum

from receivables.domain.credit.errors import PermissionDeniedError


class Role(StrEnum):
    ADMIN = "admin"
    FINANCE_MANAGER = "finance_manager"
    CREDIT_MANAGER = "credit_manager"
    COLLECTOR = "collector"
    SALES = "sales"
    VIEWER = "viewer"


class Action(StrEnum):
    MANAGE_USERS = "manage users"
    PLACE_HOLD = "place a credit hold"
    RELEASE_HOLD = "release a credit hold"
    APPROVE_LIMIT = "approve a credit limit"


ALLOWED: dict[Action, frozenset[Role]] = {
    Action.MANAGE_USERS: frozenset({Role.ADMIN}),
    Action.PLACE_HOLD: frozenset(
        {Role.ADMIN, Role.FINANCE_MANAGER, Role.CREDIT_MANAGER, Role.COLLECTOR}
    ),
    Action.RELEASE_HOLD: frozenset({Role.ADMIN, Role.CREDIT_MANAGER}),
    Action.APPROVE_LIMIT: frozenset({Role.ADMIN, Role.CREDIT_MANAGER}),
}


def may(role: Role, action: Action) -> bool:
    return role in ALLOWED[action]


def require(user: str, role: Role, action: Action) -> None:
    """Raise :class:`PermissionDeniedError` unless ``role`` may take ``action``."""
    if not may(role, action):
        allowed = tuple(sorted(item.value for item in ALLOWED[action]))
        raise PermissionDeniedError(user, role.value, action.value, allowed)
