"""Money: exact decimals with a currency, rounding at named points, splits that add up."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from receivables.domain.errors import (
    CurrencyMismatchError,
    InvalidAmountError,
    UnknownCurrencyError,
)
from receivables.domain.money import Currency, Money


@pytest.mark.parametrize(
    ("code", "minor_unit"),
    [("EUR", 2), ("USD", 2), ("JPY", 0), ("KWD", 3), ("CHF", 2), ("HUF", 2), ("IQD", 3), ("DEM", 2)],
)
def test_currency_minor_unit(code, minor_unit):
    assert Currency.of(code).minor_unit == minor_unit


@pytest.mark.parametrize("code", ["EURO", "ZZZ", "", "eu", "XAU"])
def test_unknown_currency_rejected(code):
    with pytest.raises(UnknownCurrencyError):
        Currency.of(code)


def test_float_amount_rejected():
    with pytest.raises(InvalidAmountError):
        Money.of(0.1, "EUR")  # type: ignore[arg-type]


def test_mixing_currencies_raises():
    with pytest.raises(CurrencyMismatchError):
        Money.of("1.00", "EUR") + Money.of("1.00", "USD")


def test_rounding_is_half_up():
    assert Money.of("0.005", "EUR").rounded().amount == Decimal("0.01")
    assert Money.of("0.015", "EUR").rounded().amount == Decimal("0.02")
    assert Money.of("2.5", "JPY").rounded().amount == Decimal("3")


def test_minor_units_round_trip():
    assert Money.of("10.50", "EUR").minor_units() == 1050
    assert Money.from_minor(1050, "EUR") == Money.of("10.50", "EUR")
    assert Money.of("1.234", "KWD").minor_units() == 1234


def test_minor_units_reject_extra_decimals():
    with pytest.raises(InvalidAmountError):
        Money.of("10.505", "EUR").minor_units()


def test_convert_rounds_to_target_unit():
    converted = Money.of("100.00", "USD").convert(Decimal("0.9234567"), "EUR")

    assert converted == Money.of("92.35", "EUR")


def test_split_gives_remainder_to_last():
    parts = Money.of("100.00", "EUR").split([1, 1, 1])

    assert [part.amount for part in parts] == [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]


@given(
    cents=st.integers(min_value=1, max_value=10**12),
    weights=st.lists(st.integers(min_value=1, max_value=1000), min_size=1, max_size=12),
)
def test_split_always_adds_up(cents, weights):
    amount = Money.from_minor(cents, "EUR")
    parts = amount.split(weights)

    assert sum((part.amount for part in parts), Decimal(0)) == amount.amount
    assert all(part.is_rounded() for part in parts)
    assert all(part.amount >= 0 for part in parts)


def test_split_tiny_amount_never_negative():
    parts = Money.of("0.04", "EUR").split([1] * 6)

    assert [part.amount for part in parts] == [Decimal("0.01")] * 4 + [Decimal("0.00")] * 2
