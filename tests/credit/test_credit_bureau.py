"""Bureau scores on the providers' scales, ratings, and events in the window."""

from datetime import date
from decimal import Decimal

import pytest

from receivables.domain.credit.bureau import (
    BureauEvent,
    BureauReport,
    EventKind,
    InvalidBureauRecordError,
    ProviderScale,
    bureau_features,
)

GENERIC = ProviderScale(
    "generic", Decimal(0), Decimal(100), True, {"AA": Decimal(88), "B": Decimal(42)}
)
INDEX = ProviderScale("index600", Decimal(100), Decimal(600), False)
SCALES = {"generic": GENERIC, "index600": INDEX}
AS_OF = date(2025, 3, 31)


def test_higher_is_better_scale():
    assert GENERIC.normalize(Decimal("72.5"), None) == Decimal("72.50")


def test_lower_is_better_scale():
    # (600 - 250) / (600 - 100) * 100 = 70
    assert INDEX.normalize(Decimal(250), None) == Decimal("70.00")


def test_rating_without_score():
    assert GENERIC.normalize(None, "aa") == Decimal(88)


def test_score_off_scale_rejected():
    with pytest.raises(InvalidBureauRecordError, match="outside its scale 100 to 600"):
        INDEX.normalize(Decimal(700), None)


def test_unknown_rating_rejected():
    with pytest.raises(InvalidBureauRecordError, match="is not a rating of generic"):
        GENERIC.normalize(None, "ZZ")


def test_latest_report_counts():
    reports = [
        BureauReport("generic", date(2024, 10, 1), Decimal(40)),
        BureauReport("index600", date(2025, 1, 15), Decimal(200)),
    ]

    features = bureau_features(reports, [], SCALES, AS_OF, 12, 36)

    assert features.score == Decimal("80.00")


def test_stale_report_ignored():
    reports = [BureauReport("generic", date(2023, 12, 31), Decimal(90))]

    features = bureau_features(reports, [], SCALES, AS_OF, 12, 36)

    assert features.score is None
    assert features.stale


def test_events_in_window_counted():
    events = [
        BureauEvent("generic", EventKind.PAYMENT_DEFAULT, date(2024, 6, 1)),
        BureauEvent("generic", EventKind.PAYMENT_DEFAULT, date(2021, 6, 1)),
        BureauEvent("generic", EventKind.INSOLVENCY, date(2025, 4, 1)),
    ]

    features = bureau_features([], events, SCALES, AS_OF, 12, 36)

    assert features.events[EventKind.PAYMENT_DEFAULT] == 1
    assert features.events[EventKind.INSOLVENCY] == 0
