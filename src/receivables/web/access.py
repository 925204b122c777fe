"""Which roles see which page, built from the action tables of credit and collections.

A page that carries out an action admits the roles the action's table allows, so a page never
offers what the service function would refuse. Reading pages:

- the dashboard shows company-wide figures: admins, finance and credit managers and viewers;
- customer pages are open to every role, and a collector sees only their assigned customers;
- match suggestions are cash application, a finance task: admins and finance managers.
"""

from __future__ import annotations

from dataclasses import dataclass

from receivables.domain.credit import roles as credit_roles
from receivables.domain.credit.roles import Role
from receivables.domain.dunning import roles as dunning_roles

DASHBOARD = frozenset({Role.ADMIN, Role.FINANCE_MANAGER, Role.CREDIT_MANAGER, Role.VIEWER})
CUSTOMERS = frozenset(Role)
WORKLIST = dunning_roles.ALLOWED[dunning_roles.Action.RECORD_TASK]
OPEN_DISPUTE = dunning_roles.ALLOWED[dunning_roles.Action.OPEN_DISPUTE]
NOTICES = dunning_roles.ALLOWED[dunning_roles.Action.REVIEW_NOTICE]
MATCHES = frozenset({Role.ADMIN, Role.FINANCE_MANAGER})
RELEASE_HOLD = credit_roles.ALLOWED[credit_roles.Action.RELEASE_HOLD]
APPROVE_LIMIT = credit_roles.ALLOWED[credit_roles.Action.APPROVE_LIMIT]
CREDIT = RELEASE_HOLD | APPROVE_LIMIT


@dataclass(frozen=True)
class NavEntry:
    path: str
    label: str
    roles: frozenset[Role]


NAVIGATION = (
    NavEntry("/dashboard", "Dashboard", DASHBOARD),
    NavEntry("/worklist", "Worklist", WORKLIST),
    NavEntry("/customers", "Customers", CUSTOMERS),
    NavEntry("/notices", "Notices", NOTICES),
    NavEntry("/matches", "Matches", MATCHES),
    NavEntry("/credit", "Credit approvals", CREDIT),
)


def navigation(role: Role) -> list[NavEntry]:
    """Return the menu entries of the pages ``role`` may open."""
    return [entry for entry in NAVIGATION if role in entry.roles]


def landing_page(role: Role) -> str:
    """Return the first page a user of ``role`` sees after signing in."""
    if role in DASHBOARD:
        return "/dashboard"
    if role in WORKLIST:
        return "/worklist"
    return "/customers"
