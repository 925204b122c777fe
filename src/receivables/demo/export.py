"""CSV files of a generated ledger in the generic import layout, as an ERP export would give them.

One file per record type (exchange rates, customers, documents, allocations), UTF-8 with a header
row, ISO dates, amounts in major units with a decimal point and booleans as ``true``/``false``.
A benchmark ledger comes in chunks; each chunk is appended to the same four files.

Customers carry their payment term, and invoices come without a due date, one row per invoice
with its whole amount: the importer dates them, splits them into instalments and freezes their
discount offers from the customer's term. Allocations name the instalment they settle.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from receivables.demo.generator import DemoLedger
from receivables.domain.money import Currency

FILE_NAMES = {
    "exchange_rates": "exchange_rates.csv",
    "customers": "customers.csv",
    "documents": "documents.csv",
    "allocations": "allocations.csv",
}


@dataclass(frozen=True)
class ExportFiles:
    """The written files in import order (rates, customers, documents, allocations) and their rows."""

    paths: dict[str, Path]
    rows: dict[str, int]

    @property
    def ordered(self) -> list[Path]:
        return [self.paths[name] for name in FILE_NAMES]

    @property
    def row_count(self) -> int:
        return sum(self.rows.values())


def major_units(amount: str, currency: str, codes: Iterable[str]) -> pl.Expr:
    """Format integer minor units as a major-unit decimal string: 123450 EUR becomes ``1234.50``."""
    digits_of = {code: Currency.of(code).minor_unit for code in codes}
    result = pl.col(amount).cast(pl.String)
    for digits in sorted(set(digits_of.values()) - {0}):
        scale = 10**digits
        whole = (pl.col(amount) // scale).cast(pl.String)
        fraction = (pl.col(amount) % scale).cast(pl.String).str.zfill(digits)
        codes_with = [code for code, value in digits_of.items() if value == digits]
        formatted = pl.concat_str([whole, pl.lit("."), fraction])
        result = pl.when(pl.col(currency).is_in(codes_with)).then(formatted).otherwise(result)
    return result


def _customers(ledger: DemoLedger) -> pl.DataFrame:
    return ledger.customers.rename({"code": "customer_code"})


def _whole_invoices(documents: pl.DataFrame) -> pl.DataFrame:
    """Put the instalments of each invoice back together, without a due date."""
    invoice = pl.col("kind") == "invoice"
    whole = (
        documents.filter(invoice)
        .group_by("number", maintain_order=True)
        .agg(
            pl.all().exclude("amount_minor", "tax_minor").first(),
            pl.col("amount_minor").sum(),
            pl.col("tax_minor").sum(),
        )
        .with_columns(pl.lit(None, pl.Date).alias("due_date"))
    )
    others = documents.filter(~invoice)
    return pl.concat([whole.select(documents.columns), others]).sort(
        "document_date", "kind", "number", maintain_order=True
    )


def _documents(ledger: DemoLedger) -> pl.DataFrame:
    documents = _whole_invoices(ledger.documents)
    codes = documents["currency"].unique().to_list()
    return documents.select(
        "kind", "number", "customer_code", "document_date", "due_date", "currency",
        major_units("amount_minor", "currency", codes).alias("amount"),
        major_units("tax_minor", "currency", codes).alias("tax_amount"),
        "fx_rate", "disputed", "reference",
    )  # fmt: skip


def _allocations(ledger: DemoLedger) -> pl.DataFrame:
    sources = ledger.documents.filter(pl.col("instalment") == 1).select(
        pl.col("kind").alias("source_kind"), pl.col("number").alias("source_number"), "currency"
    )
    frame = ledger.allocations.join(
        sources, on=["source_kind", "source_number"], how="left", maintain_order="left"
    )
    codes = frame["currency"].unique().drop_nulls().to_list()
    return frame.select(
        "source_kind", "source_number", "target_kind", "target_number", "target_instalment",
        "allocation_date", major_units("amount_minor", "currency", codes).alias("amount"),
        "currency",
    )  # fmt: skip


def write_export(ledgers: DemoLedger | Iterable[DemoLedger], directory: Path) -> ExportFiles:
    """Write the ledger (or its chunks, in order) as the four CSV files in ``directory``.

    Existing files of the same names are replaced.
    """
    chunks = [ledgers] if isinstance(ledgers, DemoLedger) else ledgers
    directory.mkdir(parents=True, exist_ok=True)
    paths = {name: directory / file_name for name, file_name in FILE_NAMES.items()}
    rows = dict.fromkeys(FILE_NAMES, 0)
    builders = {
        "exchange_rates": lambda ledger: ledger.exchange_rates,
        "customers": _customers,
        "documents": _documents,
        "allocations": _allocations,
    }
    handles = {name: path.open("wb") for name, path in paths.items()}
    try:
        for index, ledger in enumerate(chunks):
            for name, build in builders.items():
                frame = build(ledger)
                if index > 0 and frame.is_empty():
                    continue
                frame.write_csv(handles[name], include_header=index == 0, date_format="%Y-%m-%d")
                rows[name] += frame.height
    finally:
        for handle in handles.values():
            handle.close()
    return ExportFiles(paths, rows)
