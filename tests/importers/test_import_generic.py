"""Imports of the generic layout: customers, documents, allocations and exchange rates."""

from __future__ import annotations

from datetime import date

from import_helpers import stored_counts, stored_documents
from sqlalchemy import text

from receivables.config import Settings
from receivables.storage.database import get_setting
from receivables.storage.frames import load_allocations, load_customers


def test_ledger_files_import(engine, run_import, ledger_files):
    result = run_import(*ledger_files)

    assert result.ok
    assert result.committed
    assert stored_counts(engine) == (2, 3, 2)
    assert [item.record_type for item in result.files] == ["customers", "documents", "allocations"]


def test_document_values_stored(engine, run_import, ledger_files):
    run_import(*ledger_files)
    documents = stored_documents(engine)
    invoice = documents.row(0, named=True)
    payment = documents.row(2, named=True)

    assert invoice["number"] == "INV-1"
    assert invoice["amount_minor"] == 119_000
    assert invoice["tax_minor"] == 19_000
    assert invoice["due_date"] == date(2024, 2, 4)
    assert invoice["fx_rate_scaled"] == 10_000_000_000
    assert documents.row(1, named=True)["disputed"] is True
    assert payment["due_date"] == date(2024, 1, 20)


def test_customer_values_stored(engine, run_import, ledger_files):
    run_import(*ledger_files)
    customer = load_customers(engine).sort("customer_code").row(0, named=True)

    assert customer["name"] == "Acme GmbH"
    assert customer["country"] == "DE"
    assert customer["segment"] == "key accounts"


def test_allocation_amounts_stored(engine, run_import, ledger_files):
    run_import(*ledger_files)

    assert sorted(load_allocations(engine)["amount_minor"].to_list()) == [10_000, 70_000]


def test_counts_per_file(run_import, ledger_files):
    result = run_import(*ledger_files)
    documents = result.files[1]

    assert documents.rows_read == 3
    assert documents.rows_rejected == 0
    assert documents.written["documents"].inserted == 3


def test_company_currency_from_settings(engine, run_import, ledger_files):
    result = run_import(*ledger_files, settings=Settings(company_currency="EUR"))

    assert result.company_currency_set
    assert get_setting(engine, "company_currency") == "EUR"


def test_company_currency_from_documents(engine, run_import, ledger_files):
    result = run_import(*ledger_files, settings=Settings())

    assert result.company_currency == "EUR"
    assert get_setting(engine, "company_currency") == "EUR"


def test_files_in_any_order(engine, run_import, ledger_files):
    result = run_import(*reversed(ledger_files))

    assert result.ok
    assert stored_counts(engine) == (2, 3, 2)


def test_type_option_overrides_header(engine, run_import, write_file):
    customers = write_file("accounts.csv", "customer_code,name,rate\nC7,Acme,x\n")

    result = run_import(customers, record_type="customers")

    assert result.ok
    assert result.files[0].record_type == "customers"
    assert stored_counts(engine)[0] == 1


def test_unknown_columns_listed(run_import, write_file):
    customers = write_file("customers.csv", "customer_code,name,vat_id\nC1,Acme,DE123\n")

    result = run_import(customers)

    assert result.files[0].ignored_columns == ["vat_id"]


def test_exchange_rates_import(engine, run_import, write_file):
    rates = write_file("rates.csv", "currency,rate_date,rate\nUSD,2024-01-02,0.9123\nGBP,2024-01-02,1.1650\n")

    result = run_import(rates)

    assert result.ok
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT currency, rate FROM exchange_rates ORDER BY currency")).all()
    assert [(currency, float(rate)) for currency, rate in stored] == [("GBP", 1.165), ("USD", 0.9123)]


def test_import_runs_recorded(engine, run_import, ledger_files):
    run_import(*ledger_files)

    with engine.connect() as connection:
        runs = connection.execute(
            text("SELECT file_name, record_type, rows_read, rows_written FROM import_runs ORDER BY id")
        ).all()
    assert [(run.record_type, run.rows_read, run.rows_written) for run in runs] == [
        ("customers", 2, 2),
        ("documents", 3, 3),
        ("allocations", 2, 2),
    ]
    assert runs[0].file_name == str(ledger_files[0])
