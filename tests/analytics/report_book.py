"""A small ledger written line by line, as an accountant lists it, for the report tests.

The same book gives the Polars frames the analytics read, the domain ``Ledger`` whose single-item
rules the vectorized figures must agree with, and rows stored through the bulk writers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import polars as pl
from sqlalchemy import Engine

from receivables.analytics import LedgerFrames, Report, compute_report
from receivables.domain.aging import AgingBuckets
from receivables.domain.documents import Allocation, Document, DocumentKey, DocumentKind
from receivables.domain.ledger import Ledger
from receivables.domain.money import Money
from receivables.storage.bulk import write_allocations, write_customers, write_documents
from receivables.storage.frames import FX_SCALE


def day(text: str) -> date:
    return date.fromisoformat(text)


@dataclass
class ReportBook:
    """Documents and allocations of a test ledger; amounts in major units, dates as ISO text."""

    documents: list[Document] = field(default_factory=list)
    allocations: list[Allocation] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)

    def _add(
        self,
        kind: DocumentKind,
        number: str,
        customer: str,
        on: str,
        due: str | None,
        amount: str,
        currency: str,
        rate: str,
        disputed: bool,
    ) -> None:
        self.names.setdefault(customer, f"Customer {customer}")
        money = Money.of(amount, currency)
        self.documents.append(
            Document(
                DocumentKey(kind, number),
                customer,
                day(on),
                day(due or on),
                money,
                Money.zero(currency),
                Decimal(rate),
                disputed,
            )
        )

    def invoice(
        self,
        number: str,
        customer: str,
        on: str,
        *,
        due: str,
        amount: str,
        currency: str = "EUR",
        rate: str = "1",
        disputed: bool = False,
    ) -> None:
        self._add(DocumentKind.INVOICE, number, customer, on, due, amount, currency, rate, disputed)

    def debit_note(
        self,
        number: str,
        customer: str,
        on: str,
        *,
        due: str,
        amount: str,
        currency: str = "EUR",
        rate: str = "1",
    ) -> None:
        self._add(DocumentKind.DEBIT_NOTE, number, customer, on, due, amount, currency, rate, False)

    def credit_note(
        self, number: str, customer: str, on: str, *, amount: str, currency: str = "EUR", rate: str = "1"
    ) -> None:
        self._add(DocumentKind.CREDIT_NOTE, number, customer, on, None, amount, currency, rate, False)

    def payment(
        self, number: str, customer: str, on: str, *, amount: str, currency: str = "EUR", rate: str = "1"
    ) -> None:
        self._add(DocumentKind.PAYMENT, number, customer, on, None, amount, currency, rate, False)

    def write_off(self, number: str, customer: str, on: str, *, amount: str, currency: str = "EUR") -> None:
        self._add(DocumentKind.WRITE_OFF, number, customer, on, None, amount, currency, "1", False)

    def allocate(self, source: str, target: str, on: str, amount: str) -> None:
        """Apply ``amount`` of credit document ``source`` to open item ``target`` (both by number)."""
        source_document, target_document = self._find(source), self._find(target)
        self.allocations.append(
            Allocation(
                source_document.key,
                target_document.key,
                day(on),
                Money.of(amount, target_document.amount.currency),
            )
        )

    def _find(self, number: str) -> Document:
        return next(document for document in self.documents if document.number == number)

    def ledger(self) -> Ledger:
        """The domain ledger of the book; it raises if an allocation breaks a ledger rule."""
        return Ledger(self.documents, self.allocations)

    def document_rows(self) -> list[dict[str, object]]:
        customer_ids = {code: index for index, code in enumerate(sorted(self.names), start=1)}
        return [
            {
                "document_id": index,
                "customer_id": customer_ids[document.customer_code],
                "customer_code": document.customer_code,
                "kind": document.kind.value,
                "number": document.number,
                "document_date": document.document_date,
                "due_date": document.due_date,
                "currency": document.amount.currency.code,
                "amount_minor": document.amount.minor_units(),
                "tax_minor": document.tax.minor_units(),
                "fx_rate_scaled": int(document.fx_rate * FX_SCALE),
                "disputed": document.disputed,
            }
            for index, document in enumerate(self.documents, start=1)
        ]

    def frames(self) -> LedgerFrames:
        """The frames ``load_ledger`` would read for this book, built without a database."""
        documents = pl.DataFrame(self.document_rows(), schema=DOCUMENT_FRAME_SCHEMA)
        ids = {(row["kind"], row["number"]): row["document_id"] for row in documents.iter_rows(named=True)}
        allocations = pl.DataFrame(
            [
                {
                    "source_id": ids[(allocation.source.kind.value, allocation.source.number)],
                    "target_id": ids[(allocation.target.kind.value, allocation.target.number)],
                    "allocation_date": allocation.allocation_date,
                    "amount_minor": allocation.amount.minor_units(),
                }
                for allocation in self.allocations
            ],
            schema=ALLOCATION_FRAME_SCHEMA,
        )
        customers = pl.DataFrame(
            [
                {"customer_id": index, "customer_code": code, "name": self.names[code]}
                for index, code in enumerate(sorted(self.names), start=1)
            ],
            schema={"customer_id": pl.Int64, "customer_code": pl.String, "name": pl.String},
        )
        return LedgerFrames(documents, allocations, customers)

    def store(self, engine: Engine) -> None:
        """Write the book into a migrated database with the storage bulk writers."""
        customers = pl.DataFrame(
            [
                {
                    "code": code,
                    "name": name,
                    "country": None,
                    "currency": None,
                    "industry": None,
                    "segment": None,
                }
                for code, name in self.names.items()
            ]
        )
        documents = pl.DataFrame(
            [
                {
                    "customer_code": document.customer_code,
                    "kind": document.kind.value,
                    "number": document.number,
                    "document_date": document.document_date,
                    "due_date": document.due_date,
                    "currency": document.amount.currency.code,
                    "amount_minor": document.amount.minor_units(),
                    "tax_minor": document.tax.minor_units(),
                    "fx_rate": str(document.fx_rate),
                    "disputed": document.disputed,
                    "reference": None,
                }
                for document in self.documents
            ]
        )
        allocations = pl.DataFrame(
            [
                {
                    "source_kind": allocation.source.kind.value,
                    "source_number": allocation.source.number,
                    "target_kind": allocation.target.kind.value,
                    "target_number": allocation.target.number,
                    "allocation_date": allocation.allocation_date,
                    "amount_minor": allocation.amount.minor_units(),
                }
                for allocation in self.allocations
            ],
            schema={
                "source_kind": pl.String,
                "source_number": pl.String,
                "target_kind": pl.String,
                "target_number": pl.String,
                "allocation_date": pl.Date,
                "amount_minor": pl.Int64,
            },
        )
        with engine.begin() as connection:
            write_customers(connection, customers)
            write_documents(connection, documents)
            write_allocations(connection, allocations)


DOCUMENT_FRAME_SCHEMA = {
    "document_id": pl.Int64, "customer_id": pl.Int64, "customer_code": pl.String, "kind": pl.String,
    "number": pl.String, "document_date": pl.Date, "due_date": pl.Date, "currency": pl.String,
    "amount_minor": pl.Int64, "tax_minor": pl.Int64, "fx_rate_scaled": pl.Int64, "disputed": pl.Boolean,
}  # fmt: skip
ALLOCATION_FRAME_SCHEMA = {
    "source_id": pl.Int64, "target_id": pl.Int64, "allocation_date": pl.Date, "amount_minor": pl.Int64,
}  # fmt: skip


def report_of(
    book: ReportBook, as_of: str, *, currency: str = "EUR", trend: bool = False, **options: object
) -> Report:
    """The report of ``book`` as of ``as_of`` (no trend unless asked), checked against the domain rules."""
    book.ledger()
    return compute_report(
        book.frames(),
        as_of=day(as_of),
        company_currency=currency,
        trend=trend,
        buckets=options.pop("buckets", AgingBuckets()),
        **options,  # type: ignore[arg-type]
    )
