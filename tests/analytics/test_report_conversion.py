"""Batch conversion to the company currency equals ``Money.convert`` item by item."""

from decimal import Decimal

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from receivables.analytics.conversion import to_company_minor, unit_scale_column
from receivables.domain.money import Currency, Money
from receivables.storage.frames import FX_SCALE

CODES = ["EUR", "USD", "JPY", "KWD", "CHF"]


def _batch(rows: list[tuple[int, str, Decimal]], company: Currency) -> list[int]:
    frame = pl.DataFrame(
        {
            "minor": [minor for minor, _, _ in rows],
            "currency": [code for _, code, _ in rows],
            "fx_rate_scaled": [int(rate * FX_SCALE) for _, _, rate in rows],
        },
        schema={"minor": pl.Int64, "currency": pl.String, "fx_rate_scaled": pl.Int64},
    ).with_columns(unit_scale_column(pl.col("currency"), CODES).alias("unit_scale"))
    return frame.select(to_company_minor(pl.col("minor"), company))["minor"].to_list()


def _single(minor: int, code: str, rate: Decimal, company: Currency) -> int:
    return Money.from_minor(minor, code).convert(rate, company).minor_units()


@pytest.mark.parametrize(
    ("minor", "code", "rate", "company", "expected"),
    [
        (1, "USD", Decimal("0.5"), "EUR", 1),  # 0.005 EUR rounds half up to 0.01
        (3, "USD", Decimal("0.5"), "EUR", 2),  # 0.015 -> 0.02
        (12345, "USD", Decimal("0.9123456789"), "EUR", 11263),  # 112.6290740... -> 112.63
        (1001, "JPY", Decimal("0.0061"), "EUR", 611),  # 6.1061 -> 6.11
        (1234567, "KWD", Decimal("2.9876543210"), "EUR", 368846),  # 1234.567 KWD -> 3688.4559... EUR
        (99999, "EUR", Decimal("123.45"), "JPY", 123449),  # 999.99 * 123.45 = 123448.7655 -> 123449 JPY
        (500, "EUR", Decimal("7"), "EUR", 500),  # own currency: the stored rate is not applied
    ],
)
def test_conversion_examples(minor, code, rate, company, expected):
    company_currency = Currency.of(company)

    assert _batch([(minor, code, rate)], company_currency) == [expected]
    assert _single(minor, code, rate, company_currency) == expected


@settings(max_examples=300, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.integers(0, 10**12),
            st.sampled_from(CODES),
            st.decimals(min_value=Decimal("0.0000000001"), max_value=Decimal("1000"), places=10),
        ),
        min_size=1,
        max_size=20,
    ),
    company=st.sampled_from(CODES),
)
def test_batch_equals_money_convert(rows, company):
    company_currency = Currency.of(company)

    expected = [_single(minor, code, rate, company_currency) for minor, code, rate in rows]

    assert _batch(rows, company_currency) == expected
