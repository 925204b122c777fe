"""Exposure and the order check on a stored ledger, on SQLite and PostgreSQL.

Orders of K1 (see conftest): SO-1 open 1,000.00 USD without a rate (stored USD rate 0.90 from
2025-06-01: 900.00 EUR), SO-2 delivered not invoiced 2,500.00 EUR, SO-3 open 100.00 GBP at the
given rate 1.10 (110.00 EUR), SO-4 open but dated 2025-07-05, after the as-of date.

Exposure of K1 on 2025-06-30 = 7,000.00 open items - 500.00 unapplied credit + 1,010.00 open
orders + 2,500.00 delivered not invoiced = 10,010.00 EUR.
"""

from datetime import date
from decimal import Decimal

import pytest

from receivables.credit.check import check_customer_order
from receivables.credit.errors import MissingRateError, UnknownCustomerError
from receivables.credit.imports import import_credit_files
from receivables.credit.ledger_queries import ledger_position
from receivables.credit.lookup import customer_id
from receivables.domain.credit.check import Decision, HoldReason
from receivables.domain.money import Currency, Money

EUR = Currency.of("EUR")
AS_OF = date(2025, 6, 30)
ORDERS = """
    customer_code,order_number,stage,order_date,currency,amount,fx_rate
    K1,SO-1,open,2025-06-28,USD,1000.00,
    K1,SO-2,delivered,2025-06-29,EUR,2500.00,
    K1,SO-3,open,2025-06-29,GBP,100.00,1.10
    K1,SO-4,open,2025-07-05,EUR,999.00,
"""


@pytest.fixture
def with_orders(ledger, write_file, credit_settings):
    reports = import_credit_files(ledger, [write_file("orders.csv", ORDERS)], credit_settings, EUR)
    assert reports[0].problems == []
    return ledger


def check(engine, settings, code="K1", amount="100.00", currency="EUR", as_of=AS_OF, rate=None):
    with engine.connect() as connection:
        return check_customer_order(
            connection, code, Money.of(amount, currency), as_of, EUR, settings.policy, rate
        ).result


def test_exposure_with_foreign_orders(with_orders, credit_settings):
    result = check(with_orders, credit_settings)

    assert result.exposure.open_items == Money.of("7000.00", EUR)
    assert result.exposure.unapplied_credit == Money.of("500.00", EUR)
    assert result.exposure.open_orders == Money.of("1010.00", EUR)
    assert result.exposure.delivered_not_invoiced == Money.of("2500.00", EUR)
    assert result.exposure.total == Money.of("10010.00", EUR)


def test_credit_notes_lower_exposure(ledger, credit_settings):
    # On 2025-06-24 neither credit note exists: open items 5,000 + 3,000 = 8,000.
    before = check(ledger, credit_settings, as_of=date(2025, 6, 24)).exposure.total
    after = check(ledger, credit_settings).exposure.total

    assert before == Money.of("8000.00", EUR)
    # CN-2 applied to INV-3 lowers the open items, CN-1 unapplied lowers the balance.
    assert after == Money.of("6500.00", EUR)


def test_order_in_dollars_converts(with_orders, credit_settings):
    result = check(with_orders, credit_settings, amount="1000.00", currency="USD")

    assert result.order == Money.of("900.00", EUR)


def test_order_rate_given_wins(with_orders, credit_settings):
    result = check(
        with_orders, credit_settings, amount="1000.00", currency="USD", rate=Decimal("0.95")
    )

    assert result.order == Money.of("950.00", EUR)


def test_order_without_rate_fails(ledger, credit_settings):
    with pytest.raises(MissingRateError, match="no exchange rate of CHF to EUR"):
        check(ledger, credit_settings, amount="10.00", currency="CHF")


def test_unrated_customer_without_limit_held(with_orders, credit_settings):
    # Unrated: class C, grace 5 days; INV-2 is 16 days past due; no approved limit.
    result = check(with_orders, credit_settings)

    assert result.decision is Decision.HOLD
    assert result.reasons == (HoldReason.OVER_LIMIT, HoldReason.OVERDUE_BEYOND_GRACE)


def test_worst_delay_of_customer(ledger):
    with ledger.connect() as connection:
        position = ledger_position(connection, customer_id(connection, "K1"), AS_OF, EUR)

    assert position.max_days_past_due == 16


def test_unknown_customer_raises(ledger, credit_settings):
    with pytest.raises(UnknownCustomerError, match="customer 'K9' not found"):
        check(ledger, credit_settings, code="K9")
