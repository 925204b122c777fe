"""Warning signs and review reasons of one customer."""

from datetime import date
from decimal import Decimal

import pytest

from receivables.credit.config import load_credit_settings
from receivables.domain.credit.classes import RiskClass
from receivables.domain.credit.errors import PermissionDeniedError
from receivables.domain.credit.monitoring import (
    MonitoringInputs,
    WarningSign,
    limit_use_high,
    review_reason,
    usage_percent,
    warning_signs,
)
from receivables.domain.credit.roles import Action, Role, may, require

QUIET = MonitoringInputs(Decimal(0), 1000, 10000, 0, None, False)


@pytest.fixture(scope="module")
def policy():
    return load_credit_settings(environ={}).policy


def test_quiet_customer_has_no_signs(policy):
    assert warning_signs(QUIET, policy) == []


def test_days_late_trending_up(policy):
    inputs = MonitoringInputs(Decimal("10.00"), 1000, 10000, 0, None, False)

    assert warning_signs(inputs, policy) == [WarningSign.DAYS_LATE_TRENDING_UP]


def test_limit_use_over_ninety_percent():
    assert limit_use_high(9001, 10000, Decimal(90))
    assert not limit_use_high(9000, 10000, Decimal(90))


def test_usage_percent_rounds():
    assert usage_percent(2, 3) == Decimal("66.67")


def test_new_event_and_zone_drop(policy):
    inputs = MonitoringInputs(None, 0, None, 1, 2, True)

    signs = warning_signs(inputs, policy)

    assert signs == [
        WarningSign.NEW_BUREAU_EVENT,
        WarningSign.BROKEN_PROMISE,
        WarningSign.ZONE_DROPPED,
    ]


def test_review_date_reached():
    reason = review_reason(date(2025, 6, 30), date(2025, 6, 30), 100, 50, RiskClass.B, RiskClass.B)

    assert reason == "review date 2025-06-30 reached"


def test_exposure_without_limit_due():
    assert (
        review_reason(date(2025, 6, 30), None, None, 1, None, RiskClass.C)
        == "exposure without an approved limit"
    )


def test_worse_class_due():
    reason = review_reason(date(2025, 6, 30), date(2026, 1, 1), 100, 50, RiskClass.B, RiskClass.D)

    assert reason == "class fell from B to D"


@pytest.mark.parametrize(
    ("role", "action", "allowed"),
    [
        (Role.COLLECTOR, Action.PLACE_HOLD, True),
        (Role.COLLECTOR, Action.RELEASE_HOLD, False),
        (Role.CREDIT_MANAGER, Action.RELEASE_HOLD, True),
        (Role.FINANCE_MANAGER, Action.APPROVE_LIMIT, False),
        (Role.ADMIN, Action.APPROVE_LIMIT, True),
        (Role.SALES, Action.PLACE_HOLD, False),
        (Role.VIEWER, Action.MANAGE_USERS, False),
    ],
)
def test_role_table(role, action, allowed):
    assert may(role, action) is allowed


def test_denied_role_names_allowed_ones():
    with pytest.raises(PermissionDeniedError, match="needs one of the roles admin, credit_manager"):
        require("sam", Role.SALES, Action.RELEASE_HOLD)
