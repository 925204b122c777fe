"""Invoices imported with a payment term instead of a due date become their instalments.

customer C1 pays on 30% net30, 30% net60, net90
INV-10 of 2024-01-15, 1,000.00 EUR incl. 100.00 VAT, no due date in the file
  -> instalment 1: 300.00 due 2024-02-14, instalment 2: 300.00 due 2024-03-15,
     instalment 3: 400.00 due 2024-04-14; each is an open item of its own
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import polars as pl
from import_helpers import problems_at
from sqlalchemy import text

from receivables.analytics import build_report
from receivables.config import Settings
from receivables.storage.frames import load_document_terms, load_documents

CUSTOMERS = """
    customer_code,name,country,currency,payment_term
    C1,Acme GmbH,DE,EUR,"30% net30, 30% net60, net90"
    C2,Brick GmbH,DE,EUR,2/10 Net 30
    C3,Clay GmbH,DE,EUR,
"""
HEADER = (
    "kind,number,customer_code,document_date,due_date,currency,amount,tax_amount,payment_term\n"
)


def _instalments(engine, number: str) -> pl.DataFrame:
    documents = load_documents(engine).filter(pl.col("number") == number)
    terms = load_document_terms(engine)
    joined = documents.join(terms, on="document_id", how="left")
    joined = joined.with_columns(pl.col("instalment").fill_null(1))
    return joined.sort("instalment").select(
        "instalment", "due_date", "amount_minor", "tax_minor", "payment_term", "discount_offers"
    )


def test_customer_term_gives_three_instalments(engine, run_import, write_file):
    customers = write_file("customers.csv", CUSTOMERS)
    documents = write_file(
        "documents.csv", HEADER + "invoice,INV-10,C1,2024-01-15,,EUR,1000.00,100.00,\n"
    )

    result = run_import(customers, documents)
    rows = _instalments(engine, "INV-10")

    assert result.committed
    assert rows["instalment"].to_list() == [1, 2, 3]
    assert rows["due_date"].to_list() == [date(2024, 2, 14), date(2024, 3, 15), date(2024, 4, 14)]
    assert rows["amount_minor"].to_list() == [30_000, 30_000, 40_000]
    assert rows["tax_minor"].to_list() == [3_000, 3_000, 4_000]
    assert set(rows["payment_term"].to_list()) == {"30% net30, 30% net60, net90"}


def test_instalments_age_apart(engine, run_import, write_file):
    customers = write_file("customers.csv", CUSTOMERS)
    documents = write_file(
        "documents.csv", HEADER + "invoice,INV-10,C1,2024-01-15,,EUR,1000.00,100.00,\n"
    )
    run_import(customers, documents)

    report = build_report(engine, as_of=date(2024, 3, 31), company_currency="EUR", trend=False)

    assert report.figures.aging["current"] == Decimal("400.00")
    assert report.figures.aging["1-30"] == Decimal("300.00")
    assert report.figures.aging["31-60"] == Decimal("300.00")
    assert report.figures.open_items == 3


def test_row_term_wins_and_freezes_offers(engine, run_import, write_file):
    customers = write_file("customers.csv", CUSTOMERS)
    documents = write_file(
        "documents.csv", HEADER + "invoice,INV-11,C1,2024-03-15,,EUR,1190.00,190.00,2/10 Net 30\n"
    )

    run_import(customers, documents)
    row = _instalments(engine, "INV-11").row(0, named=True)

    assert row["payment_term"] == "2/10 net30"
    assert row["due_date"] == date(2024, 4, 14)
    assert json.loads(row["discount_offers"]) == [
        {"percent": "2", "deadline": "2024-03-25", "base": "gross", "amount": "23.80",
         "net": "20.00", "tax": "3.80"},
    ]  # fmt: skip


def test_due_date_keeps_row_as_given(engine, run_import, write_file):
    customers = write_file("customers.csv", CUSTOMERS)
    documents = write_file(
        "documents.csv", HEADER + "invoice,INV-12,C1,2024-01-15,2024-02-20,EUR,500.00,,\n"
    )

    run_import(customers, documents)
    rows = _instalments(engine, "INV-12")

    assert rows["due_date"].to_list() == [date(2024, 2, 20)]
    assert rows["discount_offers"].to_list() == [None]


def test_no_due_date_and_no_term_rejected(engine, run_import, write_file):
    customers = write_file("customers.csv", CUSTOMERS)
    documents = write_file("documents.csv", HEADER + "invoice,INV-13,C3,2024-01-15,,EUR,500.00,,\n")

    result = run_import(customers, documents)
    found = problems_at(result, documents, 2, "due_date")

    assert not result.committed
    assert len(found) == 1
    assert "need a due date or a payment term" in found[0].reason


def test_invalid_term_rejected(engine, run_import, write_file):
    customers = write_file("customers.csv", CUSTOMERS)
    documents = write_file(
        "documents.csv", HEADER + "invoice,INV-14,C1,2024-01-15,,EUR,500.00,,nett30\n"
    )

    result = run_import(customers, documents)
    found = problems_at(result, documents, 2, "payment_term")

    assert len(found) == 1
    assert found[0].value == "nett30"
    assert "unknown due rule 'nett30'" in found[0].reason


def test_fixed_amounts_above_total_rejected(engine, run_import, write_file):
    customers = write_file("customers.csv", CUSTOMERS)
    documents = write_file(
        "documents.csv", HEADER + 'invoice,INV-15,C1,2024-01-15,,EUR,300.00,,"500 net0, net30"\n'
    )

    result = run_import(customers, documents)
    found = problems_at(result, documents, 2, "payment_term")

    assert len(found) == 1
    assert "more than the invoice total 300.00 EUR" in found[0].reason


def test_term_change_keeps_stored_deadline(engine, run_import, write_file):
    customers = write_file("customers.csv", CUSTOMERS)
    documents = write_file(
        "documents.csv", HEADER + "invoice,INV-16,C2,2024-03-15,,EUR,1000.00,,\n"
    )
    run_import(customers, documents)
    changed = write_file("customers-2025.csv", CUSTOMERS.replace("2/10 Net 30", "3/20 net60"))

    run_import(changed)
    run_import(documents)
    row = _instalments(engine, "INV-16").row(0, named=True)

    assert row["payment_term"] == "2/10 net30"
    assert row["due_date"] == date(2024, 4, 14)
    assert json.loads(row["discount_offers"])[0]["deadline"] == "2024-03-25"


def test_reimport_with_due_date_drops_instalments(engine, run_import, write_file):
    customers = write_file("customers.csv", CUSTOMERS)
    by_term = write_file("documents.csv", HEADER + "invoice,INV-17,C1,2024-01-15,,EUR,1000.00,,\n")
    run_import(customers, by_term)
    by_date = write_file(
        "documents-fixed.csv", HEADER + "invoice,INV-17,C1,2024-01-15,2024-04-14,EUR,1000.00,,\n"
    )

    result = run_import(by_date)

    assert result.committed
    assert _instalments(engine, "INV-17")["instalment"].to_list() == [1]


def test_allocated_instalment_cannot_be_dropped(engine, run_import, write_file):
    customers = write_file("customers.csv", CUSTOMERS)
    by_term = write_file(
        "documents.csv",
        HEADER
        + "invoice,INV-18,C1,2024-01-15,,EUR,1000.00,,\n"
        + "payment,PAY-18,C1,2024-03-01,,EUR,300.00,,\n",
    )
    allocations = write_file(
        "allocations.csv",
        "source_kind,source_number,target_kind,target_number,target_instalment,allocation_date,"
        "amount,currency\npayment,PAY-18,invoice,INV-18,2,2024-03-01,300.00,EUR\n",
    )
    run_import(customers, by_term, allocations)
    by_date = write_file(
        "documents-fixed.csv", HEADER + "invoice,INV-18,C1,2024-01-15,2024-04-14,EUR,1000.00,,\n"
    )

    result = run_import(by_date)
    found = problems_at(result, by_date, 2, "number")

    assert not result.committed
    assert len(found) == 1
    assert "would drop invoice INV-18 instalment 2" in found[0].reason


def test_allocation_targets_instalment(engine, run_import, write_file):
    customers = write_file("customers.csv", CUSTOMERS)
    documents = write_file(
        "documents.csv",
        HEADER
        + "invoice,INV-19,C1,2024-01-15,,EUR,1000.00,,\n"
        + "payment,PAY-19,C1,2024-03-01,,EUR,400.00,,\n",
    )
    allocations = write_file(
        "allocations.csv",
        "source_kind,source_number,target_kind,target_number,target_instalment,allocation_date,"
        "amount,currency\npayment,PAY-19,invoice,INV-19,3,2024-03-01,400.00,EUR\n"
        "payment,PAY-19,invoice,INV-19,1,2024-03-01,0.01,EUR\n",
    )

    result = run_import(customers, documents, allocations, skip_invalid=True)
    found = problems_at(result, allocations, 3, "amount")

    assert len(found) == 1
    assert "still unapplied on payment PAY-19" in found[0].reason
    with engine.connect() as connection:
        target = connection.execute(
            text(
                "SELECT d.instalment FROM allocations a JOIN documents d "
                "ON d.id = a.target_document_id"
            )
        ).scalar_one()
    assert target == 3


def test_settled_row_with_instalments_rejected(engine, run_import, write_file):
    profile = write_file(
        "profiles.toml",
        """
        [profiles.settled]
        record_type = "documents"
        [profiles.settled.settlement]
        date = "paid_on"
        """,
    )
    customers = write_file("customers.csv", CUSTOMERS)
    documents = write_file(
        "documents.csv",
        "kind,number,customer_code,document_date,currency,amount,paid_on\n"
        "invoice,INV-20,C1,2024-01-15,EUR,1000.00,2024-02-10\n",
    )
    settings = Settings(company_currency="EUR", profiles_file=profile)
    run_import(customers, settings=settings)

    result = run_import(documents, settings=settings, profile="settled")
    found = problems_at(result, documents, 2, "payment_term")

    assert len(found) == 1
    assert "a settled row cannot say which one it paid" in found[0].reason


def test_named_instalment_keeps_the_others(engine, run_import, write_file):
    customers = write_file("customers.csv", CUSTOMERS)
    by_term = write_file("documents.csv", HEADER + "invoice,INV-21,C1,2024-01-15,,EUR,1000.00,,\n")
    run_import(customers, by_term)
    one = write_file(
        "open-items.csv",
        "kind,number,instalment,customer_code,document_date,due_date,currency,amount\n"
        "invoice,INV-21,2,C1,2024-01-15,2024-03-31,EUR,300.00\n",
    )

    result = run_import(one)
    rows = _instalments(engine, "INV-21")

    assert result.committed
    assert rows["instalment"].to_list() == [1, 2, 3]
    assert rows["due_date"].to_list() == [date(2024, 2, 14), date(2024, 3, 31), date(2024, 4, 14)]
