"""The seeded synthetic company: customers, two years of documents, allocations and rates.

:func:`generate_company` builds the demo company; :func:`generate_benchmark` builds ledgers of any
size in chunks of independent customers, so a 10-million-invoice ledger never sits in memory at
once. The same seed always gives the same frames.

What the ledger contains, and the rules it keeps (those of :mod:`receivables.domain.ledger`):

- invoices with seasonality and growth, payment terms of net 14, 30 or 60 days, end of month
  plus 30 days, two instalments (half at 30 days, the rest at 60) or 2/10 net 30, VAT for
  domestic customers, and a share in USD and GBP at each document's own daily exchange rate;
- payments, often several invoices per transfer, on time, early less a 2 % cash discount
  (posted as a discount document), late, in parts, short by bank charges, or too much
  (unapplied credit);
- credit notes for returns and corrections (some left unapplied) and for settled disputes;
- late-payment debit notes, customers whose payments deteriorate, and defaulters whose open
  items are written off 180 days after they stopped paying;
- allocations that never exceed an item's or a credit document's amount, are dated on or after
  both documents, and link documents of one customer and currency.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import numpy as np
import polars as pl

from receivables.demo.assemble import Numbering, allocation_rows, credit_documents, item_documents
from receivables.demo.calendar import Calendar
from receivables.demo.customers import COMPANY_CURRENCY, make_customers
from receivables.demo.fx import RatePath
from receivables.demo.invoices import Items, make_invoices
from receivables.demo.parts import LedgerParts
from receivables.demo.payments import interest_debit_notes, record_payments, write_offs
from receivables.demo.settlement import Lines, credit_notes, payment_lines

DEFAULT_SEED = 2024
DEFAULT_START = date(2023, 1, 1)
DEFAULT_END = date(2024, 12, 31)
INVOICES_PER_CUSTOMER = 60  # over the two default years: about 2.5 a month on average
BENCHMARK_INVOICES_PER_CUSTOMER = 500
BENCHMARK_CHUNK = 500_000
ANNUAL_GROWTH = 0.12


@dataclass(frozen=True)
class DemoLedger:
    """Frames in the storage bulk schemas, the exchange rates, and the last day of the data."""

    customers: pl.DataFrame
    documents: pl.DataFrame
    allocations: pl.DataFrame
    exchange_rates: pl.DataFrame
    as_of: date
    company_currency: str = COMPANY_CURRENCY

    @property
    def row_count(self) -> int:
        frames = (self.customers, self.documents, self.allocations, self.exchange_rates)
        return sum(frame.height for frame in frames)


def _concat_items(first: Items, second: Items) -> Items:
    return Items(
        *(
            np.concatenate([getattr(first, name), getattr(second, name)])
            for name in Items.__dataclass_fields__
        )
    )


def _chunk(
    rng: np.random.Generator, calendar: Calendar, rates: RatePath, customers: int, invoices: int,
    numbering: Numbering, code_offset: int,
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:  # fmt: skip
    """Generate one group of customers with exactly ``invoices`` invoices and all that follows."""
    book = make_customers(rng, customers, calendar, code_offset)
    parts = LedgerParts()
    invoice_items = make_invoices(rng, book, invoices, calendar)
    resolution = credit_notes(rng, invoice_items, book, calendar, parts)
    lines, last_day, short = payment_lines(rng, invoice_items, book, calendar, parts, resolution)
    notes, note_source, note_lines = interest_debit_notes(rng, invoice_items, lines, book, calendar)

    items = _concat_items(invoice_items, notes)
    all_lines = Lines(
        *(np.concatenate([getattr(lines, n), getattr(note_lines, n)]) for n in ("item", "day", "amount"))
    )
    record_payments(rng, all_lines, items, book, parts)
    write_offs(
        items, book, calendar, parts,
        np.concatenate([last_day, notes.due]),
        np.concatenate([short, np.zeros(notes.size, dtype=np.bool_)]),
    )  # fmt: skip

    item_rows, item_index = item_documents(rng, invoice_items, notes, note_source, book, rates, numbering)
    credit_rows, credit_numbers = credit_documents(parts, item_index, book, rates, numbering)
    documents = pl.concat([item_rows, credit_rows]).sort("document_date", "kind", "number", "instalment")
    return book.frame, documents, allocation_rows(parts, item_index, credit_numbers)


def _check_sizes(customers: int, invoices: int) -> None:
    if customers < 1:
        raise ValueError(f"customers {customers} must be at least 1")
    if invoices < customers:
        raise ValueError(f"invoices {invoices} must be at least the number of customers ({customers})")


def generate_company(
    seed: int = DEFAULT_SEED,
    customers: int = 400,
    invoices: int | None = None,
    start: date = DEFAULT_START,
    end: date = DEFAULT_END,
) -> DemoLedger:
    """Generate the demo company: ``customers`` customers and their documents from ``start`` to ``end``.

    ``invoices`` defaults to 60 per customer. The ledger is as of ``end``: documents that would
    be dated later do not exist yet, so what they would settle is still open.
    """
    invoices = customers * INVOICES_PER_CUSTOMER if invoices is None else invoices
    _check_sizes(customers, invoices)
    if end <= start:
        raise ValueError(f"end {end} must be after start {start}")
    calendar = Calendar.build(start, end, ANNUAL_GROWTH)
    rates_seed, chunk_seed = np.random.SeedSequence(seed).spawn(2)
    rates = RatePath.draw(np.random.default_rng(rates_seed), calendar)
    frames = _chunk(np.random.default_rng(chunk_seed), calendar, rates, customers, invoices, Numbering(), 0)
    return DemoLedger(*frames, exchange_rates=rates.frame(), as_of=end)


def generate_benchmark(
    n_open_items: int,
    seed: int = DEFAULT_SEED,
    chunk_items: int = BENCHMARK_CHUNK,
    start: date = DEFAULT_START,
    end: date = DEFAULT_END,
) -> Iterator[DemoLedger]:
    """Yield a benchmark ledger of exactly ``n_open_items`` invoices, in chunks of ``chunk_items``.

    Each chunk has its own customers, one per 500 invoices. Customer codes and document numbers
    continue those of the previous chunk, and the exchange rates come with the first chunk only.
    Debit notes for late payment come on top of the invoices, about 1 % of them.
    """
    if chunk_items < 1:
        raise ValueError(f"chunk_items {chunk_items} must be at least 1")
    _check_sizes(1, n_open_items)
    calendar = Calendar.build(start, end, ANNUAL_GROWTH)
    chunks = -(-n_open_items // chunk_items)
    rates_seed, *chunk_seeds = np.random.SeedSequence(seed).spawn(1 + chunks)
    rates = RatePath.draw(np.random.default_rng(rates_seed), calendar)
    numbering = Numbering(width=max(6, len(str(n_open_items * 2))))
    empty_rates = rates.frame().clear()
    code_offset = 0
    for index, chunk_seed in enumerate(chunk_seeds):
        invoices = min(chunk_items, n_open_items - index * chunk_items)
        customers = max(1, invoices // BENCHMARK_INVOICES_PER_CUSTOMER)
        rng = np.random.default_rng(chunk_seed)
        frames = _chunk(rng, calendar, rates, customers, invoices, numbering, code_offset)
        code_offset += customers
        yield DemoLedger(*frames, exchange_rates=rates.frame() if index == 0 else empty_rates, as_of=end)
