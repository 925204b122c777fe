"""The order check: may a new order of a customer go ahead on credit?

The order is held when any of these holds, and approved otherwise; every reason that holds is
listed, in this order:

- ``customer_on_hold``: a credit hold is in force on the customer;
- ``risk_class_blocked``: the policy blocks orders on credit for the customer's risk class;
- ``over_limit``: exposure plus the order exceeds the approved limit (a customer without an
  approved limit has a limit of zero);
- ``overdue_beyond_grace``: an undisputed item is past due by more than the class's grace days
  (disputed items wait for their dispute and do not hold orders);
- ``review_overdue``: the review date of the approved limit has passed.

``available`` is the limit less exposure before the order; it is negative when the customer is
already over its limit. The policy's deposit share of the order is shown with the decision.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from receivables.domain.credit.classes import RiskClass
from receivables.domain.credit.exposure import Exposure
from receivables.domain.credit.policy import HUNDRED, ClassPolicy
from receivables.domain.money import Money


class Decision(StrEnum):
    APPROVE = "approve"
    HOLD = "hold"


class HoldReason(StrEnum):
    CUSTOMER_ON_HOLD = "customer_on_hold"
    RISK_CLASS_BLOCKED = "risk_class_blocked"
    OVER_LIMIT = "over_limit"
    OVERDUE_BEYOND_GRACE = "overdue_beyond_grace"
    REVIEW_OVERDUE = "review_overdue"


@dataclass(frozen=True, slots=True)
class CustomerCreditState:
    """What the check needs to know about the customer on ``as_of``.

    ``max_days_past_due`` is the most days any undisputed open item is past due (0 when none).
    """

    customer_code: str
    exposure: Exposure
    credit_limit: Money | None
    review_date: date | None
    risk_class: RiskClass
    max_days_past_due: int
    on_hold: bool


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The decision on an order, its reasons, and the figures behind them."""

    decision: Decision
    reasons: tuple[HoldReason, ...]
    order: Money
    exposure: Exposure
    credit_limit: Money
    limit_approved: bool
    available: Money
    deposit: Money
    risk_class: RiskClass


def check_order(
    state: CustomerCreditState, order: Money, policy: ClassPolicy, as_of: date
) -> CheckResult:
    """Decide on an ``order`` already converted to the company currency."""
    exposure = state.exposure.total
    limit = state.credit_limit if state.credit_limit is not None else Money.zero(order.currency)
    rules = (
        (HoldReason.CUSTOMER_ON_HOLD, state.on_hold),
        (HoldReason.RISK_CLASS_BLOCKED, policy.block_orders),
        (HoldReason.OVER_LIMIT, exposure + order > limit),
        (HoldReason.OVERDUE_BEYOND_GRACE, state.max_days_past_due > policy.grace_days),
        (HoldReason.REVIEW_OVERDUE, state.review_date is not None and state.review_date < as_of),
    )
    reasons = tuple(reason for reason, holds in rules if holds)
    deposit = Money(order.amount * policy.deposit_percent / HUNDRED, order.currency).rounded()
    return CheckResult(
        decision=Decision.HOLD if reasons else Decision.APPROVE,
        reasons=reasons,
        order=order,
        exposure=state.exposure,
        credit_limit=limit,
        limit_approved=state.credit_limit is not None,
        available=limit - exposure,
        deposit=deposit,
        risk_class=state.risk_class,
    )
