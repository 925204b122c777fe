"""The collector's worklist: value at risk, and the next best action for a customer.

Value at risk estimates what an overdue balance may cost: each open item's amount times a loss
rate for its age (per mille, by aging bucket), summed per customer, times a factor for the
customer's risk class (percent; 100 without a class). It is rounded once, half-up, to the minor
unit. With the default rates an item 45 days past due of 1,000.00 in a customer of class D
counts 1,000.00 x 50 / 1000 x 150 / 100 = 75.00.

The next best action is the first that applies, in this order:

1. ``do_task``: a phone call, visit or follow-up is due on or before the as-of date;
2. ``follow_up_broken_promise``: a promise to pay was broken and no task has been done since;
3. ``review_notice``: a draft notice awaits review;
4. ``hand_over``: the legal hand-over level is reached;
5. ``resolve_delivery``: a notice failed or its delivery is unconfirmed;
6. ``resolve_dispute``: a dispute has been open longer than ``stale_dispute_days``;
7. ``wait_for_promise``: a promise to pay is pending;
8. ``task_planned``: a task is due later;
9. ``none``: the next dunning run takes care of the customer.

Both rules use :mod:`receivables.domain.dunning.formulas`, for one customer or whole columns.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from receivables.domain.aging import AgingBuckets
from receivables.domain.dunning.errors import DunningConfigError
from receivables.domain.dunning.formulas import first_match, flag

DEFAULT_CLASS_PERCENT = 100
DEFAULT_BUCKETS = AgingBuckets((0, 30, 60, 90))


class Action(StrEnum):
    DO_TASK = "do_task"
    FOLLOW_UP_BROKEN_PROMISE = "follow_up_broken_promise"
    REVIEW_NOTICE = "review_notice"
    HAND_OVER = "hand_over"
    RESOLVE_DELIVERY = "resolve_delivery"
    RESOLVE_DISPUTE = "resolve_dispute"
    WAIT_FOR_PROMISE = "wait_for_promise"
    TASK_PLANNED = "task_planned"
    NONE = "none"

    @property
    def code(self) -> int:
        return ACTIONS.index(self)


ACTIONS = tuple(Action)


@dataclass(frozen=True, slots=True)
class RiskWeights:
    """Loss rates per aging bucket (per mille) and risk class factors (percent)."""

    buckets: AgingBuckets = DEFAULT_BUCKETS
    loss_permille: tuple[int, ...] = (5, 20, 50, 100, 250)
    class_percent: Mapping[str, int] = field(
        default_factory=lambda: {"A": 50, "B": 75, "C": 100, "D": 150, "E": 200}
    )
    stale_dispute_days: int = 30

    def __post_init__(self) -> None:
        if len(self.loss_permille) != len(self.buckets.edges) + 1:
            raise DunningConfigError(
                "worklist.loss_permille",
                f"needs {len(self.buckets.edges) + 1} rates, one per aging bucket",
            )
        if any(rate < 0 or rate > 1000 for rate in self.loss_permille):
            raise DunningConfigError("worklist.loss_permille", "rates must lie in 0 to 1000")
        if any(percent < 0 for percent in self.class_percent.values()):
            raise DunningConfigError("worklist.class_percent", "factors must not be negative")


def item_weight(weights: RiskWeights, open_minor: Any, days_past_due: Any) -> Any:
    """Return ``open_minor`` times the loss rate of its age, in minor units times 1000."""
    bucket = weights.buckets.index(days_past_due)
    rate: Any = 0
    for number, permille in enumerate(weights.loss_permille):
        rate = flag(bucket == number) * permille + rate
    return open_minor * rate


def value_at_risk(weighted_sum: Any, class_percent: Any) -> Any:
    """Return the value at risk in minor units from the summed item weights, half-up."""
    divisor = 1000 * 100
    return (weighted_sum * class_percent + divisor // 2) // divisor


def class_percent(weights: RiskWeights, risk_class: str | None) -> int:
    if risk_class is None:
        return DEFAULT_CLASS_PERCENT
    return int(weights.class_percent.get(risk_class, DEFAULT_CLASS_PERCENT))


def next_action(
    task_due: Any,
    broken_promise: Any,
    pending_review: Any,
    legal: Any,
    delivery_problem: Any,
    stale_dispute: Any,
    open_promise: Any,
    task_planned: Any,
) -> Any:
    """Return the code of the next best action from 0/1 flags, in the order of :class:`Action`."""
    flags = (
        task_due, broken_promise, pending_review, legal, delivery_problem, stale_dispute,
        open_promise, task_planned,
    )  # fmt: skip
    return first_match(list(flags), [action.code for action in ACTIONS[:-1]], Action.NONE.code)
