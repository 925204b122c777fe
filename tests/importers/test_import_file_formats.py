"""File formats: delimiters, byte order marks, quoted fields, encodings and XLSX workbooks."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import xlsxwriter
from import_helpers import CUSTOMERS_CSV, stored_counts, stored_documents
from sqlalchemy import text

from receivables.config import Settings
from receivables.importers.reading import sniff_delimiter
from receivables.storage.frames import load_customers

ROWS = [
    ["kind", "number", "customer_code", "document_date", "due_date", "currency", "amount", "reference"],
    ["invoice", "00042", "C1", "2024-01-05", "2024-02-04", "EUR", "1190.00", "Order 7, line 2"],
]


def stored_references(engine) -> list[str]:
    with engine.connect() as connection:
        return list(connection.execute(text("SELECT reference FROM documents ORDER BY number")).scalars())


def _delimited(delimiter: str) -> str:
    return "".join(
        delimiter.join(f'"{cell}"' if "," in cell else cell for cell in row) + "\n" for row in ROWS
    )


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"], ids=["comma", "semicolon", "tab", "pipe"])
def test_delimiter_sniffed(engine, run_import, write_file, delimiter):
    customers = write_file("customers.csv", CUSTOMERS_CSV)
    documents = write_file("documents.csv", _delimited(delimiter))

    result = run_import(customers, documents)

    assert result.ok
    assert stored_references(engine) == ["Order 7, line 2"]


def test_sniffing_prefers_consistent_rows():
    sample = "a;b;c\n1,5;2;3\n4,5;6;7\n"

    assert sniff_delimiter(sample) == ";"


def test_byte_order_mark_dropped(engine, run_import, write_file):
    customers = write_file("customers.csv", "\ufeff" + "customer_code,name\nC1,Acme\n")

    result = run_import(customers)

    assert result.ok
    assert stored_counts(engine)[0] == 1


def test_quoted_newline_keeps_rows(engine, run_import, write_file):
    customers = write_file(
        "customers.csv", 'customer_code,name\nC1,"Acme\nWerk 2"\nC2,"Brick, ""the"" Ltd"\nC3,x\n'
    )

    result = run_import(customers)
    names = load_customers(engine).sort("customer_code")["name"].to_list()

    assert result.ok
    assert names == ["Acme\nWerk 2", 'Brick, "the" Ltd', "x"]


def test_quoted_newline_row_numbers(run_import, write_file):
    customers = write_file("customers.csv", 'customer_code,name,country\nC1,"Acme\nWerk 2",DE\nC2,Brick,XX\n')

    result = run_import(customers)

    assert [(problem.row, problem.column) for problem in result.problems] == [(3, "country")]


def test_blank_lines_skipped(run_import, write_file):
    customers = write_file("customers.csv", "customer_code,name,country\nC1,Acme,DE\n\n,,\nC2,Brick,XX\n")

    result = run_import(customers)

    assert result.files[0].rows_read == 2
    assert [problem.row for problem in result.problems] == [5]


def test_utf16_export_read(engine, run_import, write_file):
    customers = write_file("customers.txt", "\ufeffcustomer_code\tname\nC1\tMüller\n", encoding="utf-16-le")

    result = run_import(customers)

    assert result.ok
    assert stored_counts(engine)[0] == 1


def test_invalid_utf8_reported(run_import, tmp_path):
    path = tmp_path / "customers.csv"
    path.write_bytes("customer_code,name\nC1,Acme\nC2,M\xfcller\n".encode("latin-1"))

    result = run_import(path)

    assert (
        result.problems[0].reason
        == "line 3 is not valid UTF-8; set encoding in a profile (for example cp1252)"
    )


def test_ragged_row_reported(run_import, write_file):
    customers = write_file("customers.csv", "customer_code,name\nC1,Acme\nC2,Brick,extra\n")

    result = run_import(customers)

    assert (result.problems[0].row, result.problems[0].reason) == (
        3,
        "the row has more fields than the header (delimiter ',')",
    )


def _workbook(path, sheet_name="Ledger"):
    workbook = xlsxwriter.Workbook(path)
    workbook.add_worksheet("Notes").write(0, 0, "exported 2024-02-01")
    sheet = workbook.add_worksheet(sheet_name)
    dates = workbook.add_format({"num_format": "dd.mm.yyyy"})
    sheet.write_row(
        0,
        0,
        ["kind", "number", "customer_code", "document_date", "due_date", "currency", "amount", "disputed"],
    )
    sheet.write_row(1, 0, ["invoice", "00042", "C1"])
    sheet.write_datetime(1, 3, datetime(2024, 1, 5), dates)
    sheet.write_datetime(1, 4, datetime(2024, 2, 4), dates)
    sheet.write_row(1, 5, ["EUR", 1190.1, True])
    sheet.write_row(2, 0, ["payment", 4711, "C1", "2024-01-20", None, "EUR", 500])
    workbook.close()
    return path


def test_xlsx_workbook_imported(engine, run_import, write_file, tmp_path):
    customers = write_file("customers.csv", CUSTOMERS_CSV)
    workbook = _workbook(tmp_path / "ledger.xlsx")
    settings = Settings(company_currency="EUR", profiles={"ledger-sheet": {"sheet": "Ledger"}})

    result = run_import(customers, workbook, profile="ledger-sheet", settings=settings)
    documents = stored_documents(engine).select("number", "document_date", "amount_minor", "disputed").rows()

    assert result.ok
    assert documents == [
        ("00042", date(2024, 1, 5), 119_010, True),
        ("4711", date(2024, 1, 20), 50_000, False),
    ]


def test_xlsx_row_numbers(run_import, tmp_path, write_file):
    customers = write_file("customers.csv", CUSTOMERS_CSV)
    workbook = _workbook(tmp_path / "ledger.xlsx")
    settings = Settings(company_currency="GBP", profiles={"ledger-sheet": {"sheet": 2}})

    result = run_import(customers, workbook, profile="ledger-sheet", settings=settings)

    assert {(problem.row, problem.column) for problem in result.problems} == {(2, "fx_rate"), (3, "fx_rate")}


def test_xlsx_missing_sheet(run_import, tmp_path):
    workbook = _workbook(tmp_path / "ledger.xlsx")
    settings = Settings(profiles={"other": {"sheet": "Invoices"}})

    result = run_import(workbook, profile="other", settings=settings)

    assert result.problems[0].reason == "sheet 'Invoices' not found; the workbook has sheets Notes, Ledger"


def test_not_a_workbook(run_import, write_file):
    fake = write_file("ledger.xlsx", "not a zip file")

    result = run_import(fake)

    assert result.problems[0].reason.startswith("the workbook cannot be read")
