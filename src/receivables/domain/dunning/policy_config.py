"""Reading dunning policies from the table form of a config file.

The ``[collections]`` table holds ``[collections.policies.NAME]`` tables, each with a list of
``levels``, and ``[collections.assignment]`` with ``default``, ``risk_class`` and ``segment``.
Amounts and percentages are strings or whole numbers (``"5.00"``); a TOML float is read only
when the file was parsed with ``parse_float=Decimal``. Unknown keys are rejected with the
allowed ones listed, so a misspelt key never silently falls back to a default.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from receivables.domain.credit.roles import Role
from receivables.domain.dunning.errors import DunningConfigError
from receivables.domain.dunning.policy import (
    Channel,
    Dispatch,
    DunningLevel,
    DunningPolicy,
    EarlyPaymentOffer,
    PolicyBook,
)

LEVEL_KEYS = frozenset(
    {
        "name", "days", "channel", "template", "fee", "minimum_amount", "wait_days", "role",
        "dispatch", "task_due_days", "offer",
    }
)  # fmt: skip
POLICY_KEYS = frozenset({"description", "promise_grace_days", "levels"})
ASSIGNMENT_KEYS = frozenset({"default", "risk_class", "segment"})
RISK_CLASSES = frozenset({"A", "B", "C", "D", "E"})


def parse_policy_book(table: Mapping[str, Any]) -> PolicyBook:
    """Build the policies and their assignment from the ``[collections]`` table."""
    policies_table = table.get("policies")
    if not isinstance(policies_table, Mapping) or not policies_table:
        raise DunningConfigError("policies", "at least one [collections.policies.NAME] is needed")
    policies = {
        str(name): parse_policy(str(name), values) for name, values in policies_table.items()
    }
    assignment = table.get("assignment", {})
    _check_keys("assignment", assignment, ASSIGNMENT_KEYS)
    by_class = {
        str(key).upper(): str(value) for key, value in assignment.get("risk_class", {}).items()
    }
    unknown = sorted(set(by_class) - RISK_CLASSES)
    if unknown:
        raise DunningConfigError(
            "assignment.risk_class", f"unknown risk classes {unknown}; use A-E"
        )
    default = str(assignment.get("default", next(iter(policies))))
    by_segment = {str(key): str(value) for key, value in assignment.get("segment", {}).items()}
    return PolicyBook(policies, default, by_class, by_segment)


def parse_policy(name: str, values: Any) -> DunningPolicy:
    key = f"policies.{name}"
    if not isinstance(values, Mapping):
        raise DunningConfigError(key, "must be a table")
    _check_keys(key, values, POLICY_KEYS)
    levels = values.get("levels")
    if not isinstance(levels, list) or not levels:
        raise DunningConfigError(key, "needs a list of [[levels]]")
    return DunningPolicy(
        name=name,
        levels=tuple(
            parse_level(f"{key}.levels[{index}]", level) for index, level in enumerate(levels)
        ),
        description=str(values.get("description", "")),
        promise_grace_days=_whole(f"{key}.promise_grace_days", values.get("promise_grace_days", 3)),
    )


def parse_level(key: str, values: Any) -> DunningLevel:
    if not isinstance(values, Mapping):
        raise DunningConfigError(key, "must be a table")
    _check_keys(key, values, LEVEL_KEYS)
    for required in ("name", "days", "channel"):
        if required not in values:
            raise DunningConfigError(key, f"{required} is missing")
    name = str(values["name"])
    return DunningLevel(
        name=name,
        days=_whole(f"{key}.days", values["days"]),
        channel=_choice(f"{key}.channel", values["channel"], Channel),
        template=str(values.get("template", name)),
        fee=_amount(f"{key}.fee", values.get("fee", 0)),
        minimum_amount=_amount(f"{key}.minimum_amount", values.get("minimum_amount", 0)),
        wait_days=_whole(f"{key}.wait_days", values.get("wait_days", 0)),
        role=_choice(f"{key}.role", values.get("role", Role.COLLECTOR.value), Role),
        dispatch=_choice(f"{key}.dispatch", values.get("dispatch", "automatic"), Dispatch),
        task_due_days=_whole(f"{key}.task_due_days", values.get("task_due_days", 2)),
        offer=_offer(f"{key}.offer", values.get("offer")),
    )


def _offer(key: str, values: Any) -> EarlyPaymentOffer | None:
    if values is None:
        return None
    if not isinstance(values, Mapping):
        raise DunningConfigError(key, 'must be a table such as { percent = "2", days = 7 }')
    _check_keys(key, values, frozenset({"percent", "days"}))
    return EarlyPaymentOffer(
        _amount(f"{key}.percent", values.get("percent", 0)),
        _whole(f"{key}.days", values.get("days", 0)),
    )


def _check_keys(key: str, values: Any, allowed: frozenset[str]) -> None:
    if not isinstance(values, Mapping):
        raise DunningConfigError(key, "must be a table")
    unknown = sorted(set(values) - allowed)
    if unknown:
        raise DunningConfigError(
            key, f"unknown keys {unknown}; allowed: {', '.join(sorted(allowed))}"
        )


def _whole(key: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise DunningConfigError(key, f"{value!r} must be a whole number")
    try:
        return int(value)
    except ValueError as error:
        raise DunningConfigError(key, f"{value!r} must be a whole number") from error


def _amount(key: str, value: Any) -> Decimal:
    if isinstance(value, bool | float):
        raise DunningConfigError(key, f"{value!r} must be a string or a whole number, not a float")
    try:
        amount = Decimal(str(value))
    except InvalidOperation as error:
        raise DunningConfigError(key, f"{value!r} is not a number") from error
    if not amount.is_finite():
        raise DunningConfigError(key, f"{value!r} is not a finite number")
    return amount


def _choice(key: str, value: Any, kind: Any) -> Any:
    try:
        return kind(str(value).strip().lower())
    except ValueError as error:
        allowed = ", ".join(item.value for item in kind)
        raise DunningConfigError(key, f"{value!r} is unknown; use one of {allowed}") from error
