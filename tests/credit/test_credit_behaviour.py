"""Payment behaviour features from a few items, worked by hand.

As of 2024-06-30, 24 months of history (items due after 2022-06-30), amounts in EUR cents:

    A due 2024-01-10, 1,000.00, settled 2024-01-20      10 days late
    B due 2024-03-01, 3,000.00, settled 2024-03-01       0 days late
    C due 2024-06-10, 1,000.00, still open, disputed    20 days late so far
    D due 2024-07-15, not yet due                        left out
    E due 2022-05-01, before the history window          left out
"""

from datetime import date
from decimal import Decimal

from receivables.domain.credit.behaviour import ItemHistory, payment_behaviour

AS_OF = date(2024, 6, 30)
ITEMS = [
    ItemHistory(date(2024, 1, 10), 100_000, date(2024, 1, 20)),
    ItemHistory(date(2024, 3, 1), 300_000, date(2024, 3, 1)),
    ItemHistory(date(2024, 6, 10), 100_000, None, disputed=True),
    ItemHistory(date(2024, 7, 15), 500_000, None),
    ItemHistory(date(2022, 5, 1), 900_000, date(2022, 9, 1)),
]


def behaviour():
    return payment_behaviour(ITEMS, AS_OF, 24)


def test_items_in_window():
    assert behaviour().items == 3


def test_weighted_days_late():
    # (1,000 * 10 + 3,000 * 0 + 1,000 * 20) / 5,000 = 6
    assert behaviour().weighted_days_late == Decimal("6.00")


def test_late_share():
    # A and C, 2,000 of 5,000
    assert behaviour().late_share_percent == Decimal("40.00")


def test_longest_delay():
    assert behaviour().max_days_late == 20


def test_disputed_share():
    assert behaviour().disputed_share_percent == Decimal("20.00")


def test_three_month_trend():
    # Due after 2024-03-30: C at 20 days; before: A and B at 10,000 / 4,000 = 2.5 days.
    trend = behaviour().trend(3)

    assert trend is not None
    assert trend.recent == Decimal("20.00")
    assert trend.prior == Decimal("2.50")
    assert trend.change == Decimal("17.50")


def test_six_month_trend_without_prior():
    trend = behaviour().trend(6)

    assert trend is not None
    assert trend.prior is None
    assert trend.change is None


def test_settled_after_as_of_counts_open():
    # Settled on 2024-07-05, after the as-of date: on 2024-06-30 it is open, 20 days late.
    item = ItemHistory(date(2024, 6, 10), 100, date(2024, 7, 5))

    assert item.days_late(AS_OF) == 20


def test_no_items_gives_no_averages():
    empty = payment_behaviour([], AS_OF, 24)

    assert empty.weighted_days_late is None
    assert empty.max_days_late is None
    assert empty.broken_promises is None
