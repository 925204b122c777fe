"""The IBM Accounts Receivable sample through the built-in profile ibm-ar.

Each row is an invoice paid in full on SettledDate, so it becomes an invoice, a payment with the
same number and an allocation of the whole amount on that day.
"""

from __future__ import annotations

from datetime import date

import pytest
from import_helpers import TEST_DATA, stored_documents

from receivables.config import Settings
from receivables.storage.database import get_setting
from receivables.storage.frames import load_allocations, load_customers

IBM_SAMPLE = TEST_DATA / "import" / "ibm-ar.csv"


@pytest.fixture
def imported(engine, run_import):
    return run_import(IBM_SAMPLE, profile="ibm-ar", settings=Settings())


def test_sample_counts(engine, imported):
    kinds = stored_documents(engine).group_by("kind").len().sort("kind")

    assert imported.ok
    assert dict(kinds.iter_rows()) == {"invoice": 2466, "payment": 2466}
    assert load_allocations(engine).height == 2466
    assert load_customers(engine).height == 100


def test_invoice_numbers_keep_zeros(engine, imported):
    numbers = stored_documents(engine)["number"]

    assert "0000611365" in numbers.to_list()
    assert numbers.str.len_chars().min() == 10


def test_first_row_values(engine, imported):
    documents = stored_documents(engine).filter(number="0000611365").sort("kind")
    invoice, payment = documents.rows(named=True)

    assert (invoice["document_date"], invoice["due_date"]) == (date(2013, 1, 2), date(2013, 2, 1))
    assert invoice["amount_minor"] == 5594
    assert invoice["currency"] == "USD"
    assert invoice["disputed"] is False
    assert (payment["kind"], payment["document_date"], payment["amount_minor"]) == (
        "payment",
        date(2013, 1, 15),
        5594,
    )


def test_allocations_settle_in_full(engine, imported):
    allocated = load_allocations(engine)["amount_minor"].sum()
    invoiced = stored_documents(engine).filter(kind="invoice")["amount_minor"].sum()

    assert allocated == invoiced


def test_country_code_is_segment(engine, imported):
    customer = load_customers(engine).filter(customer_code="0379-NEVHP").row(0, named=True)

    assert customer["segment"] == "country 391"
    assert customer["country"] is None
    assert customer["name"] == "0379-NEVHP"


def test_company_currency_usd(engine, imported):
    assert get_setting(engine, "company_currency") == "USD"


def test_second_import_unchanged(run_import, imported):
    again = run_import(IBM_SAMPLE, profile="ibm-ar", settings=Settings())
    written = again.files[0].written

    assert {name: counts.unchanged for name, counts in written.items()} == {
        "customers": 100,
        "documents": 4932,
        "allocations": 2466,
    }
    assert sum(counts.inserted + counts.updated for counts in written.values()) == 0
