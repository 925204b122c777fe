"""Users, holds and limit approvals on a stored ledger: roles, reasons, audit and history."""

from datetime import date

import pytest
from sqlalchemy import select

from receivables.credit.check import check_customer_order
from receivables.credit.errors import HoldStateError, MissingUserError, UnknownUserError
from receivables.credit.holds import place_hold, release_hold
from receivables.credit.limits import approve_limit, limit_history
from receivables.credit.users import InvalidUserError, add_user
from receivables.domain.credit.check import HoldReason
from receivables.domain.credit.errors import InvalidLimitError, PermissionDeniedError
from receivables.domain.money import Currency, Money
from receivables.storage.credit_models import CreditAuditRow

EUR = Currency.of("EUR")
AS_OF = date(2025, 6, 30)


@pytest.fixture
def staffed(ledger):
    add_user(ledger, "ada", "admin", None)
    add_user(ledger, "cole", "collector", "ada")
    add_user(ledger, "cora", "credit_manager", "ada")
    return ledger


def audit_actions(engine):
    with engine.connect() as connection:
        return [
            row.action
            for row in connection.execute(select(CreditAuditRow.action).order_by(CreditAuditRow.id))
        ]


def reasons(engine, settings):
    with engine.connect() as connection:
        check = check_customer_order(
            connection, "K1", Money.of("1", EUR), AS_OF, EUR, settings.policy
        )
    return check.result.reasons


def test_admin_needed_after_first(staffed):
    with pytest.raises(PermissionDeniedError):
        add_user(staffed, "sid", "sales", "cole")


def test_duplicate_user_rejected(staffed):
    with pytest.raises(InvalidUserError, match="already exists"):
        add_user(staffed, "cole", "viewer", "ada")


def test_unknown_role_rejected(staffed):
    with pytest.raises(InvalidUserError, match="role 'boss' is unknown"):
        add_user(staffed, "bo", "boss", "ada")


def test_collector_places_hold(staffed, credit_settings):
    place_hold(staffed, "K1", "cheque bounced", "cole")

    assert HoldReason.CUSTOMER_ON_HOLD in reasons(staffed, credit_settings)


def test_collector_cannot_release(staffed):
    place_hold(staffed, "K1", "cheque bounced", "cole")

    with pytest.raises(PermissionDeniedError, match="may not release a credit hold"):
        release_hold(staffed, "K1", "paid", "cole")


def test_credit_manager_releases(staffed, credit_settings):
    place_hold(staffed, "K1", "cheque bounced", "cole")

    hold = release_hold(staffed, "K1", "paid in full", "cora")

    assert hold.released_by == "cora"
    assert HoldReason.CUSTOMER_ON_HOLD not in reasons(staffed, credit_settings)
    assert audit_actions(staffed)[-2:] == ["hold_placed", "hold_released"]


def test_second_hold_rejected(staffed):
    place_hold(staffed, "K1", "cheque bounced", "cole")

    with pytest.raises(HoldStateError, match="already on hold"):
        place_hold(staffed, "K1", "again", "cora")


def test_release_without_hold_rejected(staffed):
    with pytest.raises(HoldStateError, match="is not on hold"):
        release_hold(staffed, "K1", "nothing", "cora")


def test_hold_needs_reason(staffed):
    with pytest.raises(HoldStateError, match="reason"):
        place_hold(staffed, "K1", "  ", "cole")


def test_hold_needs_user(staffed):
    with pytest.raises(MissingUserError):
        place_hold(staffed, "K1", "late", None)


def test_hold_by_unknown_user(staffed):
    with pytest.raises(UnknownUserError):
        place_hold(staffed, "K1", "late", "nobody")


def test_limit_approved_and_kept(staffed, credit_settings):
    approve_limit(
        staffed,
        "K1",
        Money.of("20000.00", EUR),
        "new customer",
        "cora",
        AS_OF,
        EUR,
        credit_settings,
        date(2025, 12, 31),
    )
    approve_limit(
        staffed,
        "K1",
        Money.of("25000.00", EUR),
        "good payer",
        "ada",
        date(2025, 7, 1),
        EUR,
        credit_settings,
    )

    history = limit_history(staffed, "K1")

    assert [change.amount for change in history] == [Money.of("20000", EUR), Money.of("25000", EUR)]
    assert [change.approved_by for change in history] == ["cora", "ada"]
    assert history[0].review_date == date(2025, 12, 31)
    assert history[0].binding_method is not None


def test_default_review_date_by_class(staffed, credit_settings):
    change = approve_limit(
        staffed, "K1", Money.of("1000.00", EUR), "trial", "cora", AS_OF, EUR, credit_settings
    )

    assert change.review_date > AS_OF


def test_collector_cannot_approve_limit(staffed, credit_settings):
    with pytest.raises(PermissionDeniedError, match="may not approve a credit limit"):
        approve_limit(
            staffed, "K1", Money.of("1000.00", EUR), "why not", "cole", AS_OF, EUR, credit_settings
        )


def test_limit_in_other_currency_rejected(staffed, credit_settings):
    with pytest.raises(InvalidLimitError, match="company currency EUR"):
        approve_limit(
            staffed,
            "K1",
            Money.of("1000.00", "USD"),
            "dollars",
            "cora",
            AS_OF,
            EUR,
            credit_settings,
        )


def test_review_date_in_past_rejected(staffed, credit_settings):
    with pytest.raises(InvalidLimitError, match="must be after 2025-06-30"):
        approve_limit(
            staffed,
            "K1",
            Money.of("1000.00", EUR),
            "late",
            "cora",
            AS_OF,
            EUR,
            credit_settings,
            date(2025, 6, 1),
        )


def test_passed_review_date_holds(staffed, credit_settings):
    approve_limit(
        staffed,
        "K1",
        Money.of("90000.00", EUR),
        "big",
        "cora",
        date(2025, 1, 1),
        EUR,
        credit_settings,
        date(2025, 6, 1),
    )

    assert HoldReason.REVIEW_OVERDUE in reasons(staffed, credit_settings)
    assert HoldReason.OVER_LIMIT not in reasons(staffed, credit_settings)
