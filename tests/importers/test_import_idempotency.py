"""Importing the same file twice changes nothing; a changed row in a later import updates."""

from __future__ import annotations

from import_helpers import stored_counts, stored_documents
from sqlalchemy import text


def test_same_files_twice(engine, run_import, ledger_files):
    run_import(*ledger_files)

    again = run_import(*ledger_files)

    assert again.ok
    assert [item.totals().inserted for item in again.files] == [0, 0, 0]
    assert [item.totals().updated for item in again.files] == [0, 0, 0]
    assert [item.totals().unchanged for item in again.files] == [2, 3, 2]
    assert stored_counts(engine) == (2, 3, 2)


def test_changed_row_updates(engine, run_import, ledger_files, write_file):
    run_import(*ledger_files)
    changed = write_file(
        "documents-2.csv",
        "kind,number,customer_code,document_date,due_date,currency,amount,disputed\n"
        "invoice,INV-2,C1,2024-01-10,2024-02-09,EUR,550.00,false\n"
        "invoice,INV-3,C1,2024-01-12,2024-02-11,EUR,75.00,false\n",
    )

    result = run_import(changed)
    counts = result.files[0].written["documents"]
    invoice = stored_documents(engine).filter(number="INV-2").row(0, named=True)

    assert (counts.inserted, counts.updated, counts.unchanged) == (1, 1, 0)
    assert invoice["amount_minor"] == 55_000
    assert invoice["disputed"] is False


def test_every_run_recorded(engine, run_import, ledger_files):
    run_import(*ledger_files)
    run_import(*ledger_files)

    with engine.connect() as connection:
        runs = connection.execute(text("SELECT count(*), count(DISTINCT sha256) FROM import_runs")).one()
    assert tuple(runs) == (6, 3)


def test_failed_import_records_nothing(engine, run_import, write_file):
    bad = write_file("customers.csv", "customer_code,name,country\nC1,Acme,XX1\n")

    run_import(bad)

    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM import_runs")).scalar_one() == 0
