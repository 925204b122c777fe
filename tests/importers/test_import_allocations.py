"""Allocation rules in an import: the same rules as Ledger.allocate, with stored allocations counted."""

from __future__ import annotations

import pytest
from import_helpers import problems_at, stored_counts

CUSTOMERS = "customer_code,name\nC1,Acme\nC2,Brick\n"
DOCUMENTS = """kind,number,customer_code,document_date,due_date,currency,amount,fx_rate
invoice,INV-1,C1,2024-01-05,2024-02-04,EUR,100.00,
invoice,INV-2,C2,2024-01-05,2024-02-04,EUR,100.00,
invoice,INV-3,C1,2024-01-05,2024-02-04,USD,100.00,0.9
payment,PAY-1,C1,2024-01-20,,EUR,150.00,
credit_note,CN-1,C1,2024-01-25,,EUR,50.00,
"""
ALLOCATION_HEADER = "source_kind,source_number,target_kind,target_number,allocation_date,amount,currency\n"

BAD_ALLOCATIONS = [
    # (allocation row, column, part of the reason)
    (
        "payment,PAY-1,invoice,INV-2,2024-01-20,10.00,EUR",
        "source_number",
        "customers differ: payment PAY-1 is for C1, invoice INV-2 for C2",
    ),
    (
        "payment,PAY-1,invoice,INV-3,2024-01-20,10.00,EUR",
        "currency",
        "currencies differ: allocation EUR, payment PAY-1 in EUR, invoice INV-3 in USD",
    ),
    ("invoice,INV-1,invoice,INV-1,2024-01-20,10.00,EUR", "source_kind", "is not a credit document kind"),
    ("payment,PAY-1,credit_note,CN-1,2024-01-25,10.00,EUR", "target_kind", "is not a debit document kind"),
    (
        "payment,PAY-1,invoice,INV-1,2024-01-19,10.00,EUR",
        "allocation_date",
        "is before the date of payment PAY-1 (2024-01-20)",
    ),
    (
        "payment,PAY-1,invoice,INV-1,2024-01-20,120.00,EUR",
        "amount",
        "exceeds the 100.00 still open on invoice INV-1",
    ),
    (
        "credit_note,CN-1,invoice,INV-1,2024-01-25,60.00,EUR",
        "amount",
        "exceeds the 50.00 still unapplied on credit_note CN-1",
    ),
    (
        "payment,PAY-1,invoice,INV-9,2024-01-20,10.00,EUR",
        "target_number",
        "invoice INV-9 not found in the files or the database",
    ),
    ("payment,PAY-1,invoice,INV-1,2024-01-20,0.00,EUR", "amount", "must be positive"),
    ("payment,PAY-1,invoice,INV-1,2024-01-20,1.001,EUR", "amount", "has more decimals than EUR allows (2)"),
]


@pytest.fixture
def ledger(write_file):
    return write_file("customers.csv", CUSTOMERS), write_file("documents.csv", DOCUMENTS)


@pytest.mark.parametrize(
    ("line", "column", "reason"), BAD_ALLOCATIONS, ids=[case[2][:40] for case in BAD_ALLOCATIONS]
)
def test_bad_allocation_reported(engine, run_import, write_file, ledger, line, column, reason):
    allocations = write_file("allocations.csv", ALLOCATION_HEADER + line + "\n")

    result = run_import(*ledger, allocations)
    found = problems_at(result, allocations, 2, column)

    assert len(found) == 1
    assert reason in found[0].reason
    assert stored_counts(engine) == (0, 0, 0)


def test_later_row_over_allocates(run_import, write_file, ledger):
    allocations = write_file(
        "allocations.csv",
        ALLOCATION_HEADER
        + "payment,PAY-1,invoice,INV-1,2024-01-20,60.00,EUR\n"
        + "credit_note,CN-1,invoice,INV-1,2024-01-25,50.00,EUR\n"
        + "credit_note,CN-1,invoice,INV-1,2024-01-26,40.00,EUR\n",
    )

    result = run_import(*ledger, allocations)

    assert [(problem.row, problem.column) for problem in result.problems] == [(3, "amount")]
    assert "exceeds the 40.00 still open on invoice INV-1" in result.problems[0].reason


def test_stored_allocations_count(engine, run_import, write_file, ledger):
    first = write_file("first.csv", ALLOCATION_HEADER + "payment,PAY-1,invoice,INV-1,2024-01-20,90.00,EUR\n")
    run_import(*ledger, first)
    second = write_file(
        "second.csv", ALLOCATION_HEADER + "credit_note,CN-1,invoice,INV-1,2024-01-25,20.00,EUR\n"
    )

    result = run_import(second)

    assert (
        "exceeds the 10.00 still open on invoice INV-1" in problems_at(result, second, 2, "amount")[0].reason
    )
    assert stored_counts(engine) == (2, 5, 1)


def test_reimported_allocation_replaces_stored(engine, run_import, write_file, ledger):
    first = write_file("first.csv", ALLOCATION_HEADER + "payment,PAY-1,invoice,INV-1,2024-01-20,90.00,EUR\n")
    run_import(*ledger, first)
    changed = write_file(
        "changed.csv", ALLOCATION_HEADER + "payment,PAY-1,invoice,INV-1,2024-01-20,100.00,EUR\n"
    )

    result = run_import(changed)

    assert result.ok
    assert result.files[0].written["allocations"].updated == 1


def test_allocation_to_rejected_invoice(run_import, write_file):
    customers = write_file("customers.csv", CUSTOMERS)
    documents = write_file(
        "documents.csv",
        "kind,number,customer_code,document_date,due_date,currency,amount\n"
        "invoice,INV-1,C1,2024-01-05,2024-02-04,EUR,abc\n"
        "payment,PAY-1,C1,2024-01-20,,EUR,100.00\n",
    )
    allocations = write_file(
        "allocations.csv", ALLOCATION_HEADER + "payment,PAY-1,invoice,INV-1,2024-01-20,10.00,EUR\n"
    )

    result = run_import(customers, documents, allocations)
    found = problems_at(result, allocations, 2, "target_number")

    assert [problem.reason for problem in found] == ["invoice INV-1 was rejected (documents.csv row 2)"]


def test_document_update_breaks_stored_allocation(engine, run_import, write_file, ledger):
    allocations = write_file(
        "allocations.csv", ALLOCATION_HEADER + "payment,PAY-1,invoice,INV-1,2024-01-20,90.00,EUR\n"
    )
    run_import(*ledger, allocations)
    smaller = write_file(
        "smaller.csv",
        "kind,number,customer_code,document_date,due_date,currency,amount\ninvoice,INV-1,C1,2024-01-05,2024-02-04,EUR,80.00\n",
    )

    result = run_import(smaller)
    found = problems_at(result, smaller, 2, "amount")

    assert len(found) == 1
    assert "is below what stored allocations already apply to it" in found[0].reason
    assert not result.committed


def test_document_update_other_customer(run_import, write_file, ledger):
    allocations = write_file(
        "allocations.csv", ALLOCATION_HEADER + "payment,PAY-1,invoice,INV-1,2024-01-20,90.00,EUR\n"
    )
    run_import(*ledger, allocations)
    moved = write_file(
        "moved.csv",
        "kind,number,customer_code,document_date,due_date,currency,amount\ninvoice,INV-1,C2,2024-01-05,2024-02-04,EUR,100.00\n",
    )

    result = run_import(moved)
    found = problems_at(result, moved, 2, "customer_code")

    assert len(found) == 1
    assert (
        "would break the stored allocation of payment PAY-1 to invoice INV-1: customers differ"
        in found[0].reason
    )


def test_rejected_update_keeps_stored_allocations(engine, run_import, write_file):
    customers = write_file("customers.csv", CUSTOMERS)
    documents = write_file(
        "documents.csv",
        "kind,number,customer_code,document_date,due_date,currency,amount\n"
        "invoice,INV-1,C1,2024-01-05,2024-02-04,EUR,100.00\n"
        "invoice,INV-4,C1,2024-01-06,2024-02-05,EUR,80.00\n"
        "payment,PAY-1,C1,2024-01-20,,EUR,100.00\n",
    )
    first = write_file("first.csv", ALLOCATION_HEADER + "payment,PAY-1,invoice,INV-1,2024-01-20,90.00,EUR\n")
    run_import(customers, documents, first)
    bad_update = write_file(
        "update.csv",
        "kind,number,customer_code,document_date,due_date,currency,amount\ninvoice,INV-1,C1,2024-01-05,2024-02-04,EUR,1O0.00\n",
    )
    second = write_file(
        "second.csv", ALLOCATION_HEADER + "payment,PAY-1,invoice,INV-4,2024-01-20,70.00,EUR\n"
    )

    result = run_import(bad_update, second, skip_invalid=True)
    found = problems_at(result, second, 2, "amount")

    assert len(found) == 1
    assert "exceeds the 10.00 still unapplied on payment PAY-1" in found[0].reason
    assert stored_counts(engine) == (2, 3, 1)
