"""Who may do what in collections.

The table below is the whole rule. An admin may do everything. Collectors work the daily list:
they record calls, promises and disputes and review notices. Opening a dispute is also open to
sales, who often hear of it first. Changing a customer's policy or hold, resolving a dispute and
handing a case to a lawyer or agency take a finance or credit manager.
"""

from __future__ import annotations

from enum import StrEnum

from receivables.domain.credit.roles import Role

MANAGERS = frozenset({Role.ADMIN, Role.FINANCE_MANAGER, Role.CREDIT_MANAGER})
COLLECTORS = MANAGERS | {Role.COLLECTOR}


class Action(StrEnum):
    RUN = "run the dunning run"
    REVIEW_NOTICE = "review a dunning notice"
    RECORD_TASK = "record a task outcome"
    RECORD_PROMISE = "record a promise to pay"
    OPEN_DISPUTE = "open a dispute"
    RESOLVE_DISPUTE = "resolve a dispute"
    OVERRIDE = "change a customer's dunning policy or hold"
    RESOLVE_DELIVERY = "resolve a notice delivery"
    HAND_OVER = "hand a case over"


ALLOWED: dict[Action, frozenset[Role]] = {
    Action.RUN: COLLECTORS,
    Action.REVIEW_NOTICE: COLLECTORS,
    Action.RECORD_TASK: COLLECTORS,
    Action.RECORD_PROMISE: COLLECTORS,
    Action.OPEN_DISPUTE: COLLECTORS | {Role.SALES},
    Action.RESOLVE_DISPUTE: MANAGERS,
    Action.OVERRIDE: MANAGERS,
    Action.RESOLVE_DELIVERY: COLLECTORS,
    Action.HAND_OVER: MANAGERS,
}


def may(role: Role, action: Action) -> bool:
    return role in ALLOWED[action]


def allowed_roles(action: Action) -> tuple[str, ...]:
    return tuple(sorted(role.value for role in ALLOWED[action]))
