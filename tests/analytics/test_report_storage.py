"""Reports from a stored ledger, on SQLite and PostgreSQL, equal the reports from frames built in memory."""

from datetime import date
from decimal import Decimal

import pytest
from report_book import ReportBook

from receivables.analytics import EmptyLedgerError, build_report, compute_report, load_ledger


def _book() -> ReportBook:
    book = ReportBook()
    book.invoice("INV-1", "C1", "2024-01-10", due="2024-02-09", amount="4000.00")
    book.payment("PAY-1", "C1", "2024-02-19", amount="4500.00")
    book.allocate("PAY-1", "INV-1", "2024-02-19", "4000.00")
    book.invoice("INV-2", "C2", "2024-02-20", due="2024-03-21", amount="5000.00", disputed=True)
    book.credit_note("CN-1", "C2", "2024-03-20", amount="1000.00")
    book.allocate("CN-1", "INV-2", "2024-03-20", "600.00")
    book.allocate("CN-1", "INV-2", "2024-03-28", "400.00")
    book.invoice(
        "INV-3", "C2", "2024-03-15", due="2024-04-14", amount="1234.56", currency="USD", rate="0.9187"
    )
    return book


def test_stored_report_equals_in_memory(engine):
    book = _book()
    book.store(engine)

    stored = compute_report(load_ledger(engine), as_of=date(2024, 3, 25), company_currency="EUR")
    in_memory = compute_report(book.frames(), as_of=date(2024, 3, 25), company_currency="EUR")

    assert stored.figures == in_memory.figures
    assert stored.trend == in_memory.trend
    assert stored.top_customers == in_memory.top_customers


def test_build_report_loads_and_computes(engine):
    _book().store(engine)

    figures = build_report(engine, as_of=date(2024, 3, 31), company_currency="EUR", trend=False).figures

    assert figures.total_open == Decimal("4000.00") + Decimal("1134.19")
    assert figures.unapplied_credit == Decimal("500.00")


def test_empty_database_raises(engine):
    with pytest.raises(EmptyLedgerError, match="no documents"):
        build_report(engine, as_of=date(2024, 3, 31), company_currency="EUR")
