"""Bank statements and transactions as the readers deliver them, whatever the file format.

Sign convention: ``BankTransaction.amount`` is signed from our side of the account. A positive
amount is a credit (money received, such as a customer's payment); a negative amount is a debit
(money paid out, fees, returned direct debits).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from receivables.domain.money import Money


class StatementFormat(StrEnum):
    """The file formats the readers understand."""

    CAMT_052 = "camt.052"
    CAMT_053 = "camt.053"
    CAMT_054 = "camt.054"
    MT940 = "mt940"
    MT942 = "mt942"
    BAI2 = "bai2"
    OFX = "ofx"
    CSV = "csv"


class ReferenceKind(StrEnum):
    """The scheme of a structured payment reference.

    ``rf`` is an ISO 11649 creditor reference, ``qrr`` a Swiss QR reference, ``isr`` a Swiss ISR
    (ESR) reference and ``other`` any reference the bank marked as structured without a scheme
    we can check.
    """

    RF = "rf"
    QRR = "qrr"
    ISR = "isr"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class BankTransaction:
    """One booked credit or debit, with what the bank told about the payer and the purpose.

    ``counterparty_iban`` holds the payer's account only when it is a valid IBAN;
    ``counterparty_account`` keeps the account identifier as the file gave it. ``position``
    names where the transaction sits in its file (line or element path), for error messages.
    """

    sequence: int
    amount: Money
    booking_date: date
    value_date: date | None = None
    counterparty_name: str | None = None
    counterparty_account: str | None = None
    counterparty_iban: str | None = None
    counterparty_bic: str | None = None
    remittance_text: str = ""
    structured_reference: str | None = None
    reference_kind: ReferenceKind | None = None
    end_to_end_id: str | None = None
    bank_reference: str | None = None
    transaction_code: str | None = None
    reversal: bool = False
    position: str = ""

    @property
    def is_credit(self) -> bool:
        return self.amount.amount > 0

    def identity(self, account: str) -> str:
        """The text that identifies this transaction on ``account``, before counting repeats."""
        parts = [
            account,
            self.booking_date.isoformat(),
            self.value_date.isoformat() if self.value_date else "",
            str(self.amount.minor_units()),
            self.amount.currency.code,
            self.bank_reference or "",
            self.end_to_end_id or "",
            self.structured_reference or "",
            self.counterparty_account or "",
            " ".join(self.remittance_text.split()),
        ]
        return "\x1f".join(parts)


@dataclass(frozen=True)
class BankStatement:
    """A statement (camt.053, MT940, BAI2 account, OFX statement), report or notification."""

    file: str
    format: StatementFormat
    statement_key: str
    account: str
    currency: str | None
    transactions: tuple[BankTransaction, ...]
    from_date: date | None = None
    to_date: date | None = None
    opening_balance: Money | None = None
    closing_balance: Money | None = None
    created_at: datetime | None = None
    position: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)

    def fingerprints(self) -> list[str]:
        """One SHA-256 per transaction: its identity plus how often the same identity came before.

        Two identical lines in one statement (two payments of 100.00 by the same payer without
        a reference) stay two transactions; the same statement read twice gives the same list.
        """
        seen: dict[str, int] = {}
        result = []
        for transaction in self.transactions:
            identity = transaction.identity(self.account)
            occurrence = seen.get(identity, 0)
            seen[identity] = occurrence + 1
            result.append(hashlib.sha256(f"{identity}\x1f{occurrence}".encode()).hexdigest())
        return result

    def content_sha256(self) -> str:
        """The hash of the statement's key, account and transactions, whatever file held them."""
        digest = hashlib.sha256(f"{self.format}\x1f{self.account}\x1f{self.statement_key}".encode())
        for fingerprint in self.fingerprints():
            digest.update(fingerprint.encode())
        return digest.hexdigest()

    @property
    def period(self) -> tuple[date, date] | None:
        """The first and last day the statement covers, from its header or else its lines."""
        if self.from_date and self.to_date:
            return self.from_date, self.to_date
        dates = [transaction.booking_date for transaction in self.transactions]
        return (min(dates), max(dates)) if dates else None
