"""Late interest: hand-computed accruals, day counts, statutory EU and UK amounts."""

from datetime import date
from decimal import Decimal

import pytest

from receivables.domain.day_count import DayCount
from receivables.domain.errors import CurrencyMismatchError, InvalidAmountError
from receivables.domain.interest import (
    ContractualInterest,
    DatedPayment,
    InterestPeriod,
    InvalidInterestError,
    accrue_interest,
)
from receivables.domain.money import Money
from receivables.domain.reference_rates import (
    RateChange,
    ReferenceRateError,
    ReferenceRateTable,
    ReferenceRateUnknownError,
)
from receivables.domain.statutory import UnknownRegimeError
from receivables.rates import load_rate_book

RATES = load_rate_book(environ={})
Q2_2024 = InterestPeriod(date(2024, 4, 1), date(2024, 6, 30))


def eur(amount: str) -> Money:
    return Money.of(amount, "EUR")


def gbp(amount: str) -> Money:
    return Money.of(amount, "GBP")


TWO_PAYMENTS = (
    DatedPayment(date(2024, 4, 30), eur("3000.00")),
    DatedPayment(date(2024, 5, 31), eur("2000.00")),
)


@pytest.mark.parametrize(
    ("day_count", "rows", "interest"),
    [
        # 10,000 x 9 % x 30/360 = 75.00; 7,000 x 9 % x 31/360 = 54.25; 5,000 x 9 % x 30/360 = 37.50
        (DayCount.ACT_360, ["75.00", "54.25", "37.50"], "166.75"),
        # 73.9726, 53.5068, 36.9863 over 365 days
        (DayCount.ACT_365, ["73.97", "53.51", "36.99"], "164.47"),
        # 30/360 counts May as 30 days: 7,000 x 9 % x 30/360 = 52.50
        (DayCount.THIRTY_360, ["75.00", "52.50", "37.50"], "165.00"),
    ],
)
def test_two_partial_payments(day_count, rows, interest):
    # Invoice 10,000.00 EUR due 2024-03-31 at 9 %; 3,000.00 paid 2024-04-30, 2,000.00 on 2024-05-31.
    regime = ContractualInterest(Decimal(9), day_count)
    result = accrue_interest(date(2024, 3, 31), eur("10000.00"), TWO_PAYMENTS, Q2_2024, regime)

    assert [str(row.interest.amount) for row in result.rows] == rows
    assert [str(row.base.amount) for row in result.rows] == ["10000.00", "7000.00", "5000.00"]
    assert [(row.first_day, row.last_day) for row in result.rows] == [
        (date(2024, 4, 1), date(2024, 4, 30)),
        (date(2024, 5, 1), date(2024, 5, 31)),
        (date(2024, 6, 1), date(2024, 6, 30)),
    ]
    assert result.interest == eur(interest)


def test_grace_days_delay_interest():
    # 5 grace days: interest runs from 2024-04-06, 25 days x 10,000 x 9 % / 360 = 62.50.
    regime = ContractualInterest(Decimal(9), DayCount.ACT_360, grace_days=5)
    period = InterestPeriod(date(2024, 4, 1), date(2024, 4, 30))
    result = accrue_interest(date(2024, 3, 31), eur("10000.00"), (), period, regime)

    assert result.interest_start == date(2024, 4, 6)
    assert result.interest == eur("62.50")


def test_payment_day_still_bears_interest():
    # Paid in full one day late: one day of interest, 10,000 x 9 % / 360 = 2.50.
    regime = ContractualInterest(Decimal(9), DayCount.ACT_360)
    payment = (DatedPayment(date(2024, 4, 1), eur("10000.00")),)
    result = accrue_interest(date(2024, 3, 31), eur("10000.00"), payment, Q2_2024, regime)

    assert result.interest == eur("2.50")
    assert result.rows[0].days == 1


def test_paid_on_due_date_no_interest():
    regime = ContractualInterest(Decimal(9))
    payment = (DatedPayment(date(2024, 3, 31), eur("10000.00")),)
    result = accrue_interest(date(2024, 3, 31), eur("10000.00"), payment, Q2_2024, regime)

    assert result.rows == ()
    assert result.interest == eur("0.00")


def test_not_yet_due_no_interest():
    regime = ContractualInterest(Decimal(9))
    result = accrue_interest(date(2024, 7, 31), eur("10000.00"), (), Q2_2024, regime)

    assert result.rows == ()


def test_eu_statutory_interest_and_compensation():
    # 10,000.00 EUR due 2024-05-31, unpaid. June: ECB 4.50 % on 1 January + 8 = 12.50 %,
    # 30 days = 102.74. July-December: ECB 4.25 % on 1 July + 8 = 12.25 %, 184 days = 617.53.
    period = InterestPeriod(date(2024, 6, 1), date(2024, 12, 31))
    result = accrue_interest(date(2024, 5, 31), eur("10000.00"), (), period, RATES.regime("eu"))

    assert [row.rate for row in result.rows] == [Decimal("12.50"), Decimal("12.25")]
    assert [str(row.interest.amount) for row in result.rows] == ["102.74", "617.53"]
    assert result.interest == eur("720.27")
    assert result.compensation == eur("40.00")


def test_uk_rate_fixed_for_whole_debt():
    # Interest starts 2024-06-01: base rate on 31 December 2023 was 5.25 %, so 13.25 % throughout,
    # although the base rate fell to 5.00 % on 2024-08-01. 214 days x 5,000 x 13.25 % / 365.
    period = InterestPeriod(date(2024, 6, 1), date(2024, 12, 31))
    result = accrue_interest(date(2024, 5, 31), gbp("5000.00"), (), period, RATES.regime("uk"))

    assert [row.rate for row in result.rows] == [Decimal("13.25")]
    assert result.interest == gbp("388.42")


@pytest.mark.parametrize(
    ("debt", "compensation"),
    [("999.99", "40.00"), ("1000.00", "70.00"), ("9999.99", "70.00"), ("10000.00", "100.00")],
)
def test_uk_fixed_sum_by_debt(debt, compensation):
    period = InterestPeriod(date(2025, 1, 1), date(2025, 1, 31))
    result = accrue_interest(date(2024, 12, 31), gbp(debt), (), period, RATES.regime("uk"))

    assert result.compensation == gbp(compensation)
    assert result.rows[0].rate == Decimal("12.75")


def test_german_base_rate_regime():
    # Basiszinssatz 2.27 % from 2025-01-01 + 9 points = 11.27 %; 31 days on 1,000.00 = 9.57.
    period = InterestPeriod(date(2025, 1, 1), date(2025, 1, 31))
    result = accrue_interest(date(2024, 12, 31), eur("1000.00"), (), period, RATES.regime("de"))

    assert result.rows[0].rate == Decimal("11.27")
    assert result.interest == eur("9.57")
    assert result.compensation == eur("40.00")


def test_eu_compensation_needs_euro_item():
    period = InterestPeriod(date(2024, 6, 1), date(2024, 6, 30))

    with pytest.raises(CurrencyMismatchError):
        accrue_interest(date(2024, 5, 31), gbp("100.00"), (), period, RATES.regime("eu"))


def test_rate_after_verified_date_rejected():
    table = ReferenceRateTable(
        "test", "test rate", "test", date(2024, 6, 30), (RateChange(date(2024, 1, 1), Decimal(4)),)
    )

    with pytest.raises(ReferenceRateUnknownError, match="verified only through 2024-06-30"):
        table.rate_on(date(2024, 7, 1))


def test_rate_before_first_entry_rejected():
    with pytest.raises(ReferenceRateUnknownError, match="starts on"):
        RATES.tables["ecb_mro"].rate_on(date(2000, 1, 1))


def test_unordered_rate_table_rejected():
    changes = (RateChange(date(2024, 2, 1), Decimal(1)), RateChange(date(2024, 1, 1), Decimal(2)))

    with pytest.raises(ReferenceRateError):
        ReferenceRateTable("t", "t", "t", date(2024, 12, 31), changes)


def test_unknown_regime_lists_known():
    with pytest.raises(UnknownRegimeError, match="de, eu, fr, uk"):
        RATES.regime("xx")


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        (date(2024, 2, 1), date(2024, 2, 29), {DayCount.ACT_360: 29, DayCount.THIRTY_360: 29}),
        (date(2024, 1, 1), date(2024, 12, 31), {DayCount.ACT_365: 366, DayCount.THIRTY_360: 360}),
        (date(2024, 3, 1), date(2024, 3, 31), {DayCount.THIRTY_360: 32, DayCount.THIRTY_E_360: 31}),
        (date(2024, 5, 1), date(2024, 5, 31), {DayCount.THIRTY_360: 30, DayCount.THIRTY_E_360: 30}),
    ],
)
def test_day_count_conventions(first, last, expected):
    for convention, days in expected.items():
        assert convention.days(first, last) == days


def test_negative_contract_rate_rejected():
    with pytest.raises(InvalidInterestError):
        ContractualInterest(Decimal(-1))


def test_backwards_period_rejected():
    with pytest.raises(InvalidInterestError):
        InterestPeriod(date(2024, 6, 30), date(2024, 4, 1))


def test_payment_in_other_currency_rejected():
    payment = (DatedPayment(date(2024, 4, 30), gbp("10.00")),)

    with pytest.raises(InvalidAmountError):
        accrue_interest(
            date(2024, 3, 31), eur("100.00"), payment, Q2_2024, ContractualInterest(Decimal(5))
        )
