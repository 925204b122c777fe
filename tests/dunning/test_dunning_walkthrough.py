"""The demo's one-call collections walkthrough on a ledger without contact data."""

from __future__ import annotations

from datetime import date

from conftest import EUR
from receivables.dunning.contacts import import_contacts
from receivables.dunning.walkthrough import collections_walkthrough, write_contacts_csv


def test_walkthrough_returns_notices_tasks_worklist(book, settings):
    book.customers.extend(
        {
            "code": code,
            "name": code,
            "country": "DE",
            "currency": "EUR",
            "industry": None,
            "segment": None,
        }
        for code in ("K1", "K2")
    )
    book.invoice("INV-1", "K1", date(2024, 1, 1), date(2024, 1, 31), "300.00")
    book.invoice("INV-2", "K2", date(2023, 12, 5), date(2024, 1, 5), "900.00")
    book.save()

    summary = collections_walkthrough(book.engine, settings, EUR, date(2024, 2, 25))

    assert summary["contacts_added"] == 2
    assert summary["run"]["notices"]["planned"] == 2
    assert [task["kind"] for task in summary["tasks"]] == ["phone_call"]
    assert summary["worklist"][0]["customer_code"] == "K2"


def test_contacts_csv_imports_cleanly(book, tmp_path):
    codes = [f"K{number}" for number in range(200)]
    book.customers.extend(
        {
            "code": code,
            "name": code,
            "country": "DE",
            "currency": "EUR",
            "industry": None,
            "segment": None,
        }
        for code in codes
    )
    book.save()

    result = import_contacts(book.engine, write_contacts_csv(codes, tmp_path / "contacts.csv"))

    assert result.problems == []
    assert result.written == 200
