"""Turn the generator's arrays into frames in the storage bulk schemas, with document numbers.

Numbers run per kind in date order (``INV-000001``, ``PAY-000001``...); the two instalments of an
invoice share its number. A :class:`Numbering` carries the counters from one chunk of a
benchmark ledger to the next, so numbers stay unique.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import polars as pl

from receivables.demo.customers import COMPANY_CURRENCY, CustomerBook
from receivables.demo.fx import RatePath, micro_to_decimal
from receivables.demo.invoices import Items
from receivables.demo.parts import CREDIT_KINDS, REASONS, CreditBatch, LedgerParts
from receivables.storage.bulk import ALLOCATION_SCHEMA, DOCUMENT_SCHEMA

Ints = npt.NDArray[np.int64]

# The bulk schemas with the instalment columns the writers take as optional.
DOCUMENT_FRAME_SCHEMA = DOCUMENT_SCHEMA | {"instalment": pl.Int64()}
ALLOCATION_FRAME_SCHEMA = ALLOCATION_SCHEMA | {"target_instalment": pl.Int64()}

PREFIXES = {
    "invoice": "INV-",
    "debit_note": "DN-",
    "credit_note": "CN-",
    "payment": "PAY-",
    "write_off": "WO-",
    "discount": "DSC-",
}


@dataclass
class Numbering:
    """The next sequence number of each document kind and the width numbers are padded to."""

    width: int = 6
    used: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PREFIXES, 0))

    def assign(self, kind: str, day: Ints) -> pl.Series:
        """Number documents of ``kind`` in order of ``day`` (then position); return them by position."""
        count = day.shape[0]
        rank = np.empty(count, dtype=np.int64)
        rank[np.lexsort((np.arange(count), day))] = np.arange(count)
        sequence = pl.Series(self.used[kind] + 1 + rank).cast(pl.String).str.zfill(self.width)
        self.used[kind] += count
        return PREFIXES[kind] + sequence


@dataclass(frozen=True)
class ItemIndex:
    """Kind, number and instalment of every open item, by item index (invoices, then debit notes)."""

    kind: pl.Series
    number: pl.Series
    instalment: pl.Series


def _documents(
    kind: str, numbers: pl.Series, customer: Ints, day: Ints, due: Ints, amount: Ints, tax: Ints,
    disputed: npt.NDArray[np.bool_], reference: pl.Series, book: CustomerBook, rates: RatePath,
    instalment: Ints | None = None,
) -> pl.DataFrame:  # fmt: skip
    currency = book.currency[customer]
    micro = rates.micro_rates(currency, day)
    frame = pl.DataFrame(
        {
            "customer_code": book.frame["code"].gather(customer),
            "kind": pl.repeat(kind, customer.shape[0], eager=True, dtype=pl.String),
            "number": numbers,
            "document_date": pl.Series(day).cast(pl.Date),
            "due_date": pl.Series(due).cast(pl.Date),
            "currency": currency,
            "amount_minor": amount,
            "tax_minor": tax,
            "fx_rate": pl.Series(micro),
            "disputed": disputed,
            "reference": reference,
            "instalment": np.ones(customer.shape[0], np.int64) if instalment is None else instalment,
        }
    )
    company = pl.col("currency") == COMPANY_CURRENCY
    fx_rate = pl.when(company).then(pl.lit("1")).otherwise(micro_to_decimal(pl.col("fx_rate")))
    return frame.with_columns(fx_rate.alias("fx_rate")).select(
        [pl.col(name).cast(dtype) for name, dtype in DOCUMENT_FRAME_SCHEMA.items()]
    )


def item_documents(
    rng: np.random.Generator, invoices: Items, notes: Items, note_source: Ints, book: CustomerBook,
    rates: RatePath, numbering: Numbering,
) -> tuple[pl.DataFrame, ItemIndex]:  # fmt: skip
    """Return invoices and debit notes as document rows, and the numbers of all items."""
    first = invoices.instalment == 1
    invoice_of_item = np.cumsum(first) - 1
    invoice_numbers = numbering.assign("invoice", invoices.day[first]).gather(invoice_of_item)
    note_numbers = numbering.assign("debit_note", notes.day)
    orders = pl.Series(rng.integers(1_000_000, 10_000_000, int(first.sum()))).cast(pl.String)
    orders = orders.gather(invoice_of_item)
    frames = [
        _documents(
            "invoice", invoice_numbers, invoices.customer, invoices.day, invoices.due, invoices.amount,
            invoices.tax, invoices.disputed, "PO " + orders, book, rates, invoices.instalment,
        ),
        _documents(
            "debit_note", note_numbers, notes.customer, notes.day, notes.due, notes.amount, notes.tax,
            notes.disputed, "late payment interest and fee for " + invoice_numbers.gather(note_source),
            book, rates,
        ),
    ]  # fmt: skip
    kinds = pl.Series(["invoice"] * invoices.size + ["debit_note"] * notes.size, dtype=pl.String)
    instalments = pl.Series(np.concatenate([invoices.instalment, notes.instalment]))
    return pl.concat(frames), ItemIndex(kinds, pl.concat([invoice_numbers, note_numbers]), instalments)


def credit_documents(
    parts: LedgerParts, items: ItemIndex, book: CustomerBook, rates: RatePath, numbering: Numbering
) -> tuple[pl.DataFrame, dict[str, pl.Series]]:
    """Return credit notes, payments and write-offs as document rows, and their numbers by position."""
    frames, numbers = [], {}
    reasons = pl.Series(REASONS)
    for kind in CREDIT_KINDS:
        batch: CreditBatch = parts.batch(kind)
        numbers[kind] = numbering.assign(kind, batch.day)
        reference = reasons.gather(batch.reason) + ", " + items.number.gather(batch.first_item)
        disputed = np.zeros(batch.day.shape[0], dtype=np.bool_)
        frames.append(
            _documents(
                kind,
                numbers[kind],
                batch.customer,
                batch.day,
                batch.day,
                batch.amount,
                batch.tax,
                disputed,
                reference,
                book,
                rates,
            )
        )
    return pl.concat(frames), numbers


def allocation_rows(
    parts: LedgerParts, items: ItemIndex, credit_numbers: dict[str, pl.Series]
) -> pl.DataFrame:
    """Return every allocation as a row in the allocation bulk schema."""
    frames = []
    for kind, source, target, day, amount in parts.allocations:
        frames.append(
            pl.DataFrame(
                {
                    "source_kind": pl.repeat(kind, source.shape[0], eager=True, dtype=pl.String),
                    "source_number": credit_numbers[kind].gather(source),
                    "target_kind": items.kind.gather(target),
                    "target_number": items.number.gather(target),
                    "allocation_date": pl.Series(day).cast(pl.Date),
                    "amount_minor": amount,
                    "target_instalment": items.instalment.gather(target),
                },
                schema=ALLOCATION_FRAME_SCHEMA,
            )
        )
    if not frames:
        return pl.DataFrame(schema=ALLOCATION_FRAME_SCHEMA)
    return pl.concat(frames).sort("allocation_date", "source_kind", "source_number", "target_number")
