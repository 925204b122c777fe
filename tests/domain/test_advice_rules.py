"""The pure rules behind the advisor's recommendations."""

from __future__ import annotations

from decimal import Decimal

import pytest

from receivables.domain.advice import MIN_TERM_DAYS, shorter_terms_days


@pytest.mark.parametrize(
    ("days_late", "term", "expected"),
    [
        (Decimal("20.70"), 60, 20),  # the whole days late
        (Decimal("59.00"), 60, 60 - MIN_TERM_DAYS),  # the shorter term keeps its minimum
        (Decimal("30.00"), MIN_TERM_DAYS, 0),  # a term of the minimum is not shortened
        (Decimal("30.00"), 3, 0),  # nor a shorter one
        (Decimal("45.50"), None, 45),  # without a known term, the days late in full
    ],
)
def test_shorter_terms_keep_a_minimum(days_late: Decimal, term: int | None, expected: int) -> None:
    assert shorter_terms_days(days_late, term) == expected
