"""Customers, documents and allocations: the records the ledger is made of.

Sign convention: every document carries a positive gross ``amount`` in its own currency. The
``kind`` says which side it is on:

- debit documents (invoice, debit note) are open items: the customer owes their amount;
- credit documents (credit note, payment, write-off) reduce what the customer owes, first as
  unapplied credit and then, through allocations, against particular open items.

An allocation applies part of a credit document to one open item on a date. Both documents must
belong to the same customer and currency.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from receivables.domain.errors import InvalidDocumentError
from receivables.domain.money import Money


class DocumentKind(StrEnum):
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"
    DEBIT_NOTE = "debit_note"
    PAYMENT = "payment"
    WRITE_OFF = "write_off"

    @property
    def is_debit(self) -> bool:
        """Whether documents of this kind are open items the customer owes."""
        return self in DEBIT_KINDS

    @property
    def is_sale(self) -> bool:
        """Whether the kind counts in net credit sales (invoices, debit notes, minus credit notes)."""
        return self in SALES_KINDS


DEBIT_KINDS = frozenset({DocumentKind.INVOICE, DocumentKind.DEBIT_NOTE})
CREDIT_KINDS = frozenset({DocumentKind.CREDIT_NOTE, DocumentKind.PAYMENT, DocumentKind.WRITE_OFF})
SALES_KINDS = frozenset({DocumentKind.INVOICE, DocumentKind.DEBIT_NOTE, DocumentKind.CREDIT_NOTE})


@dataclass(frozen=True, slots=True)
class Customer:
    """A customer, identified by the code it has in the ERP."""

    code: str
    name: str
    country: str | None = None
    currency: str | None = None
    industry: str | None = None
    segment: str | None = None


@dataclass(frozen=True, slots=True)
class DocumentKey:
    """The natural key of a document: its kind and its number (invoice 4711 and payment 4711 differ)."""

    kind: DocumentKind
    number: str

    def __str__(self) -> str:
        return f"{self.kind.value} {self.number}"


@dataclass(frozen=True, slots=True)
class Document:
    """An invoice, credit note, debit note, payment or write-off.

    ``amount`` is the gross amount (tax included) and ``tax`` its tax part, both in the document's
    currency. ``fx_rate`` is the number of company-currency units per unit of the document's
    currency on the document date; it is 1 for documents in the company currency.
    """

    key: DocumentKey
    customer_code: str
    document_date: date
    due_date: date
    amount: Money
    tax: Money
    fx_rate: Decimal = Decimal(1)
    disputed: bool = False

    def __post_init__(self) -> None:
        number = str(self.key)
        if self.amount.amount <= 0:
            raise InvalidDocumentError(
                number, f"amount {self.amount} must be positive; the kind gives the sign"
            )
        if not self.amount.is_rounded():
            raise InvalidDocumentError(
                number, f"amount {self.amount} has more decimals than its currency allows"
            )
        if self.tax.currency != self.amount.currency:
            raise InvalidDocumentError(
                number, f"tax {self.tax} is not in the document currency {self.amount.currency}"
            )
        if not self.tax.is_rounded() or not Decimal(0) <= self.tax.amount <= self.amount.amount:
            raise InvalidDocumentError(
                number, f"tax {self.tax} must lie between 0 and the amount {self.amount}"
            )
        if self.due_date < self.document_date:
            raise InvalidDocumentError(
                number, f"due date {self.due_date} is before the document date {self.document_date}"
            )
        if self.fx_rate <= 0:
            raise InvalidDocumentError(number, f"exchange rate {self.fx_rate} must be positive")

    @property
    def kind(self) -> DocumentKind:
        return self.key.kind

    @property
    def number(self) -> str:
        return self.key.number

    @property
    def is_debit(self) -> bool:
        return self.key.kind.is_debit

    @property
    def company_amount_factor(self) -> Decimal:
        """The rate that converts this document's amounts to the company currency."""
        return self.fx_rate


@dataclass(frozen=True, slots=True)
class Allocation:
    """``amount`` of credit document ``source`` applied to open item ``target`` on ``allocation_date``."""

    source: DocumentKey
    target: DocumentKey
    allocation_date: date
    amount: Money
