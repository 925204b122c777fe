"""The top customers by overdue amount, and reports on one customer.

As of 2024-03-31 with the 90-day period from 2024-01-02:

    C1  INV-1  2024-02-01  due 2024-03-02  1,000.00  open, 29 days past due
        INV-2  2024-03-10  due 2024-04-09    500.00  open, current
    C2  INV-3  2023-12-01  due 2023-12-31  2,000.00  open, 91 days past due, disputed
    C3  INV-4  2024-03-01  due 2024-03-31    300.00  open, current
    C4  INV-5  2024-01-15  due 2024-02-14  1,000.00  400.00 paid on 2024-03-01, 46 days past due
"""

from decimal import Decimal

import pytest
from report_book import ReportBook, report_of

from receivables.analytics import UnknownCustomerError


@pytest.fixture
def book() -> ReportBook:
    book = ReportBook()
    book.invoice("INV-1", "C1", "2024-02-01", due="2024-03-02", amount="1000.00")
    book.invoice("INV-2", "C1", "2024-03-10", due="2024-04-09", amount="500.00")
    book.invoice("INV-3", "C2", "2023-12-01", due="2023-12-31", amount="2000.00", disputed=True)
    book.invoice("INV-4", "C3", "2024-03-01", due="2024-03-31", amount="300.00")
    book.invoice("INV-5", "C4", "2024-01-15", due="2024-02-14", amount="1000.00")
    book.payment("PAY-5", "C4", "2024-03-01", amount="400.00")
    book.allocate("PAY-5", "INV-5", "2024-03-01", "400.00")
    book.names["C2"] = "Brick & Mortar Ltd"
    return book


def test_customers_ranked_by_overdue(book):
    lines = report_of(book, "2024-03-31").top_customers

    assert [line.customer_code for line in lines] == ["C2", "C1", "C4"]
    assert [line.overdue for line in lines] == [Decimal("2000.00"), Decimal("1000.00"), Decimal("600.00")]


def test_customer_line_figures(book):
    first, second, third = report_of(book, "2024-03-31").top_customers

    assert (first.name, first.oldest_days_past_due) == ("Brick & Mortar Ltd", 91)
    assert first.disputed_amount == Decimal("2000.00")
    assert second.total_open == Decimal("1500.00")
    assert second.oldest_days_past_due == 29
    assert third.oldest_days_past_due == 46


def test_customer_dso_by_hand(book):
    """C1: 1,500 open / 1,500 sold * 90 = 90.00; C4: 600 / 1,000 * 90 = 54.00; C2 sold nothing."""
    first, second, third = report_of(book, "2024-03-31").top_customers

    assert first.dso_simple is None
    assert second.dso_simple == Decimal("90.00")
    assert third.dso_simple == Decimal("54.00")


def test_top_limits_the_list(book):
    lines = report_of(book, "2024-03-31", top=2).top_customers

    assert [line.customer_code for line in lines] == ["C2", "C1"]


def test_top_zero_lists_nobody(book):
    assert report_of(book, "2024-03-31", top=0).top_customers == []


def test_one_customer_report(book):
    report = report_of(book, "2024-03-31", customer_code="C4")

    assert report.customer_code == "C4"
    assert report.figures.total_open == Decimal("600.00")
    assert report.figures.credit_sales == Decimal("1000.00")
    assert report.figures.dso_simple == Decimal("54.00")
    assert [line.customer_code for line in report.top_customers] == ["C4"]


def test_unknown_customer_raises(book):
    with pytest.raises(UnknownCustomerError, match="C9"):
        report_of(book, "2024-03-31", customer_code="C9")
