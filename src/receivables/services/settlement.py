"""Settle a stored payment against one instalment, posting the early-payment discount it earns.

The rule is :func:`receivables.domain.discounts.settle_payment` on the instalment's frozen offers.
A payment on or before a deadline earns that offer's discount, in proportion when it is partial.
A payment after the last deadline earns none, so an amount the customer deducted stays open as a
short-pay residual. The service writes, in one transaction:

- an allocation of the applied part of the payment to the instalment, dated on the payment date
  (or the invoice date, for a payment received before the invoice);
- a ``discount`` document of the discount (with its tax part) for the customer, dated on the
  payment date at the payment's exchange rate, allocated to the same instalment. Its number is
  ``DSC-<payment>-<invoice>-<instalment>``, so the same settlement never posts it twice.

What the payment does not apply stays unapplied credit on the customer. Settling a payment
against an instalment it is already allocated to writes nothing and returns the stored outcome.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import polars as pl
from sqlalchemy import Connection, Engine, text

from receivables.domain.discounts import (
    DiscountOffer,
    DiscountSettlement,
    applicable_offer,
    format_decimal,
    settle_payment,
)
from receivables.domain.documents import DocumentKind
from receivables.domain.money import Money
from receivables.services.instalments import (
    SettlementError,
    StoredCredit,
    StoredInstalment,
    read_credit,
    read_instalments,
)
from receivables.storage.bulk import (
    ALLOCATION_SCHEMA,
    DOCUMENT_SCHEMA,
    write_allocations,
    write_documents,
)

log = logging.getLogger(__name__)

MAX_NUMBER_LENGTH = 64
DOCUMENT_ROW_SCHEMA = DOCUMENT_SCHEMA | {"instalment": pl.Int64()}
ALLOCATION_ROW_SCHEMA = ALLOCATION_SCHEMA | {"target_instalment": pl.Int64()}


@dataclass(frozen=True)
class SettlementOutcome:
    """The outcome of settling a payment on an instalment; ``written`` is False on a repeat."""

    invoice: str
    instalment: int
    payment: str
    payment_date: date
    currency: str
    applied: Money
    discount: Money
    discount_net: Money
    discount_tax: Money
    offer: DiscountOffer | None
    discount_number: str | None
    residual: Money
    unapplied: Money
    written: bool

    def to_dict(self) -> dict[str, object]:
        def amount(value: Money) -> str:
            return str(value.amount)

        return {
            "invoice": self.invoice,
            "instalment": self.instalment,
            "payment": self.payment,
            "payment_date": self.payment_date.isoformat(),
            "currency": self.currency,
            "applied": amount(self.applied),
            "discount": amount(self.discount),
            "discount_net": amount(self.discount_net),
            "discount_tax": amount(self.discount_tax),
            "discount_percent": None if self.offer is None else format_decimal(self.offer.percent),
            "discount_deadline": None if self.offer is None else self.offer.deadline.isoformat(),
            "discount_document": self.discount_number,
            "residual": amount(self.residual),
            "settled": self.residual.amount == 0,
            "payment_unapplied": amount(self.unapplied),
            "written": self.written,
        }


def discount_number(payment: str, invoice: str, instalment: int) -> str:
    """Return the number of the discount document of one settlement, at most 64 characters."""
    number = f"DSC-{payment}-{invoice}-{instalment}"
    if len(number) <= MAX_NUMBER_LENGTH:
        return number
    digest = hashlib.sha256(f"{payment}\x00{invoice}\x00{instalment}".encode()).hexdigest()
    return f"DSC-{digest[:40]}"


def settle_invoice(
    engine: Engine,
    invoice: str,
    payment: str,
    *,
    instalment: int | None = None,
    amount: Decimal | None = None,
    kind: DocumentKind = DocumentKind.INVOICE,
) -> SettlementOutcome:
    """Settle stored ``payment`` against one instalment of ``invoice``, the first open by default.

    ``amount`` is the part of the payment meant for this instalment; by default all that is still
    unapplied on it. Raises :class:`SettlementError` when a document is missing, belongs to
    another customer or currency, the instalment is closed or the payment has nothing left.
    """
    with engine.begin() as connection:
        items = read_instalments(connection, kind.value, invoice)
        if not items:
            raise SettlementError(f"{kind.value} {invoice} not found; import it first")
        credit = read_credit(connection, DocumentKind.PAYMENT.value, payment)
        _check_parties(items[0], credit)
        repeated = _earlier_settlement(connection, items, credit, instalment)
        if repeated is not None:
            return repeated
        item = _chosen(items, instalment)
        return _settle(connection, item, credit, amount)


def _check_parties(item: StoredInstalment, credit: StoredCredit) -> None:
    if credit.customer_id != item.customer_id:
        raise SettlementError(
            f"payment {credit.number} and {item.kind} {item.number} belong to different customers"
        )
    if credit.currency != item.currency:
        raise SettlementError(
            f"payment {credit.number} is in {credit.currency}, {item.kind} {item.number} in "
            f"{item.currency}; allocate within one currency"
        )


def _earlier_settlement(
    connection: Connection,
    items: list[StoredInstalment],
    credit: StoredCredit,
    instalment: int | None,
) -> SettlementOutcome | None:
    """Return the stored outcome when this payment already settled the instalment, else None."""
    candidates = [item for item in items if instalment is None or item.instalment == instalment]
    for item in candidates:
        applied = connection.execute(
            text(
                "SELECT SUM(amount_minor) FROM allocations WHERE source_document_id = :source "
                "AND target_document_id = :target"
            ),
            {"source": credit.document_id, "target": item.document_id},
        ).scalar()
        if applied is not None:
            return _stored_outcome(connection, item, credit, int(applied))
    return None


def _stored_outcome(
    connection: Connection, item: StoredInstalment, credit: StoredCredit, applied_minor: int
) -> SettlementOutcome:
    number = discount_number(credit.number, item.number, item.instalment)
    row = connection.execute(
        text(
            "SELECT amount_minor, tax_minor FROM documents WHERE kind = :kind AND number = :number"
        ),
        {"kind": DocumentKind.DISCOUNT.value, "number": number},
    ).first()
    currency = item.currency
    discount = Money.from_minor(int(row[0]) if row else 0, currency)
    tax = Money.from_minor(int(row[1]) if row else 0, currency)
    offer = applicable_offer(item.to_domain(), credit.document_date) if row else None
    return SettlementOutcome(
        item.number, item.instalment, credit.number, credit.document_date, currency,
        Money.from_minor(applied_minor, currency), discount, discount - tax, tax, offer,
        number if row else None, Money.from_minor(item.open_minor, currency),
        Money.from_minor(credit.unapplied_minor, currency), written=False,
    )  # fmt: skip


def _chosen(items: list[StoredInstalment], instalment: int | None) -> StoredInstalment:
    if instalment is not None:
        for item in items:
            if item.instalment == instalment:
                return item
        numbers = ", ".join(str(item.instalment) for item in items)
        raise SettlementError(
            f"{items[0].kind} {items[0].number} has no instalment {instalment}; it has {numbers}"
        )
    for item in items:
        if item.open_minor > 0:
            return item
    raise SettlementError(f"{items[0].kind} {items[0].number} is settled; nothing is open on it")


def _settle(
    connection: Connection, item: StoredInstalment, credit: StoredCredit, amount: Decimal | None
) -> SettlementOutcome:
    if item.open_minor <= 0:
        raise SettlementError(f"{item.name} is settled; nothing is open on it")
    paid = _payment_part(credit, amount)

    outcome = settle_payment(
        item.to_domain(),
        Money.from_minor(item.open_minor, item.currency),
        credit.document_date,
        paid,
    )
    on = max(credit.document_date, item.document_date)
    number = (
        discount_number(credit.number, item.number, item.instalment) if outcome.discount else None
    )

    allocations = []
    if outcome.applied:
        allocations.append(_allocation(credit.kind, credit.number, item, on, outcome.applied))
    if number is not None:
        write_documents(connection, _discount_document(number, item, credit, outcome))
        allocations.append(
            _allocation(DocumentKind.DISCOUNT.value, number, item, on, outcome.discount)
        )
    if allocations:
        write_allocations(connection, pl.DataFrame(allocations, schema=ALLOCATION_ROW_SCHEMA))
    log.info(
        "settled payment %s against %s: %s applied, %s discount, %s still open",
        credit.number, item.name, outcome.applied, outcome.discount, outcome.residual,
    )  # fmt: skip
    unapplied = Money.from_minor(credit.unapplied_minor, credit.currency) - outcome.applied
    return SettlementOutcome(
        item.number, item.instalment, credit.number, credit.document_date, item.currency,
        outcome.applied, outcome.discount, outcome.discount_net, outcome.discount_tax,
        outcome.offer, number, outcome.residual, unapplied, written=True,
    )  # fmt: skip


def _payment_part(credit: StoredCredit, amount: Decimal | None) -> Money:
    unapplied = Money.from_minor(credit.unapplied_minor, credit.currency)
    if amount is None:
        if unapplied.amount <= 0:
            raise SettlementError(f"payment {credit.number} is fully allocated; nothing is left")
        return unapplied
    part = Money.of(amount, credit.currency)
    if part.amount <= 0 or not part.is_rounded():
        raise SettlementError(f"amount {part} must be positive and rounded to {credit.currency}")
    if part > unapplied:
        raise SettlementError(
            f"amount {part} is more than the {unapplied} still unapplied on payment {credit.number}"
        )
    return part


def _discount_document(
    number: str, item: StoredInstalment, credit: StoredCredit, outcome: DiscountSettlement
) -> pl.DataFrame:
    offer = outcome.offer
    percent = "" if offer is None else f" {format_decimal(offer.percent)}%"
    reference = f"early-payment discount{percent} on {item.name}, payment {credit.number}"
    row = {
        "customer_code": item.customer_code,
        "kind": DocumentKind.DISCOUNT.value,
        "number": number,
        "document_date": credit.document_date,
        "due_date": credit.document_date,
        "currency": item.currency,
        "amount_minor": outcome.discount.minor_units(),
        "tax_minor": outcome.discount_tax.minor_units(),
        "fx_rate": credit.fx_rate,
        "disputed": False,
        "reference": reference[:140],
        "instalment": 1,
    }
    return pl.DataFrame([row], schema=DOCUMENT_ROW_SCHEMA)


def _allocation(
    kind: str, number: str, item: StoredInstalment, on: date, amount: Money
) -> dict[str, object]:
    return {
        "source_kind": kind,
        "source_number": number,
        "target_kind": item.kind,
        "target_number": item.number,
        "target_instalment": item.instalment,
        "allocation_date": on,
        "amount_minor": amount.minor_units(),
    }
