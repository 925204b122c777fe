"""Customers, documents and allocations: the records the ledger is made of.

Sign convention: every document carries a positive gross ``amount`` in its own currency. The
``kind`` says which side it is on:

- debit documents (invoice, debit note) are open items: the customer owes their amount;
- credit documents (credit note, payment, write-off, discount) reduce what the customer owes,
  first as unapplied credit and then, through allocations, against particular open items.

An invoice paid in instalments is stored as one open item per instalment: the documents share
kind and number and differ in ``instalment`` (1, 2, ...), each with its own due date and amount.
Every other document is instalment 1.

A discount document is the early-payment discount a customer took, posted so the instalment
closes exactly. It reduces what the customer owes but not the credit sales: the sale stays what
was invoiced, and the discount is a cost of collecting it.

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
    DISCOUNT = "discount"

    @property
    def is_debit(self) -> bool:
        """Whether documents of this kind are open items the customer owes."""
        return self in DEBIT_KINDS

    @property
    def is_sale(self) -> bool:
        """Whether the kind counts in net credit sales (invoices, debit notes, minus credit notes)."""
        return self in SALES_KINDS


DEBIT_KINDS = frozenset({DocumentKind.INVOICE, DocumentKind.DEBIT_NOTE})
CREDIT_KINDS = frozenset(
    {DocumentKind.CREDIT_NOTE, DocumentKind.PAYMENT, DocumentKind.WRITE_OFF, DocumentKind.DISCOUNT}
)
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
    """The natural key of a document: kind, number and instalment.

    Invoice 4711 and payment 4711 differ. The instalments of one invoice share kind and number;
    every document that is not an instalment of a longer schedule is instalment 1.
    """

    kind: DocumentKind
    number: str
    instalment: int = 1

    def __post_init__(self) -> None:
        if isinstance(self.instalment, bool) or self.instalment < 1:
            raise InvalidDocumentError(
                f"{self.kind.value} {self.number}",
                f"instalment {self.instalment!r} must be a whole number from 1",
            )

    def __str__(self) -> str:
        if self.instalment == 1:
            return f"{self.kind.value} {self.number}"
        return f"{self.kind.value} {self.number} instalment {self.instalment}"


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
        if self.key.instalment != 1 and not self.key.kind.is_debit:
            raise InvalidDocumentError(
                number, "only invoices and debit notes have instalments; a credit document is 1"
            )

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
