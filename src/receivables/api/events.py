"""The facts the API announces to webhook subscribers, each under a key that makes it unique."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Engine

from receivables.api.outbound import enqueue
from receivables.dunning.promises import list_promises


def announce_hold(engine: Engine, hold: dict[str, Any]) -> None:
    """``customer.on_hold``: a customer was put on credit hold (one event per hold placed)."""
    enqueue(engine, "customer.on_hold", f"{hold['customer']}:{hold['placed_at']}", hold)


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
