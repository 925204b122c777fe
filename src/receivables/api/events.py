"""The facts the API announces to webhook subscribers, each under a key that makes it unique."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, func, select

from receivables.api.common import money_text
from receivables.api.outbound import enqueue
from receivables.credit.holds import holds_placed_since
from receivables.credit.serialize import hold_dict
from receivables.domain.documents import DEBIT_KINDS
from receivables.domain.money import Currency
from receivables.dunning.promises import list_promises
from receivables.storage.models import AllocationRow, CustomerRow, DocumentRow


def announce_hold(engine: Engine, hold: dict[str, Any]) -> None:
    """``customer.on_hold``: a customer was put on credit hold (one event per hold placed)."""
    enqueue(engine, "customer.on_hold", f"{hold['customer']}:{hold['placed_at']}", hold)


def announce_recent_holds(engine: Engine, since: datetime) -> int:
    """``customer.on_hold`` for every hold placed since ``since``, wherever it was placed.

    Holds placed through the API are announced at once; this finds those placed on the command
    line or by the credit review. A hold already announced is not queued again, and a
    subscription created after the hold does not get it. Returns how many were queued.
    """
    queued = 0
    for hold in holds_placed_since(engine, since):
        values = hold_dict(hold)
        key = f"{values['customer']}:{values['placed_at']}"
        queued += enqueue(engine, "customer.on_hold", key, values, occurred_at=hold.placed_at)
    return queued


def announce_paid(engine: Engine, documents: list[dict[str, Any]]) -> None:
    """``invoice.paid``: each invoice or instalment whose open amount reached zero."""
    for document in documents:
        key = f"{document['kind']}:{document['number']}:{document['instalment']}"
        enqueue(engine, "invoice.paid", key, document)


def announce_broken_promises(engine: Engine, first: date, last: date) -> int:
    """``promise.broken``: each promise to pay found broken on a day from ``first`` to ``last``."""
    count = 0
    for promise in list_promises(engine, "broken"):
        closed = promise["closed_on"]
        if closed is not None and first.isoformat() <= str(closed) <= last.isoformat():
            enqueue(engine, "promise.broken", str(promise["id"]), promise)
            count += 1
    return count


def paid_documents(engine: Engine, targets: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """The debit documents among ``targets`` with nothing left open, with the date they were settled."""
    debit = [kind.value for kind in DEBIT_KINDS]
    numbers = sorted({number for kind, number in targets if kind in debit})
    if not numbers:
        return []
    allocated = (
        select(
            AllocationRow.target_document_id,
            func.sum(AllocationRow.amount_minor).label("allocated"),
            func.max(AllocationRow.allocation_date).label("paid_on"),
        )
        .group_by(AllocationRow.target_document_id)
        .subquery()
    )
    query = (
        select(
            DocumentRow.kind,
            DocumentRow.number,
            DocumentRow.instalment,
            DocumentRow.currency,
            DocumentRow.amount_minor,
            CustomerRow.code,
            allocated.c.paid_on,
        )
        .join(allocated, allocated.c.target_document_id == DocumentRow.id)
        .join(CustomerRow, CustomerRow.id == DocumentRow.customer_id)
        .where(
            DocumentRow.number.in_(numbers),
            DocumentRow.kind.in_(debit),
            allocated.c.allocated >= DocumentRow.amount_minor,
        )
    )
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    return [
        {
            "customer": row.code,
            "kind": row.kind,
            "number": row.number,
            "instalment": row.instalment,
            "amount": money_text(row.amount_minor, Currency.of(row.currency)),
            "currency": row.currency,
            "paid_on": str(row.paid_on),
        }
        for row in rows
        if (row.kind, row.number) in set(targets)
    ]
