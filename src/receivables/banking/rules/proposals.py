"""Proposals: which open items a bank transaction pays, how much each, and why."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from receivables.banking.rules.settings import Fit, Outcome, Rule


@dataclass(frozen=True, slots=True)
class OpenItem:
    """An invoice or debit note with what is still open on it, in its own currency."""

    document_id: int
    customer_id: int
    number: str
    document_date: date
    due_date: date
    currency: str
    open_minor: int


@dataclass(frozen=True, slots=True)
class Part:
    """What a proposal does to one open item, in minor units of the item's currency.

    ``allocation`` comes from the payment; ``discount`` (cash discount taken), ``bank_charges``
    and ``exchange_difference`` are settled by credit documents; ``short`` is left open, as a
    residual or as a disputed deduction.
    """

    document_id: int
    allocation: int
    discount: int = 0
    bank_charges: int = 0
    exchange_difference: int = 0
    short: int = 0

    @property
    def settled(self) -> int:
        return self.allocation + self.discount + self.bank_charges + self.exchange_difference


@dataclass(frozen=True)
class Proposal:
    """A proposed match of one bank transaction, with its confidence and evidence.

    ``payment_minor`` is the amount of the payment document in ``currency`` (the items'
    currency; a payment in another currency is converted); ``unapplied_minor`` is what stays on
    the customer's account as unapplied credit.
    """

    transaction_id: int
    rule: Rule
    fit: Fit
    confidence: Decimal
    customer_id: int | None
    currency: str
    payment_minor: int
    parts: tuple[Part, ...] = ()
    unapplied_minor: int = 0
    evidence: tuple[str, ...] = ()
    outcome: Outcome = Outcome.UNMATCHED
    exchange_rate: Decimal | None = None
    details: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def item_ids(self) -> frozenset[int]:
        return frozenset(part.document_id for part in self.parts)

    def signature(self) -> str:
        """A hash of what the proposal would do, so a re-run recognizes the same proposal."""
        parts = sorted(
            (
                p.document_id,
                p.allocation,
                p.discount,
                p.bank_charges,
                p.exchange_difference,
                p.short,
            )
            for p in self.parts
        )
        text = f"{self.customer_id}|{self.rule}|{self.currency}|{self.payment_minor}|{parts}"
        return hashlib.sha256(text.encode()).hexdigest()

    def with_outcome(self, outcome: Outcome, *evidence: str) -> Proposal:
        return replace(self, outcome=outcome, evidence=(*self.evidence, *evidence))

    def capped(self, cap: Decimal, reason: str) -> Proposal:
        if self.confidence <= cap:
            return replace(self, evidence=(*self.evidence, reason))
        return replace(self, confidence=cap, evidence=(*self.evidence, reason))
