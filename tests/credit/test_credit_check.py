"""The order check: every hold reason on its own, and an approval.

The customer, class C (grace 5 days, not blocked): open items 30,000, unapplied credit 2,000,
open orders 5,000, delivered not invoiced 7,000, so exposure 40,000 against a limit of 50,000;
review date 2025-09-30; the worst undisputed item 5 days past due; not on hold.
"""

from dataclasses import replace
from datetime import date

import pytest

from receivables.credit.config import load_credit_settings
from receivables.domain.credit.check import CustomerCreditState, Decision, HoldReason, check_order
from receivables.domain.credit.classes import RiskClass
from receivables.domain.credit.exposure import Exposure
from receivables.domain.money import Money

AS_OF = date(2025, 6, 30)


def eur(amount: str) -> Money:
    return Money.of(amount, "EUR")


STATE = CustomerCreditState(
    customer_code="C1",
    exposure=Exposure(eur("30000"), eur("2000"), eur("5000"), eur("7000")),
    credit_limit=eur("50000"),
    review_date=date(2025, 9, 30),
    risk_class=RiskClass.C,
    max_days_past_due=5,
    on_hold=False,
)


@pytest.fixture(scope="module")
def policy():
    return load_credit_settings(environ={}).policy


def check(policy, state=STATE, order="10000"):
    return check_order(state, eur(order), policy.for_class(state.risk_class), AS_OF)


def test_order_within_limit_approved(policy):
    result = check(policy)

    assert result.decision is Decision.APPROVE
    assert result.reasons == ()
    assert result.available == eur("10000")


def test_exposure_sums_its_parts():
    assert STATE.exposure.total == eur("40000")


def test_over_limit_holds(policy):
    result = check(policy, order="10000.01")

    assert result.reasons == (HoldReason.OVER_LIMIT,)


def test_no_limit_means_zero(policy):
    result = check(policy, replace(STATE, credit_limit=None, review_date=None))

    assert result.reasons == (HoldReason.OVER_LIMIT,)
    assert not result.limit_approved
    assert result.available == eur("-40000")


def test_overdue_beyond_grace_holds(policy):
    result = check(policy, replace(STATE, max_days_past_due=6))

    assert result.reasons == (HoldReason.OVERDUE_BEYOND_GRACE,)


def test_blocked_class_holds(policy):
    result = check(policy, replace(STATE, risk_class=RiskClass.E, max_days_past_due=0))

    assert result.reasons == (HoldReason.RISK_CLASS_BLOCKED,)
    assert result.deposit == eur("10000")


def test_review_overdue_holds(policy):
    result = check(policy, replace(STATE, review_date=date(2025, 6, 29)))

    assert result.reasons == (HoldReason.REVIEW_OVERDUE,)


def test_review_due_today_passes(policy):
    assert check(policy, replace(STATE, review_date=AS_OF)).decision is Decision.APPROVE


def test_customer_on_hold_holds(policy):
    result = check(policy, replace(STATE, on_hold=True))

    assert result.reasons == (HoldReason.CUSTOMER_ON_HOLD,)


def test_reasons_listed_together(policy):
    result = check(policy, replace(STATE, on_hold=True, max_days_past_due=30), order="20000")

    assert result.decision is Decision.HOLD
    assert result.reasons == (
        HoldReason.CUSTOMER_ON_HOLD,
        HoldReason.OVER_LIMIT,
        HoldReason.OVERDUE_BEYOND_GRACE,
    )


def test_class_d_asks_deposit(policy):
    result = check(policy, replace(STATE, risk_class=RiskClass.D, max_days_past_due=0))

    assert result.deposit == eur("3000")
