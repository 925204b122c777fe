"""Every bad row is reported with its file, row, column, value and reason, and nothing is written."""

from __future__ import annotations

import pytest
from import_helpers import CUSTOMERS_CSV, problems_at, stored_counts

HEADER = "kind,number,customer_code,document_date,due_date,currency,amount,tax_amount\n"
GOOD_ROW = "invoice,INV-1,C1,2024-01-05,2024-02-04,EUR,100.00,19.00\n"

BAD_ROWS = [
    # (row of the file, column, value, part of the reason)
    (
        "invoice,INV-2,C1,05.01.2024,2024-02-04,EUR,100.00,",
        "document_date",
        "05.01.2024",
        "is not a date in the format yyyy-mm-dd",
    ),
    ("invoice,INV-2,C1,2024-01-05,2024-02-30,EUR,100.00,", "due_date", "2024-02-30", "is not a date"),
    ("invoice,INV-2,C1,2024-01-05,2024-02-04,EUR,12 EUR,", "amount", "12 EUR", "is not a number"),
    ("invoice,INV-2,C1,2024-01-05,2024-02-04,EUR,n/a,", "amount", "n/a", "is not a number"),
    (
        "invoice,INV-2,C1,2024-01-05,2024-02-04,EUX,100.00,",
        "currency",
        "EUX",
        "is not an ISO 4217 currency code",
    ),
    ("invoice,INV-2,C1,2024-01-05,2024-02-04,EUR,-100.00,", "amount", "-100.00", "is negative"),
    ("invoice,INV-2,C1,2024-01-05,2024-02-04,EUR,0.00,", "amount", "0.00", "must not be zero"),
    (
        "invoice,INV-2,C1,2024-01-05,2024-02-04,EUR,100.005,",
        "amount",
        "100.005",
        "has more decimals than EUR allows (2)",
    ),
    (
        "invoice,INV-2,C1,2024-01-05,2024-02-04,EUR,100.00,120.00",
        "tax_amount",
        "120.00",
        "must lie between 0 and the amount",
    ),
    (
        "invoice,INV-2,C1,2024-01-05,2024-02-04,EUR,100.00,-1.00",
        "tax_amount",
        "-1.00",
        "must lie between 0 and the amount",
    ),
    (
        "invoice,INV-2,C1,2024-01-05,2024-01-04,EUR,100.00,",
        "due_date",
        "2024-01-04",
        "is before the document date",
    ),
    ("invoice,INV-2,C1,2024-01-05,,EUR,100.00,", "due_date", "", "invoices and debit notes need a due date"),
    ("bill,INV-2,C1,2024-01-05,2024-02-04,EUR,100.00,", "kind", "bill", "is not a document kind"),
    ("invoice,INV-2,C9,2024-01-05,2024-02-04,EUR,100.00,", "customer_code", "C9", "customer C9 not found"),
    ("invoice,,C1,2024-01-05,2024-02-04,EUR,100.00,", "number", "", "is missing"),
    ("invoice,INV-2,C1,2024-01-05,2024-02-04,,100.00,", "currency", "", "is missing"),
]


@pytest.mark.parametrize(("line", "column", "value", "reason"), BAD_ROWS, ids=[case[3] for case in BAD_ROWS])
def test_bad_document_row_reported(engine, run_import, write_file, line, column, value, reason):
    customers = write_file("customers.csv", CUSTOMERS_CSV)
    documents = write_file("documents.csv", HEADER + GOOD_ROW + line + "\n")

    result = run_import(customers, documents)
    found = problems_at(result, documents, 3, column)

    assert len(found) == 1
    assert found[0].value == value
    assert reason in found[0].reason
    assert not result.committed
    assert stored_counts(engine) == (0, 0, 0)


def test_problem_text_names_cell(run_import, write_file):
    customers = write_file("customers.csv", CUSTOMERS_CSV)
    documents = write_file(
        "documents.csv", HEADER + GOOD_ROW + "invoice,INV-2,C1,2024-01-05,2024-02-04,EUR,abc,\n"
    )

    result = run_import(customers, documents)

    assert (
        str(result.problems[0])
        == f"{documents} row 3, column amount: 'abc' is not a number in the expected format"
    )


def test_missing_required_column(engine, run_import, write_file):
    customers = write_file("customers.csv", CUSTOMERS_CSV)
    documents = write_file(
        "documents.csv",
        "kind,number,customer_code,document_date,due_date,currency\ninvoice,INV-1,C1,2024-01-05,2024-02-04,EUR\n",
    )

    result = run_import(customers, documents)
    found = problems_at(result, documents, 1, "amount")

    assert [problem.reason for problem in found] == ["required column 'amount' is missing"]
    assert result.files[1].rows_rejected == 1
    assert stored_counts(engine) == (0, 0, 0)


def test_empty_file_has_no_header(engine, run_import, write_file):
    customers = write_file("customers.csv", CUSTOMERS_CSV)
    empty = write_file("documents.csv", "")

    result = run_import(customers, empty)
    found = problems_at(result, empty, 1, None)

    assert [problem.reason for problem in found] == ["the file is empty: expected a header row"]
    assert stored_counts(engine) == (0, 0, 0)


def test_header_without_rows(engine, run_import, write_file):
    customers = write_file("customers.csv", CUSTOMERS_CSV)
    header_only = write_file("documents.csv", HEADER)

    result = run_import(customers, header_only)
    found = problems_at(result, header_only, 1, None)

    assert [problem.reason for problem in found] == ["the file has a header but no data rows"]
    assert not result.committed


def test_unknown_record_type(run_import, write_file):
    odd = write_file("odd.csv", "a,b\n1,2\n")

    result = run_import(odd)

    assert "cannot tell the record type from the columns (a, b)" in result.problems[0].reason
    assert result.problems[0].row == 1


def test_missing_file_reported(run_import, tmp_path):
    missing = tmp_path / "nowhere.csv"

    result = run_import(missing)

    assert [problem.reason for problem in result.problems] == ["file not found"]


def test_duplicate_number_other_amount(engine, run_import, write_file):
    customers = write_file("customers.csv", CUSTOMERS_CSV)
    documents = write_file(
        "documents.csv", HEADER + GOOD_ROW + "invoice,INV-1,C1,2024-01-05,2024-02-04,EUR,120.00,19.00\n"
    )

    result = run_import(customers, documents)
    first = problems_at(result, documents, 2, "number")
    second = problems_at(result, documents, 3, "number")

    assert len(first) == 1
    assert len(second) == 1
    assert (
        "invoice INV-1 appears 2 times with different values (documents.csv row 2, documents.csv row 3)"
        in second[0].reason
    )
    assert stored_counts(engine) == (0, 0, 0)


def test_duplicate_across_files_conflicts(run_import, write_file):
    customers = write_file("customers.csv", CUSTOMERS_CSV)
    january = write_file("january.csv", HEADER + GOOD_ROW)
    february = write_file(
        "february.csv", HEADER + "invoice,INV-1,C1,2024-02-05,2024-03-04,EUR,100.00,19.00\n"
    )

    result = run_import(customers, january, february)

    assert len(problems_at(result, january, 2, "number")) == 1
    assert len(problems_at(result, february, 2, "number")) == 1


def test_identical_duplicate_kept_once(engine, run_import, write_file):
    customers = write_file("customers.csv", CUSTOMERS_CSV)
    documents = write_file("documents.csv", HEADER + GOOD_ROW + GOOD_ROW)

    result = run_import(customers, documents)

    assert result.ok
    assert stored_counts(engine) == (2, 1, 0)


def test_bad_customer_row(engine, run_import, write_file):
    customers = write_file(
        "customers.csv", "customer_code,name,country,currency\nC1,Acme,Germany,EUR\nC2,,DE,EURO\n"
    )

    result = run_import(customers)

    assert (
        problems_at(result, customers, 2, "country")[0].reason
        == "is not an ISO 3166 alpha-2 country code such as DE"
    )
    assert problems_at(result, customers, 3, "name")[0].reason == "is missing"
    assert problems_at(result, customers, 3, "currency")[0].value == "EURO"
    assert stored_counts(engine) == (0, 0, 0)


def test_bad_exchange_rate_rows(run_import, write_file):
    rates = write_file(
        "rates.csv",
        "currency,rate_date,rate\nUSD,2024-01-02,-0.9\nUSD,2024-01-03,0.12345678901\nEUR,2024-01-04,1\n",
    )

    result = run_import(rates)

    assert problems_at(result, rates, 2, "rate")[0].reason == "must be positive"
    assert problems_at(result, rates, 3, "rate")[0].reason == "has more than 10 decimals"
    assert (
        problems_at(result, rates, 4, "currency")[0].reason == "is the company currency; its rate is always 1"
    )
