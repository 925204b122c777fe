"""The dunning level a customer is due for on an as-of date.

The age of the customer's oldest eligible item sets the level it has reached: the last level
whose ``days`` the item's days past due meet. A debt first seen long after its due date goes
straight to that level instead of climbing one level per run. A reminder before the due date
counts only while nothing is overdue. A level counts only when the notice total (the eligible
items it would list, in company minor units) reaches its minimum; otherwise the highest lower
level whose minimum is reached is taken.

The contact history then decides whether a notice goes out now:

- nothing is sent at or below the level of the last notice that still chases an open item, so a
  re-run, or a run after missed days, sends one notice at the current level and never the
  levels it skipped;
- after a notice, the next one waits ``wait_days`` of the last notice's level;
- while a draft of the customer awaits review, no further notice is planned;
- a promise to pay broken since the last notice escalates: at least one level above the last
  notice, without waiting.

:func:`choose_level` is written with :mod:`receivables.domain.dunning.formulas`, so the run
applies it to Polars columns for every customer and :func:`decide` to one customer's integers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from receivables.domain.dunning.formulas import (
    first_match,
    flag,
    last_match,
    maximum,
    minimum,
    negate,
    select,
)
from receivables.domain.dunning.policy import DunningLevel, DunningPolicy
from receivables.domain.money import Currency, Money

# The oldest days past due of a customer without eligible items: below every level's days.
NO_ITEMS = -1_000_000


class Reason(StrEnum):
    """The reason a customer gets a notice now or not; its position is its code in columns."""

    NOTICE = "notice"
    NOTHING_DUE = "nothing_due"
    BELOW_MINIMUM = "below_minimum"
    ALREADY_NOTIFIED = "already_notified"
    WAITING = "waiting"
    AWAITING_REVIEW = "awaiting_review"

    @property
    def code(self) -> int:
        return REASONS.index(self)


REASONS = tuple(Reason)


@dataclass(frozen=True, slots=True)
class Situation:
    """One customer's position on the as-of date, amounts in company minor units.

    ``totals[k]`` is what a notice of level ``k + 1`` would list. ``last_level`` is 0 without a
    notice that still chases an open item.
    """

    oldest_days: int
    totals: tuple[int, ...]
    last_level: int = 0
    days_since_last: int = 0
    escalate: bool = False
    pending_review: bool = False


@dataclass(frozen=True, slots=True)
class Decision:
    level: int
    reason: Reason


def minimums_minor(policy: DunningPolicy, company: Currency) -> tuple[int, ...]:
    """Return each level's minimum amount in the company currency's minor units."""
    return tuple(Money.of(level.minimum_amount, company).minor_units() for level in policy.levels)


def applies(level: DunningLevel, oldest_days: Any) -> Any:
    """Return 1 when a customer whose oldest item is ``oldest_days`` past due has reached ``level``.

    A reminder before the due date (``days`` of 0 or less) applies only while nothing is overdue.
    """
    reached = flag(oldest_days >= level.days)
    return reached * flag(oldest_days <= 0) if level.days <= 0 else reached


def reached_level(policy: DunningPolicy, oldest_days: Any) -> Any:
    """Return the number of the last level that ``oldest_days`` reaches, or 0."""
    flags = [applies(level, oldest_days) for level in policy.levels]
    return last_match(flags, list(range(1, policy.top + 1)), 0)


def qualifying_level(
    policy: DunningPolicy, oldest_days: Any, totals: Sequence[Any], minimums: Sequence[int]
) -> Any:
    """Return the highest reached level whose notice total meets its minimum, or 0."""
    flags = [
        applies(level, oldest_days) * flag(totals[number] >= minimums[number])
        for number, level in enumerate(policy.levels)
    ]
    return last_match(flags, list(range(1, policy.top + 1)), 0)


def wait_after(policy: DunningPolicy, last_level: Any) -> Any:
    """Return the days to wait after a notice of ``last_level`` (0 for no notice)."""
    days: Any = 0
    for number, level in enumerate(policy.levels, start=1):
        days = flag(last_level == number) * level.wait_days + days
    return days


def target_level(policy: DunningPolicy, chosen: Any, last_level: Any, escalate: Any) -> Any:
    """Return the level due now: ``chosen``, or after a broken promise one above the last."""
    escalated = minimum(maximum(chosen, last_level + 1), policy.top)
    return select(escalate * flag(chosen > 0), escalated, chosen)


def reason_code(
    policy: DunningPolicy,
    reached: Any,
    chosen: Any,
    target: Any,
    history: tuple[Any, Any, Any, Any],
) -> Any:
    """Return the code of the :class:`Reason` for a customer, the first that applies."""
    last_level, days_since_last, escalate, pending_review = history
    waiting = (
        flag(last_level > 0)
        * flag(days_since_last < wait_after(policy, last_level))
        * negate(escalate)
    )
    checks = [
        (flag(reached == 0), Reason.NOTHING_DUE),
        (flag(chosen == 0), Reason.BELOW_MINIMUM),
        (pending_review, Reason.AWAITING_REVIEW),
        (flag(target <= last_level), Reason.ALREADY_NOTIFIED),
        (waiting, Reason.WAITING),
    ]
    flags = [condition for condition, _ in checks]
    return first_match(flags, [reason.code for _, reason in checks], Reason.NOTICE.code)


def level_now(target: Any, reason: Any) -> Any:
    """Return the level of the notice that goes out now, or 0."""
    return target * flag(reason == Reason.NOTICE.code)


def choose_level(
    policy: DunningPolicy,
    oldest_days: Any,
    totals: Sequence[Any],
    minimums: Sequence[int],
    history: tuple[Any, Any, Any, Any],
) -> tuple[Any, Any]:
    """Return ``(level, reason code)``; the level is 0 unless a notice goes out now.

    ``history`` is ``(last_level, days_since_last, escalate, pending_review)`` with 0/1 flags.
    Column callers should compute each step as its own column, as the run does, so that no
    expression is repeated inside another.
    """
    reached = reached_level(policy, oldest_days)
    chosen = qualifying_level(policy, oldest_days, totals, minimums)
    target = target_level(policy, chosen, history[0], history[2])
    reason = reason_code(policy, reached, chosen, target, history)
    return level_now(target, reason), reason


def decide(policy: DunningPolicy, situation: Situation, minimums: Sequence[int]) -> Decision:
    """Apply :func:`choose_level` to one customer."""
    if len(situation.totals) != policy.top or len(minimums) != policy.top:
        raise ValueError(f"need one total and one minimum per level of policy {policy.name}")
    history = (
        situation.last_level,
        situation.days_since_last,
        int(situation.escalate),
        int(situation.pending_review),
    )
    level, code = choose_level(policy, situation.oldest_days, situation.totals, minimums, history)
    return Decision(int(level), REASONS[int(code)])
