"""The Polars forms of the rounding and band rules give the digits of the domain rules."""

from datetime import date
from decimal import Decimal

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from receivables.credit.polars_math import band_points, divide_half_up
from receivables.domain.credit.bands import Bands
from receivables.domain.credit.dates import add_months, full_months_between
from receivables.domain.credit.rounding import divide_half_up as exact_divide

BANDS = Bands.build(
    "test", 10, [(Decimal("-1.5"), 3), (Decimal(0), 0), (Decimal("2.25"), -4)], missing=7
)
AMOUNTS = st.integers(min_value=-(10**15), max_value=10**15)


@given(
    st.lists(st.tuples(AMOUNTS, AMOUNTS.filter(lambda value: value != 0)), min_size=1, max_size=30)
)
def test_division_agrees(pairs):
    frame = pl.DataFrame(pairs, schema=["n", "d"], orient="row")

    batch = frame.select(divide_half_up(pl.col("n"), pl.col("d"))).to_series().to_list()

    assert batch == [int(exact_divide(n, d) * 100) for n, d in pairs]


@given(
    st.lists(
        st.one_of(st.none(), st.integers(min_value=-1000, max_value=1000)), min_size=1, max_size=30
    )
)
def test_band_points_agree(hundredths):
    frame = pl.DataFrame({"value": hundredths}, schema={"value": pl.Int64})

    batch = frame.select(band_points(pl.col("value"), BANDS)).to_series().to_list()

    expected = [
        BANDS.points(None if value is None else Decimal(value).scaleb(-2)) for value in hundredths
    ]
    assert batch == expected


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)), st.integers(0, 40))
def test_month_offsets_agree(day, months):
    frame = pl.DataFrame({"day": [day]})

    shifted = frame.select(pl.col("day").dt.offset_by(f"{months}mo")).item()

    assert shifted == add_months(day, months)


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)),
    st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)),
    st.integers(0, 30),
)
def test_stale_rule_agrees(period_end, as_of, limit):
    # The batch path marks a statement stale when period_end + (limit + 1) months <= as_of.
    assert (add_months(period_end, limit + 1) <= as_of) == (
        full_months_between(period_end, as_of) > limit
    )
