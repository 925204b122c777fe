"""The dated values a payment term gives one invoice: its instalments and their schedule.

A :class:`PaymentSchedule` is frozen at invoicing and stored with the invoice (``to_dict`` and
``from_dict`` round-trip), so a later change of the customer's term moves no due date and no
discount deadline of an invoice already issued.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from receivables.domain.discounts import DiscountOffer
from receivables.domain.money import Money


@dataclass(frozen=True, slots=True)
class Instalment:
    """One dated part of an invoice: an open item of its own in the ledger.

    ``unadjusted_due_date`` is the due date before the business-day adjustment.
    """

    number: int
    due_date: date
    amount: Money
    tax: Money
    offers: tuple[DiscountOffer, ...]
    unadjusted_due_date: date

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "due_date": self.due_date.isoformat(),
            "unadjusted_due_date": self.unadjusted_due_date.isoformat(),
            "amount": str(self.amount.amount),
            "tax": str(self.tax.amount),
            "discounts": [offer.to_dict() for offer in self.offers],
        }

    @staticmethod
    def from_dict(values: dict[str, Any], currency: str) -> Instalment:
        return Instalment(
            number=int(values["number"]),
            due_date=date.fromisoformat(values["due_date"]),
            amount=Money.of(values["amount"], currency),
            tax=Money.of(values["tax"], currency),
            offers=tuple(DiscountOffer.from_dict(offer, currency) for offer in values["discounts"]),
            unadjusted_due_date=date.fromisoformat(values["unadjusted_due_date"]),
        )


@dataclass(frozen=True, slots=True)
class PaymentSchedule:
    """The instalments of one invoice, frozen at invoicing, with the text of their term."""

    invoice_date: date
    term: str
    amount: Money
    tax: Money
    instalments: tuple[Instalment, ...]

    @property
    def due_date(self) -> date:
        """The latest due date: the invoice's final due date."""
        return max(instalment.due_date for instalment in self.instalments)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready form for storage, which :meth:`from_dict` reads back unchanged."""
        return {
            "invoice_date": self.invoice_date.isoformat(),
            "term": self.term,
            "currency": self.amount.currency.code,
            "amount": str(self.amount.amount),
            "tax": str(self.tax.amount),
            "instalments": [instalment.to_dict() for instalment in self.instalments],
        }

    @staticmethod
    def from_dict(values: dict[str, Any]) -> PaymentSchedule:
        currency = str(values["currency"])
        return PaymentSchedule(
            invoice_date=date.fromisoformat(values["invoice_date"]),
            term=str(values["term"]),
            amount=Money.of(values["amount"], currency),
            tax=Money.of(values["tax"], currency),
            instalments=tuple(
                Instalment.from_dict(item, currency) for item in values["instalments"]
            ),
        )
