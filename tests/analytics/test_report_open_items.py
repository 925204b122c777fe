"""What is open, unapplied and in which bucket at the end of the as-of date."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from report_book import ReportBook, report_of

from receivables.domain.aging import AgingBasis, AgingBuckets


def test_partial_payment_leaves_rest_open():
    """Invoice 1,000.00; 400.00 paid on 2024-03-10."""
    book = ReportBook()
    book.invoice("INV-1", "C1", "2024-03-01", due="2024-03-31", amount="1000.00")
    book.payment("PAY-1", "C1", "2024-03-10", amount="400.00")
    book.allocate("PAY-1", "INV-1", "2024-03-10", "400.00")

    figures = report_of(book, "2024-03-31").figures

    assert figures.total_open == Decimal("600.00")
    assert figures.open_items == 1
    assert figures.unapplied_credit == Decimal("0.00")


def test_payment_after_as_of_not_counted():
    """Paid on 2024-04-05: as of 2024-03-31 the invoice is still fully open."""
    book = ReportBook()
    book.invoice("INV-1", "C1", "2024-03-01", due="2024-03-15", amount="1000.00")
    book.payment("PAY-1", "C1", "2024-04-05", amount="1000.00")
    book.allocate("PAY-1", "INV-1", "2024-04-05", "1000.00")

    figures = report_of(book, "2024-03-31").figures

    assert figures.total_open == Decimal("1000.00")
    assert figures.overdue == Decimal("1000.00")
    assert figures.unapplied_credit == Decimal("0.00")
    assert figures.settled_items == 0


def test_payment_on_as_of_counts():
    """Paid on the as-of date itself: settled at the end of that day."""
    book = ReportBook()
    book.invoice("INV-1", "C1", "2024-03-01", due="2024-03-15", amount="1000.00")
    book.payment("PAY-1", "C1", "2024-03-31", amount="1000.00")
    book.allocate("PAY-1", "INV-1", "2024-03-31", "1000.00")

    figures = report_of(book, "2024-03-31").figures

    assert figures.total_open == Decimal("0.00")
    assert figures.open_items == 0
    assert figures.settled_items == 1


def test_allocation_after_as_of_leaves_credit_unapplied():
    """Paid on 2024-03-20 but matched to the invoice only on 2024-04-02."""
    book = ReportBook()
    book.invoice("INV-1", "C1", "2024-03-01", due="2024-03-31", amount="1000.00")
    book.payment("PAY-1", "C1", "2024-03-20", amount="1000.00")
    book.allocate("PAY-1", "INV-1", "2024-04-02", "1000.00")

    figures = report_of(book, "2024-03-31").figures

    assert figures.total_open == Decimal("1000.00")
    assert figures.unapplied_credit == Decimal("1000.00")
    assert figures.net_balance == Decimal("0.00")


def test_credit_notes_applied_and_unapplied():
    """Credit note 200.00 applied to the invoice, credit note 50.00 not applied to anything."""
    book = ReportBook()
    book.invoice("INV-1", "C1", "2024-03-01", due="2024-03-31", amount="1000.00")
    book.credit_note("CN-1", "C1", "2024-03-05", amount="200.00")
    book.credit_note("CN-2", "C1", "2024-03-06", amount="50.00")
    book.allocate("CN-1", "INV-1", "2024-03-05", "200.00")

    figures = report_of(book, "2024-03-31").figures

    assert figures.total_open == Decimal("800.00")
    assert figures.unapplied_credit == Decimal("50.00")
    assert figures.net_balance == Decimal("750.00")
    assert figures.credit_sales == Decimal("750.00")


def test_overpayment_becomes_unapplied_credit():
    """Invoice 500.00 paid with 600.00: the invoice is settled, never negative; 100.00 stays unapplied."""
    book = ReportBook()
    book.invoice("INV-1", "C1", "2024-03-01", due="2024-03-31", amount="500.00")
    book.payment("PAY-1", "C1", "2024-03-10", amount="600.00")
    book.allocate("PAY-1", "INV-1", "2024-03-10", "500.00")

    figures = report_of(book, "2024-03-31").figures

    assert figures.total_open == Decimal("0.00")
    assert figures.open_items == 0
    assert figures.unapplied_credit == Decimal("100.00")
    assert figures.net_balance == Decimal("-100.00")


def test_due_on_as_of_is_current():
    book = ReportBook()
    book.invoice("INV-1", "C1", "2024-03-01", due="2024-03-31", amount="1000.00")

    figures = report_of(book, "2024-03-31").figures

    assert figures.current_ar == Decimal("1000.00")
    assert figures.overdue == Decimal("0.00")
    assert figures.aging["current"] == Decimal("1000.00")


def test_foreign_item_converts_its_open_amount():
    """USD 123.45 at 0.9123456789 EUR per USD, USD 23.45 paid: USD 100.00 open.

    The open amount converts as one item: 100.00 * 0.9123456789 = 91.23456789 -> 91.23 EUR. (The
    invoice and payment converted apart would give 112.63 - 21.39 = 91.24.)
    """
    book = ReportBook()
    book.invoice(
        "INV-1", "C1", "2024-03-01", due="2024-03-31", amount="123.45", currency="USD", rate="0.9123456789"
    )
    book.payment("PAY-1", "C1", "2024-03-10", amount="23.45", currency="USD", rate="0.9123456789")
    book.allocate("PAY-1", "INV-1", "2024-03-10", "23.45")

    figures = report_of(book, "2024-03-31").figures

    assert figures.total_open == Decimal("91.23")
    assert figures.credit_sales == Decimal("112.63")


def test_report_states_its_currency():
    book = ReportBook()
    book.invoice("INV-1", "C1", "2024-03-01", due="2024-03-31", amount="1000", currency="JPY", rate="0.0061")

    report = report_of(book, "2024-03-31", currency="EUR")

    assert report.currency.code == "EUR"
    assert report.to_dict()["currency"] == "EUR"
    assert report.figures.total_open == Decimal("6.10")


@pytest.mark.parametrize(
    ("days_past_due", "label"),
    [
        (-5, "current"),
        (0, "current"),
        (1, "1-30"),
        (30, "1-30"),
        (31, "31-60"),
        (60, "31-60"),
        (61, "61-90"),
        (90, "61-90"),
        (91, "91+"),
        (400, "91+"),
    ],
)
def test_bucket_edges(days_past_due, label):
    """As of 2024-06-30, one invoice due ``days_past_due`` days earlier."""
    due = (date(2024, 6, 30) - timedelta(days=days_past_due)).isoformat()
    book = ReportBook()
    book.invoice("INV-1", "C1", "2023-01-01", due=due, amount="250.00")

    aging = report_of(book, "2024-06-30").figures.aging

    assert aging[label] == Decimal("250.00")
    assert sum(aging.values()) == Decimal("250.00")


def test_buckets_add_up_to_total_open():
    """Items in three currencies, partly paid, in every bucket: the buckets sum to total open exactly."""
    book = ReportBook()
    book.invoice(
        "INV-1", "C1", "2024-06-01", due="2024-07-01", amount="100.01", currency="USD", rate="0.9333333333"
    )
    book.invoice(
        "INV-2", "C1", "2024-04-01", due="2024-05-01", amount="333.33", currency="USD", rate="0.9333333333"
    )
    book.invoice(
        "INV-3", "C2", "2024-01-01", due="2024-01-31", amount="1001", currency="JPY", rate="0.0061111111"
    )
    book.invoice("INV-4", "C2", "2024-05-20", due="2024-06-19", amount="10.05")
    book.payment("PAY-1", "C1", "2024-06-10", amount="33.33", currency="USD", rate="0.9222222222")
    book.allocate("PAY-1", "INV-2", "2024-06-10", "33.33")

    figures = report_of(book, "2024-06-30").figures

    assert sum(figures.aging.values()) == figures.total_open
    assert figures.total_open == Decimal("93.34") + Decimal("280.00") + Decimal("6.12") + Decimal("10.05")


def test_custom_bucket_edges():
    book = ReportBook()
    book.invoice("INV-1", "C1", "2024-05-01", due="2024-06-20", amount="100.00")
    book.invoice("INV-2", "C1", "2024-04-01", due="2024-05-01", amount="200.00")

    aging = report_of(book, "2024-06-30", buckets=AgingBuckets.parse("15,45")).figures.aging

    assert aging == {"up to 15": Decimal("100.00"), "16-45": Decimal("0.00"), "46+": Decimal("200.00")}


def test_aging_by_document_date():
    """Dated 2024-05-01 and due 2024-06-30: current by due date, 60 days old by document date."""
    book = ReportBook()
    book.invoice("INV-1", "C1", "2024-05-01", due="2024-06-30", amount="100.00")
    buckets = AgingBuckets(basis=AgingBasis.DOCUMENT_DATE)

    figures = report_of(book, "2024-06-30", buckets=buckets).figures

    assert figures.aging["31-60"] == Decimal("100.00")
    assert figures.current_ar == Decimal("100.00")


def test_documents_after_as_of_ignored():
    book = ReportBook()
    book.invoice("INV-1", "C1", "2024-03-01", due="2024-03-31", amount="100.00")
    book.invoice("INV-2", "C1", "2024-04-01", due="2024-04-30", amount="900.00")
    book.credit_note("CN-1", "C1", "2024-04-02", amount="50.00")

    figures = report_of(book, "2024-03-31").figures

    assert figures.total_open == Decimal("100.00")
    assert figures.unapplied_credit == Decimal("0.00")
    assert figures.credit_sales == Decimal("100.00")


def test_debit_note_is_an_open_item():
    book = ReportBook()
    book.debit_note("DN-1", "C1", "2024-03-01", due="2024-03-11", amount="45.00")

    figures = report_of(book, "2024-03-31").figures

    assert figures.aging["1-30"] == Decimal("45.00")
    assert figures.credit_sales == Decimal("45.00")


def test_write_off_settles_the_item():
    book = ReportBook()
    book.invoice("INV-1", "C1", "2023-01-01", due="2023-01-31", amount="80.00")
    book.write_off("WO-1", "C1", "2024-03-15", amount="80.00")
    book.allocate("WO-1", "INV-1", "2024-03-15", "80.00")

    figures = report_of(book, "2024-03-31").figures

    assert figures.total_open == Decimal("0.00")
    assert figures.credit_sales == Decimal("0.00")
