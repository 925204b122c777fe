"""Promises to pay: when a promise pauses dunning, and when it is kept or broken.

A promise names a date and an amount, and covers the customer's items that were open when it
was made (or the ones it names). Until its date plus the policy's grace days it pauses dunning
of those items. What the customer paid towards it is the fall of the covered items' open amount
since the promise was made: payments, credit notes and write-offs all count.

- kept: the payments reach the promised amount, or nothing covered is open any more; a promise
  can be kept before its date;
- broken: the grace period has passed and it is not kept. A broken promise escalates the
  customer's next notice and counts for credit monitoring;
- open: neither yet.

:func:`promise_state` takes plain integers or Polars columns (day numbers and minor units).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from receivables.domain.dunning.errors import InvalidPromiseError, InvalidTransitionError
from receivables.domain.dunning.formulas import either, flag, negate, select


class PromiseState(StrEnum):
    OPEN = "open"
    KEPT = "kept"
    BROKEN = "broken"
    CANCELLED = "cancelled"

    @property
    def code(self) -> int:
        return PROMISE_STATES.index(self)


PROMISE_STATES = tuple(PromiseState)

# A promise moves only out of ``open``; kept, broken and cancelled are final.
TRANSITIONS: dict[PromiseState, frozenset[PromiseState]] = {
    PromiseState.OPEN: frozenset({PromiseState.KEPT, PromiseState.BROKEN, PromiseState.CANCELLED}),
    PromiseState.KEPT: frozenset(),
    PromiseState.BROKEN: frozenset(),
    PromiseState.CANCELLED: frozenset(),
}


@dataclass(frozen=True, slots=True)
class Promise:
    """A promise made on ``made_on`` to pay ``amount_minor`` by ``promised_date``.

    ``open_at_promise_minor`` is what the covered items had open when it was made, in company
    minor units, like the amount.
    """

    made_on: date
    promised_date: date
    amount_minor: int
    open_at_promise_minor: int
    grace_days: int = 0

    def __post_init__(self) -> None:
        check_promise(self.made_on, self.promised_date, self.amount_minor, self.grace_days)

    @property
    def deadline(self) -> date:
        """The last day a payment keeps the promise: the promised date plus grace days."""
        return self.promised_date + timedelta(days=self.grace_days)


def check_promise(made_on: date, promised_date: date, amount_minor: int, grace_days: int) -> None:
    """Raise :class:`InvalidPromiseError` for a promise that cannot be recorded."""
    if amount_minor <= 0:
        raise InvalidPromiseError(f"promised amount {amount_minor} minor units must be positive")
    if promised_date < made_on:
        raise InvalidPromiseError(
            f"promised date {promised_date} lies before the day the promise was made, {made_on}"
        )
    if grace_days < 0:
        raise InvalidPromiseError(f"grace days {grace_days} must be 0 or more")


def promise_state(
    amount_minor: Any, open_at_promise_minor: Any, open_now_minor: Any, days_after_deadline: Any
) -> Any:
    """Return the state code of an open promise: open, kept or broken.

    ``days_after_deadline`` is ``as_of - deadline`` in days: above 0 once the grace is over.
    """
    paid = open_at_promise_minor - open_now_minor
    kept = either(flag(paid >= amount_minor), flag(open_now_minor <= 0))
    broken = negate(kept) * flag(days_after_deadline > 0)
    return select(kept, PromiseState.KEPT.code, select(broken, PromiseState.BROKEN.code, 0))


def evaluate(promise: Promise, open_now_minor: int, as_of: date) -> PromiseState:
    """Return the state of ``promise`` on ``as_of`` given what its items still have open."""
    days_after = (as_of - promise.deadline).days
    code = promise_state(
        promise.amount_minor, promise.open_at_promise_minor, open_now_minor, days_after
    )
    return PROMISE_STATES[int(code)]


def pauses(promise: Promise, open_now_minor: int, as_of: date) -> bool:
    """Whether the promise still pauses dunning of its items on ``as_of``."""
    return evaluate(promise, open_now_minor, as_of) is PromiseState.OPEN


def check_transition(current: PromiseState, target: PromiseState) -> None:
    if target not in TRANSITIONS[current]:
        raise InvalidTransitionError("the promise to pay", current.value, target.value)
