"""The company currency and the exchange rate of each document."""

from __future__ import annotations

from decimal import Decimal

import pytest
from import_helpers import problems_at, stored_counts, stored_documents

from receivables.config import Settings
from receivables.storage.database import get_setting

CUSTOMERS = "customer_code,name\nC1,Acme\n"
HEADER = "kind,number,customer_code,document_date,due_date,currency,amount,fx_rate\n"
RATES = "currency,rate_date,rate\nUSD,2024-01-02,0.90\nUSD,2024-01-09,0.92\nUSD,2024-01-11,0.95\n"


def rate_of(engine, number: str) -> Decimal:
    scaled = stored_documents(engine).filter(number=number)["fx_rate_scaled"].item()
    return Decimal(scaled) / 10**10


@pytest.fixture
def customers(write_file):
    return write_file("customers.csv", CUSTOMERS)


def test_several_currencies_need_setting(engine, run_import, write_file, customers):
    documents = write_file(
        "documents.csv",
        HEADER
        + "invoice,I-1,C1,2024-01-05,2024-02-04,EUR,10.00,\n"
        + "invoice,I-2,C1,2024-01-05,2024-02-04,USD,10.00,1.1\n",
    )

    result = run_import(customers, documents, settings=Settings(), skip_invalid=True)

    assert not result.committed
    assert "set RECEIVABLES_COMPANY_CURRENCY" in result.problems[0].reason
    assert "(EUR, USD)" in result.problems[0].reason
    assert stored_counts(engine) == (0, 0, 0)


def test_stored_currency_wins(engine, run_import, write_file, customers):
    first = write_file("first.csv", HEADER + "invoice,I-1,C1,2024-01-05,2024-02-04,EUR,10.00,\n")
    run_import(customers, first, settings=Settings())
    second = write_file("second.csv", HEADER + "invoice,I-2,C1,2024-01-05,2024-02-04,EUR,10.00,\n")

    result = run_import(second, settings=Settings(company_currency="USD"))

    assert result.company_currency == "EUR"
    assert not result.company_currency_set
    assert get_setting(engine, "company_currency") == "EUR"


def test_company_currency_rate_one(engine, run_import, write_file, customers):
    documents = write_file("documents.csv", HEADER + "invoice,I-1,C1,2024-01-05,2024-02-04,EUR,10.00,1.000\n")

    result = run_import(customers, documents)

    assert result.ok
    assert rate_of(engine, "I-1") == 1


def test_company_currency_other_rate(run_import, write_file, customers):
    documents = write_file("documents.csv", HEADER + "invoice,I-1,C1,2024-01-05,2024-02-04,EUR,10.00,1.1\n")

    result = run_import(customers, documents)

    assert (
        problems_at(result, documents, 2, "fx_rate")[0].reason
        == "must be 1 for documents in the company currency EUR"
    )


def test_rate_from_file_kept(engine, run_import, write_file, customers):
    documents = write_file(
        "documents.csv", HEADER + "invoice,I-1,C1,2024-01-10,2024-02-09,USD,10.00,0.9345\n"
    )

    run_import(customers, documents)

    assert rate_of(engine, "I-1") == Decimal("0.9345")


def test_latest_stored_rate_used(engine, run_import, write_file, customers):
    run_import(write_file("rates.csv", RATES))
    documents = write_file(
        "documents.csv",
        HEADER
        + "invoice,I-1,C1,2024-01-10,2024-02-09,USD,10.00,\n"
        + "invoice,I-2,C1,2024-01-11,2024-02-10,USD,10.00,\n",
    )

    result = run_import(customers, documents)

    assert result.ok
    assert rate_of(engine, "I-1") == Decimal("0.92")
    assert rate_of(engine, "I-2") == Decimal("0.95")


def test_rates_in_same_import(engine, run_import, write_file, customers):
    rates = write_file("rates.csv", RATES)
    documents = write_file("documents.csv", HEADER + "invoice,I-1,C1,2024-01-09,2024-02-08,USD,10.00,\n")

    result = run_import(documents, customers, rates)

    assert result.ok
    assert rate_of(engine, "I-1") == Decimal("0.92")


def test_no_rate_before_date(engine, run_import, write_file, customers):
    rates = write_file("rates.csv", RATES)
    documents = write_file(
        "documents.csv",
        HEADER
        + "invoice,I-1,C1,2024-01-01,2024-01-31,USD,10.00,\n"
        + "invoice,I-2,C1,2024-01-05,2024-02-04,GBP,10.00,\n",
    )

    result = run_import(customers, rates, documents)

    assert problems_at(result, documents, 2, "fx_rate")[0].reason == (
        "no exchange rate for USD on or before 2024-01-01; "
        "add fx_rate to the file or import exchange rates first"
    )
    assert len(problems_at(result, documents, 3, "fx_rate")) == 1
    assert stored_counts(engine) == (0, 0, 0)


def test_changed_rate_updates(engine, run_import, write_file):
    run_import(write_file("rates.csv", RATES))

    result = run_import(
        write_file("rates-2.csv", "currency,rate_date,rate\nUSD,2024-01-02,0.90\nUSD,2024-01-09,0.93\n")
    )
    counts = result.files[0].written["exchange_rates"]

    assert (counts.inserted, counts.updated, counts.unchanged) == (0, 1, 1)
