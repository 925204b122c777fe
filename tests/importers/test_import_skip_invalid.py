"""--skip-invalid: the valid rows are written, the rejected ones go to a rejects CSV per file."""

from __future__ import annotations

import polars as pl
from import_helpers import CUSTOMERS_CSV, stored_counts, stored_documents

DOCUMENTS = """
    kind,number,customer_code,document_date,due_date,currency,amount,reference
    invoice,INV-1,C1,2024-01-05,2024-02-04,EUR,100.00,"Order 7, line 2"
    invoice,INV-2,C1,2024-01-05,2024-02-04,EUR,ten,
    payment,PAY-1,C1,2024-01-20,,EUR,150.00,
"""
ALLOCATIONS = """
    source_kind,source_number,target_kind,target_number,allocation_date,amount,currency
    payment,PAY-1,invoice,INV-1,2024-01-20,100.00,EUR
    payment,PAY-1,invoice,INV-2,2024-01-20,50.00,EUR
"""


def test_valid_rows_written(engine, run_import, write_file):
    files = [
        write_file("customers.csv", CUSTOMERS_CSV),
        write_file("documents.csv", DOCUMENTS),
        write_file("allocations.csv", ALLOCATIONS),
    ]

    result = run_import(*files, skip_invalid=True)

    assert result.committed
    assert stored_documents(engine)["number"].to_list() == ["INV-1", "PAY-1"]
    assert stored_counts(engine) == (2, 2, 1)


def test_rejected_counts_per_file(run_import, write_file):
    files = [
        write_file("customers.csv", CUSTOMERS_CSV),
        write_file("documents.csv", DOCUMENTS),
        write_file("allocations.csv", ALLOCATIONS),
    ]

    result = run_import(*files, skip_invalid=True)

    assert [(item.rows_read, item.rows_rejected, item.rows_imported) for item in result.files] == [
        (2, 0, 2),
        (3, 1, 2),
        (2, 1, 1),
    ]


def test_rejects_file_contents(run_import, write_file, tmp_path):
    files = [
        write_file("customers.csv", CUSTOMERS_CSV),
        write_file("documents.csv", DOCUMENTS),
        write_file("allocations.csv", ALLOCATIONS),
    ]

    result = run_import(*files, skip_invalid=True, rejects_dir=tmp_path / "rejects")
    rejects = pl.read_csv(result.files[1].rejects_file, infer_schema=False)

    assert result.files[1].rejects_file == tmp_path / "rejects" / "documents.rejects.csv"
    assert rejects.columns == [
        "kind",
        "number",
        "customer_code",
        "document_date",
        "due_date",
        "currency",
        "amount",
        "reference",
        "row",
        "column",
        "reason",
    ]
    assert rejects.row(0) == (
        "invoice",
        "INV-2",
        "C1",
        "2024-01-05",
        "2024-02-04",
        "EUR",
        "ten",
        None,
        "3",
        "amount",
        "is not a number in the expected format",
    )


def test_dependent_row_rejected(run_import, write_file):
    files = [
        write_file("customers.csv", CUSTOMERS_CSV),
        write_file("documents.csv", DOCUMENTS),
        write_file("allocations.csv", ALLOCATIONS),
    ]

    result = run_import(*files, skip_invalid=True)
    rejects = pl.read_csv(result.files[2].rejects_file, infer_schema=False)

    assert rejects["target_number"].to_list() == ["INV-2"]
    assert rejects["reason"].to_list() == ["invoice INV-2 was rejected (documents.csv row 3)"]


def test_rejects_next_to_input(run_import, write_file, tmp_path):
    files = [write_file("customers.csv", CUSTOMERS_CSV), write_file("documents.csv", DOCUMENTS)]

    result = run_import(*files, skip_invalid=True)

    assert result.files[0].rejects_file is None
    assert result.files[1].rejects_file == tmp_path / "documents.rejects.csv"


def test_quoted_fields_kept_in_rejects(run_import, write_file):
    documents = write_file(
        "documents.csv",
        "kind,number,customer_code,document_date,due_date,currency,amount,reference\n"
        'invoice,INV-3,C1,2024-01-05,2024-02-04,EUR,1.5.0,"first line\nsecond, line"\n',
    )
    customers = write_file("customers.csv", CUSTOMERS_CSV)

    result = run_import(customers, documents, skip_invalid=True)
    rejects = pl.read_csv(result.files[1].rejects_file, infer_schema=False)

    assert rejects["reference"].to_list() == ["first line\nsecond, line"]
    assert rejects["row"].to_list() == ["2"]


def test_unusable_file_rejects_every_row(engine, run_import, write_file):
    customers = write_file("customers.csv", CUSTOMERS_CSV)
    documents = write_file("documents.csv", "kind,number,customer_code\ninvoice,INV-1,C1\ninvoice,INV-2,C1\n")

    result = run_import(customers, documents, skip_invalid=True)
    rejects = pl.read_csv(result.files[1].rejects_file, infer_schema=False)

    assert rejects["row"].to_list() == ["2", "3"]
    assert set(rejects["reason"].to_list()) == {"required column 'document_date' is missing"}
    assert stored_counts(engine) == (2, 0, 0)


def test_several_problems_in_one_row(run_import, write_file):
    customers = write_file("customers.csv", CUSTOMERS_CSV)
    documents = write_file(
        "documents.csv",
        "kind,number,customer_code,document_date,due_date,currency,amount\nbill,INV-1,C1,2024-13-01,2024-02-04,EUR,x\n",
    )

    result = run_import(customers, documents, skip_invalid=True)
    rejects = pl.read_csv(result.files[1].rejects_file, infer_schema=False)

    assert rejects["column"].to_list() == ["kind; document_date; amount"]
