"""The CSV export of the synthetic company, in the generic import layout."""

import csv
from pathlib import Path

import polars as pl
import pytest

from receivables.demo.export import major_units, write_export
from receivables.demo.generator import generate_benchmark, generate_company


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    ledger = generate_company(seed=3, customers=40)
    return ledger, write_export(ledger, tmp_path_factory.mktemp("export"))


def header(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle))


def test_headers_follow_layout(export):
    _, files = export

    assert header(files.paths["customers"]) == [
        "customer_code",
        "name",
        "country",
        "currency",
        "industry",
        "segment",
        "payment_term",
    ]
    assert header(files.paths["documents"]) == [
        "kind", "number", "customer_code", "document_date", "due_date", "currency",
        "amount", "tax_amount", "fx_rate", "disputed", "reference",
    ]  # fmt: skip
    assert header(files.paths["allocations"]) == [
        "source_kind", "source_number", "target_kind", "target_number", "target_instalment",
        "allocation_date", "amount", "currency",
    ]  # fmt: skip
    assert header(files.paths["exchange_rates"]) == ["currency", "rate_date", "rate"]


def test_files_in_import_order(export):
    _, files = export

    assert [path.name for path in files.ordered] == [
        "exchange_rates.csv", "customers.csv", "documents.csv", "allocations.csv",
    ]  # fmt: skip


def test_amounts_in_major_units(export):
    ledger, files = export
    written = pl.read_csv(files.paths["documents"], schema_overrides={"amount": pl.String})
    first = ledger.documents.row(0, named=True)
    whole = ledger.documents.filter(
        (pl.col("kind") == first["kind"]) & (pl.col("number") == first["number"])
    )["amount_minor"].sum()

    assert written["amount"][0] == f"{whole // 100}.{whole % 100:02d}"
    assert written.height == ledger.documents.filter(pl.col("instalment") == 1).height


def test_invoices_left_to_their_terms(export):
    ledger, files = export
    written = pl.read_csv(files.paths["documents"]).filter(pl.col("kind") == "invoice")
    customers = pl.read_csv(files.paths["customers"])

    assert written["due_date"].null_count() == written.height
    assert written.height == ledger.documents.filter(pl.col("kind") == "invoice")["number"].n_unique()
    assert set(customers["payment_term"]) >= {"net30", "eom+30", "50% net30, net60", "2/10 net30"}


def test_allocations_carry_source_currency(export):
    ledger, files = export
    written = pl.read_csv(files.paths["allocations"])

    assert written.height == ledger.allocations.height
    assert set(written["currency"].unique().to_list()) <= {"EUR", "USD", "GBP"}
    assert written["currency"].null_count() == 0


def test_booleans_and_dates_as_text(export):
    _, files = export
    lines = files.paths["documents"].read_text(encoding="utf-8").splitlines()[1:50]

    assert all(",true," in line or ",false," in line for line in lines)
    assert lines[0].split(",")[3].count("-") == 2


def test_major_units_by_currency():
    frame = pl.DataFrame({"amount": [123450, 5, 1234], "currency": ["EUR", "JPY", "KWD"]})
    formatted = frame.select(major_units("amount", "currency", ["EUR", "JPY", "KWD"]))["amount"].to_list()

    assert formatted == ["1234.50", "5", "1.234"]


def test_chunks_append_to_files(tmp_path):
    files = write_export(generate_benchmark(2_000, seed=1, chunk_items=1_000), tmp_path)
    documents = pl.read_csv(files.paths["documents"])

    assert documents.filter(pl.col("kind") == "invoice").height == 2_000
    assert documents.height == files.rows["documents"]
    assert header(files.paths["customers"]) == [
        "customer_code",
        "name",
        "country",
        "currency",
        "industry",
        "segment",
        "payment_term",
    ]
