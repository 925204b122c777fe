"""Reading stored instalments back as domain values: open amounts and frozen discount offers.

Used by the single actions on one invoice (settlement) and by the runs that need each open item
with its own due date (late charges). Amounts stay integer minor units until a domain value is
built from them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, text

from receivables.domain.discounts import DiscountOffer
from receivables.domain.errors import ReceivablesError
from receivables.domain.money import Money
from receivables.domain.schedules import Instalment
from receivables.storage.frames import FX_SCALE


class SettlementError(ReceivablesError, ValueError):
    """A payment cannot settle the instalment it was given: not found, another customer, spent."""


@dataclass(frozen=True)
class StoredInstalment:
    """One instalment of a stored invoice or debit note, with what is still open on it."""

    document_id: int
    customer_id: int
    customer_code: str
    kind: str
    number: str
    instalment: int
    document_date: date
    due_date: date
    currency: str
    amount_minor: int
    tax_minor: int
    fx_rate: str
    open_minor: int
    discount_offers: str | None

    def to_domain(self) -> Instalment:
        """Return the instalment with its frozen offers, as ``PaymentTerm.schedule`` made it."""
        offers = json.loads(self.discount_offers) if self.discount_offers else []
        return Instalment(
            number=self.instalment,
            due_date=self.due_date,
            amount=Money.from_minor(self.amount_minor, self.currency),
            tax=Money.from_minor(self.tax_minor, self.currency),
            offers=tuple(DiscountOffer.from_dict(offer, self.currency) for offer in offers),
            unadjusted_due_date=self.due_date,
        )

    @property
    def name(self) -> str:
        if self.instalment == 1:
            return f"{self.kind} {self.number}"
        return f"{self.kind} {self.number} instalment {self.instalment}"


def _as_date(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


# The rate read as an integer of 1e-10 units, exact on both databases (SQLite keeps NUMERIC
# values as binary floats), then written back as decimal text.
FX_RATE_SQL = f"CAST(ROUND(d.fx_rate * {FX_SCALE}) AS BIGINT)"


def _rate_text(scaled: object) -> str:
    return format((Decimal(int(str(scaled))) / FX_SCALE).normalize(), "f")


def read_instalments(connection: Connection, kind: str, number: str) -> list[StoredInstalment]:
    """Return every instalment of document ``kind number``, lowest number first."""
    rows = connection.execute(
        text(
            "SELECT d.id, d.customer_id, c.code, d.kind, d.number, d.instalment, d.document_date, "
            f"d.due_date, d.currency, d.amount_minor, d.tax_minor, {FX_RATE_SQL}, "
            "d.amount_minor - COALESCE((SELECT SUM(a.amount_minor) FROM allocations a "
            "WHERE a.target_document_id = d.id), 0), d.discount_offers "
            "FROM documents d JOIN customers c ON c.id = d.customer_id "
            "WHERE d.kind = :kind AND d.number = :number ORDER BY d.instalment"
        ),
        {"kind": kind, "number": number},
    ).all()
    return [_stored_instalment(row) for row in rows]


def _stored_instalment(row: Sequence[Any]) -> StoredInstalment:
    return StoredInstalment(
        int(row[0]), int(row[1]), str(row[2]), str(row[3]), str(row[4]), int(row[5]),
        _as_date(row[6]), _as_date(row[7]), str(row[8]), int(row[9]), int(row[10]),
        _rate_text(row[11]), int(row[12]), row[13],
    )  # fmt: skip


@dataclass(frozen=True)
class StoredCredit:
    """A stored credit document with what is still unapplied on it."""

    document_id: int
    customer_id: int
    kind: str
    number: str
    document_date: date
    currency: str
    amount_minor: int
    fx_rate: str
    unapplied_minor: int


def read_credit(connection: Connection, kind: str, number: str) -> StoredCredit:
    """Return credit document ``kind number``; raise :class:`SettlementError` when not stored."""
    row = connection.execute(
        text(
            "SELECT d.id, d.customer_id, d.kind, d.number, d.document_date, d.currency, "
            f"d.amount_minor, {FX_RATE_SQL}, "
            "d.amount_minor - COALESCE((SELECT SUM(a.amount_minor) FROM allocations a "
            "WHERE a.source_document_id = d.id), 0) "
            "FROM documents d WHERE d.kind = :kind AND d.number = :number AND d.instalment = 1"
        ),
        {"kind": kind, "number": number},
    ).first()
    if row is None:
        raise SettlementError(f"{kind} {number} not found; import it first")
    return StoredCredit(
        int(row[0]), int(row[1]), str(row[2]), str(row[3]), _as_date(row[4]), str(row[5]),
        int(row[6]), _rate_text(row[7]), int(row[8]),
    )  # fmt: skip
