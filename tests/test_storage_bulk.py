"""Bulk writers and frame loaders, on SQLite and PostgreSQL."""

from datetime import date

import polars as pl
import pytest

from receivables.storage.bulk import (
    MissingReferenceError,
    write_allocations,
    write_customers,
    write_documents,
)
from receivables.storage.frames import load_allocations, load_customers, load_documents

CUSTOMERS = pl.DataFrame(
    {
        "code": ["C1"],
        "name": ["Acme"],
        "country": ["DE"],
        "currency": ["EUR"],
        "industry": [None],
        "segment": [None],
    }
)
DOCUMENTS = pl.DataFrame(
    {
        "customer_code": ["C1", "C1"],
        "kind": ["invoice", "payment"],
        "number": ["INV-1", "PAY-1"],
        "document_date": [date(2024, 1, 1), date(2024, 1, 20)],
        "due_date": [date(2024, 1, 31), date(2024, 1, 20)],
        "currency": ["EUR", "EUR"],
        "amount_minor": [10_000, 4_000],
        "tax_minor": [1_597, 0],
        "fx_rate": ["1", "1"],
        "disputed": [True, False],
        "reference": [None, "RF18539007547034"],
    }
)
ALLOCATIONS = pl.DataFrame(
    {
        "source_kind": ["payment"],
        "source_number": ["PAY-1"],
        "target_kind": ["invoice"],
        "target_number": ["INV-1"],
        "allocation_date": [date(2024, 1, 20)],
        "amount_minor": [4_000],
    }
)


def write_all(engine):
    with engine.begin() as connection:
        return (
            write_customers(connection, CUSTOMERS),
            write_documents(connection, DOCUMENTS),
            write_allocations(connection, ALLOCATIONS),
        )


def test_bulk_write_then_load(engine):
    customers, documents, allocations = write_all(engine)
    loaded = load_documents(engine).sort("number")

    assert (customers.inserted, documents.inserted, allocations.inserted) == (1, 2, 1)
    assert loaded["number"].to_list() == ["INV-1", "PAY-1"]
    assert loaded["document_date"].to_list() == [date(2024, 1, 1), date(2024, 1, 20)]
    assert loaded["amount_minor"].to_list() == [10_000, 4_000]
    assert loaded["fx_rate_scaled"].to_list() == [10_000_000_000, 10_000_000_000]
    assert loaded["disputed"].to_list() == [True, False]
    assert load_allocations(engine)["amount_minor"].to_list() == [4_000]
    assert load_customers(engine)["customer_code"].to_list() == ["C1"]


def test_bulk_write_twice_changes_nothing(engine):
    write_all(engine)
    customers, documents, allocations = write_all(engine)

    assert (customers.inserted, customers.updated, customers.unchanged) == (0, 0, 1)
    assert (documents.inserted, documents.updated, documents.unchanged) == (0, 0, 2)
    assert (allocations.inserted, allocations.updated, allocations.unchanged) == (0, 0, 1)
    assert load_documents(engine).height == 2


def test_bulk_changed_row_updates(engine):
    write_all(engine)
    changed = DOCUMENTS.with_columns(
        pl.when(pl.col("number") == "INV-1")
        .then(12_000)
        .otherwise(pl.col("amount_minor"))
        .alias("amount_minor")
    )
    with engine.begin() as connection:
        counts = write_documents(connection, changed)

    assert (counts.inserted, counts.updated, counts.unchanged) == (0, 1, 1)
    assert load_documents(engine).sort("number")["amount_minor"].to_list() == [12_000, 4_000]


def test_documents_of_unknown_customer_refused(engine):
    with engine.begin() as connection:
        write_customers(connection, CUSTOMERS)
    stranger = DOCUMENTS.with_columns(pl.lit("C9").alias("customer_code"))

    raises = pytest.raises(MissingReferenceError, match="customers that are not stored: C9")
    with raises, engine.begin() as connection:
        write_documents(connection, stranger)

    assert load_documents(engine).is_empty()


def test_allocation_to_unknown_document_refused(engine):
    with engine.begin() as connection:
        write_customers(connection, CUSTOMERS)
        write_documents(connection, DOCUMENTS)
    astray = ALLOCATIONS.with_columns(pl.lit("INV-9").alias("target_number"))

    raises = pytest.raises(MissingReferenceError, match="payment PAY-1 -> invoice INV-9")
    with raises, engine.begin() as connection:
        write_allocations(connection, astray)

    assert load_allocations(engine).is_empty()
