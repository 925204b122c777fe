"""The monthly trend: the report's figures at each month end, each with the configured period."""

from datetime import date
from decimal import Decimal

from report_book import ReportBook, report_of

from receivables.analytics.trend import trend_dates


def test_trend_dates_month_ends_then_as_of():
    dates = trend_dates(date(2023, 12, 15), date(2024, 3, 20))

    assert dates == [date(2023, 12, 31), date(2024, 1, 31), date(2024, 2, 29), date(2024, 3, 20)]


def test_trend_dates_as_of_month_end():
    assert trend_dates(date(2024, 1, 31), date(2024, 2, 29)) == [date(2024, 1, 31), date(2024, 2, 29)]


def test_trend_dates_as_of_before_history():
    assert trend_dates(date(2024, 5, 1), date(2024, 3, 31)) == []


def _book() -> ReportBook:
    """INV-0 3,000 open from 2023-12-15 to 2024-01-20; INV-1 4,000 from 2024-01-10 to 2024-02-19;
    INV-2 5,000 from 2024-02-20, 1,000 credited 2024-03-20."""
    book = ReportBook()
    book.invoice("INV-0", "C1", "2023-12-15", due="2024-01-14", amount="3000.00")
    book.payment("PAY-0", "C1", "2024-01-20", amount="3000.00")
    book.allocate("PAY-0", "INV-0", "2024-01-20", "3000.00")
    book.invoice("INV-1", "C1", "2024-01-10", due="2024-02-09", amount="4000.00")
    book.payment("PAY-1", "C1", "2024-02-19", amount="4000.00")
    book.allocate("PAY-1", "INV-1", "2024-02-19", "4000.00")
    book.invoice("INV-2", "C1", "2024-02-20", due="2024-03-21", amount="5000.00")
    book.credit_note("CN-1", "C1", "2024-03-20", amount="1000.00")
    book.allocate("CN-1", "INV-2", "2024-03-20", "1000.00")
    return book


def test_trend_open_at_each_month_end():
    trend = report_of(_book(), "2024-03-31", trend=True).trend

    assert [point.as_of for point in trend] == [
        date(2023, 12, 31), date(2024, 1, 31), date(2024, 2, 29), date(2024, 3, 31),
    ]  # fmt: skip
    assert [point.total_open for point in trend] == [
        Decimal("3000.00"), Decimal("4000.00"), Decimal("5000.00"), Decimal("4000.00"),
    ]  # fmt: skip


def test_trend_points_use_the_period():
    """2024-02-29 with 90 days: period 2023-12-02 to 2024-02-29, sales 3,000 + 4,000 + 5,000."""
    point = report_of(_book(), "2024-03-31", trend=True).trend[2]

    assert point.period_start == date(2023, 12, 2)
    assert point.credit_sales == Decimal("12000.00")
    assert point.ar_start == Decimal("0.00")
    assert point.settled_items == 2


def test_trend_ends_with_headline():
    report = report_of(_book(), "2024-03-15", trend=True)

    assert report.trend[-1] == report.figures


def test_trend_off_gives_empty_list():
    assert report_of(_book(), "2024-03-31").trend == []
