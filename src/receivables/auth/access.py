"""What each role may read and do through the service, beyond the credit and collections tables.

Credit and collections actions use the tables of ``domain.credit.roles`` and
``domain.dunning.roles``; this table adds the service's own areas. Everyone signed in may read
customers, their documents and credit status (a collector only the customers assigned to them).
"""

from __future__ import annotations

from enum import StrEnum

from receivables.domain.credit import roles as credit_roles
from receivables.domain.credit.roles import Role
from receivables.domain.dunning import roles as dunning_roles

EVERYONE = frozenset(Role)
MANAGERS = frozenset({Role.ADMIN, Role.FINANCE_MANAGER, Role.CREDIT_MANAGER})


class Access(StrEnum):
    READ_LEDGER = "read customers and documents"
    READ_REPORTS = "read the reports"
    CHECK_ORDER = "run the order check"
    READ_COLLECTIONS = "read the worklist, notices, tasks, disputes and promises"
    IMPORT_LEDGER = "import or push documents and payments"
    READ_CASH = "read bank statements and match suggestions"
    APPLY_CASH = "import bank statements and review matches"
    READ_FORECASTS = "read forecasts and recommendations"
    MANAGE_USERS = "manage users and API tokens"
    MANAGE_WEBHOOKS = "manage webhooks"


ALLOWED: dict[Access, frozenset[Role]] = {
    Access.READ_LEDGER: EVERYONE,
    Access.READ_REPORTS: MANAGERS | {Role.VIEWER},
    Access.CHECK_ORDER: MANAGERS | {Role.SALES},
    Access.READ_COLLECTIONS: MANAGERS | {Role.COLLECTOR, Role.VIEWER},
    Access.IMPORT_LEDGER: frozenset({Role.ADMIN, Role.FINANCE_MANAGER}),
    Access.READ_CASH: frozenset({Role.ADMIN, Role.FINANCE_MANAGER, Role.VIEWER}),
    Access.APPLY_CASH: frozenset({Role.ADMIN, Role.FINANCE_MANAGER}),
    Access.READ_FORECASTS: MANAGERS | {Role.VIEWER},
    Access.MANAGE_USERS: frozenset({Role.ADMIN}),
    Access.MANAGE_WEBHOOKS: frozenset({Role.ADMIN}),
}


def roles_for(action: Access | credit_roles.Action | dunning_roles.Action) -> frozenset[Role]:
    """The roles allowed ``action``, from whichever of the three tables defines it."""
    if isinstance(action, Access):
        return ALLOWED[action]
    if isinstance(action, credit_roles.Action):
        return credit_roles.ALLOWED[action]
    return dunning_roles.ALLOWED[action]
