"""Aging buckets and the metric formulas, with hand-worked values."""

from datetime import date
from decimal import Decimal

import pytest

from receivables.domain.aging import AgingBasis, AgingBuckets, InvalidBucketsError, days_past_due
from receivables.domain.metrics import (
    MonthSales,
    average_days_delinquent,
    best_possible_dso,
    cei,
    dso_countback,
    dso_simple,
    round_figure,
    turnover,
    turnover_days,
)


@pytest.mark.parametrize(
    ("days", "label"),
    [(-10, "current"), (0, "current"), (1, "1-30"), (30, "1-30"), (31, "31-60"), (60, "31-60"),
     (61, "61-90"), (90, "61-90"), (91, "91+"), (400, "91+")],
)  # fmt: skip
def test_default_bucket_edges(days, label):
    assert AgingBuckets().label(days) == label


def test_due_on_as_of_not_overdue():
    assert days_past_due(date(2024, 6, 30), date(2024, 6, 30)) == 0
    assert AgingBuckets().label(0) == "current"


def test_custom_buckets_parse():
    buckets = AgingBuckets.parse("0,15,45")

    assert buckets.labels == ["current", "1-15", "16-45", "46+"]


def test_document_date_buckets_labels():
    buckets = AgingBuckets.parse("30,60,90", AgingBasis.DOCUMENT_DATE)

    assert buckets.labels == ["0-30", "31-60", "61-90", "91+"]


@pytest.mark.parametrize("text", ["30,30", "60,30", "a,b", ""])
def test_invalid_buckets_rejected(text):
    with pytest.raises(InvalidBucketsError):
        AgingBuckets.parse(text)


def test_dso_and_best_possible():
    # AR 300, of which 120 not yet due, sales 900 over 90 days.
    dso = dso_simple(Decimal(300), Decimal(900), 90)
    best = best_possible_dso(Decimal(120), Decimal(900), 90)

    assert dso == Decimal(30)
    assert best == Decimal(12)
    assert average_days_delinquent(dso, best) == Decimal(18)


def test_turnover_and_days():
    # Sales 900, AR 200 at the start and 300 at the end: average AR 250.
    ratio = turnover(Decimal(900), Decimal(200), Decimal(300))

    assert ratio == Decimal("3.6")
    assert turnover_days(90, ratio) == Decimal(25)


def test_cei_by_hand():
    # (200 + 900 - 300) / (200 + 900 - 120) * 100 = 800 / 980 * 100
    value = cei(Decimal(200), Decimal(900), Decimal(300), Decimal(120))

    assert round_figure(value) == Decimal("81.63")


def test_countback_stops_in_partial_month():
    # June to date (15 days) sold 100, May (31 days) 200, April (30 days) 300; AR 450.
    months = [
        MonthSales(Decimal(100), 15),
        MonthSales(Decimal(200), 31),
        MonthSales(Decimal(300), 30),
    ]

    assert dso_countback(Decimal(450), months) == Decimal(15 + 31 + 15)


def test_countback_history_runs_out():
    assert dso_countback(Decimal(500), [MonthSales(Decimal(100), 30)]) == Decimal(30)


def test_countback_month_without_sales_counts_fully():
    months = [MonthSales(Decimal(0), 10), MonthSales(Decimal(100), 30)]

    assert dso_countback(Decimal(50), months) == Decimal(25)
