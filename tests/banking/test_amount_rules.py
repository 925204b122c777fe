"""Amount fits: one definition for single items, NumPy arrays and Polars columns."""

from __future__ import annotations

import itertools
import random
from datetime import date

import numpy as np
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from receivables.banking.rules.amounts import (
    discount_amount,
    fit_amount,
    is_bank_charge,
    is_discount,
)
from receivables.banking.rules.proposals import OpenItem
from receivables.banking.rules.settings import Fit, MatchSettings
from receivables.banking.rules.subset_sum import find_subsets

SETTINGS = MatchSettings()
MARCH = date(2024, 3, 1)


def _item(document_id: int, open_minor: int, day: date = MARCH) -> OpenItem:
    return OpenItem(document_id, 1, f"INV-{document_id}", day, date(2024, 3, 31), "EUR", open_minor)


def test_discount_rounds_half_up() -> None:
    assert discount_amount(12_525, 200) == 251


PAIRS = st.lists(st.tuples(st.integers(1, 10**9), st.integers(1, 10**9)), min_size=1, max_size=30)


@given(PAIRS)
def test_predicates_agree_in_batch(pairs: list[tuple[int, int]]) -> None:
    paid = np.array([p for p, _ in pairs], dtype=np.int64)
    asked = np.array([a for _, a in pairs], dtype=np.int64)
    frame = pl.DataFrame({"paid": paid, "asked": asked}).select(
        is_discount(pl.col("paid"), pl.col("asked"), 200, 1).alias("discount"),
        is_bank_charge(pl.col("paid"), pl.col("asked"), 50).alias("charges"),
    )
    singles = [(is_discount(p, a, 200, 1), is_bank_charge(p, a, 50)) for p, a in pairs]

    assert list(is_discount(paid, asked, 200, 1)) == [s[0] for s in singles]
    assert frame["discount"].to_list() == [s[0] for s in singles]
    assert frame["charges"].to_list() == [s[1] for s in singles]


def test_exact_payment_fits_exactly() -> None:
    fit = fit_amount(10_000, [_item(1, 10_000)], MARCH, SETTINGS, 500)

    assert fit.fit == Fit.EXACT
    assert fit.parts[0].allocation == 10_000


def test_discount_taken_within_period() -> None:
    fit = fit_amount(9_800, [_item(1, 10_000)], date(2024, 3, 10), SETTINGS, 0)

    assert fit.fit == Fit.DISCOUNT
    assert fit.parts[0].discount == 200
    assert fit.parts[0].allocation == 9_800


def test_discount_after_period_is_short() -> None:
    fit = fit_amount(9_800, [_item(1, 10_000)], date(2024, 4, 30), SETTINGS, 0)

    assert fit.fit == Fit.PARTIAL
    assert fit.parts[0].short == 200


def test_fee_deducted_is_bank_charge() -> None:
    fit = fit_amount(9_950, [_item(1, 10_000)], date(2024, 4, 30), SETTINGS, 500)

    assert fit.fit == Fit.BANK_CHARGES
    assert fit.parts[0].bank_charges == 50


def test_overpayment_leaves_unapplied() -> None:
    fit = fit_amount(12_000, [_item(1, 10_000)], MARCH, SETTINGS, 500)

    assert fit.fit == Fit.OVERPAYMENT
    assert fit.unapplied == 2_000


def test_partial_fills_oldest_first() -> None:
    items = [_item(1, 5_000), _item(2, 5_000)]
    fit = fit_amount(6_000, items, date(2024, 5, 1), SETTINGS, 0)

    assert [part.allocation for part in fit.parts] == [5_000, 1_000]
    assert fit.parts[1].short == 4_000


def test_subset_sum_finds_three_items() -> None:
    found = find_subsets([1_000, 2_500, 4_005, 7_000, 333], 7_505, 7_505, 6)

    assert found == [(0, 1, 2)]


def test_subset_sum_reports_ambiguity() -> None:
    found = find_subsets([1_000, 2_000, 3_000], 3_000, 3_000, 6)

    assert len(found) == 2


@settings(max_examples=300, deadline=None)
@given(
    values=st.lists(st.integers(1, 60), min_size=1, max_size=14),
    low=st.integers(1, 150),
    width=st.sampled_from([0, 0, 3]),
    max_size=st.integers(1, 6),
)
def test_subset_sum_agrees_with_every_subset(values: list[int], low: int, width: int, max_size: int) -> None:
    # Small sizes take the search by set size, larger ones the search by position.
    fitting = [
        subset
        for size in range(1, max_size + 1)
        for subset in itertools.combinations(range(len(values)), size)
        if low <= sum(values[i] for i in subset) <= low + width
    ]

    found = find_subsets(values, low, low + width, max_size)

    assert len(found) == min(2, len(fitting))
    assert all(subset in fitting for subset in found)
    if fitting:
        assert len(found[0]) == min(len(subset) for subset in fitting)


def test_subset_sum_searches_sixty_items() -> None:
    values = random.Random(7).sample(range(1_000_000, 10_000_000), 60)
    paid = values[7] + values[33] + values[59]

    assert find_subsets(values, paid, paid, 4) == [(7, 33, 59)]
