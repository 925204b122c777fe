"""Disputes on open items: opening, resolving and listing them.

Opening a dispute flags the document ``disputed`` in the ledger, and resolving the last open
dispute of a document clears the flag, so the report's disputed share and the dunning run see
the same items. A dispute pauses dunning of its item only; the customer's other items go on.

NOTE: an import that carries a ``disputed`` column overwrites the flag; such a ledger should
keep disputes either in the ERP or here, not in both.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, text, update

from receivables.domain.dunning.disputes import (
    DisputeStatus,
    Resolution,
    check_amount,
    check_resolution,
    parse_reason,
)
from receivables.domain.dunning.roles import Action
from receivables.domain.money import Currency, Money
from receivables.dunning.audit import record
from receivables.dunning.errors import NotFoundError
from receivables.dunning.open_amounts import open_items_of
from receivables.dunning.users import acting_user
from receivables.storage.dunning_models import DisputeRow
from receivables.storage.models import DocumentRow


def _documents(connection: Connection, number: str) -> list[Any]:
    """Return the invoice or debit note ``number``: one row per instalment, first one first."""
    rows = connection.execute(
        select(DocumentRow.id, DocumentRow.customer_id, DocumentRow.currency)
        .where(DocumentRow.number == number, DocumentRow.kind.in_(["invoice", "debit_note"]))
        .order_by(DocumentRow.instalment, DocumentRow.id)
    ).all()
    if not rows:
        raise NotFoundError("invoice or debit note", number)
    return list(rows)


def open_dispute(
    connection: Connection,
    number: str,
    reason: str,
    as_of: date,
    company: Currency,
    amount: Decimal | None = None,
    owner: str | None = None,
    user: str | None = None,
    note: str | None = None,
) -> int:
    """Open a dispute on the item ``number``; the amount defaults to all that is open.

    Of an invoice paid in instalments, the dispute goes on the first instalment still open.
    """
    name = acting_user(connection, user, Action.OPEN_DISPUTE)
    code = parse_reason(reason)
    documents = _documents(connection, number)
    open_by_id = {
        item.document_id: item.open_minor
        for item in open_items_of(connection, documents[0].customer_id, as_of, company)
    }
    document = next((row for row in documents if open_by_id.get(row.id, 0) > 0), documents[0])
    open_minor = open_by_id.get(document.id, 0)
    amount_minor = (
        open_minor if amount is None else Money.of(amount, document.currency).minor_units()
    )
    check_amount(amount_minor, open_minor)
    dispute_id = connection.execute(
        insert(DisputeRow)
        .values(
            document_id=document.id,
            customer_id=document.customer_id,
            reason=code.value,
            amount_minor=amount_minor,
            currency=document.currency,
            owner=owner or name,
            opened_on=as_of,
            opened_by=name,
            status=DisputeStatus.OPEN.value,
            note=note,
        )
        .returning(DisputeRow.id)
    ).scalar_one()
    connection.execute(
        update(DocumentRow).where(DocumentRow.id == document.id).values(disputed=True)
    )
    detail = {
        "dispute_id": dispute_id,
        "document": number,
        "reason": code.value,
        "amount": str(Money.from_minor(amount_minor, document.currency)),
    }
    record(connection, name, "dispute_opened", detail, customer_id=document.customer_id)
    return int(dispute_id)


def resolve_dispute(
    connection: Connection,
    dispute_id: int,
    resolution: str,
    as_of: date,
    user: str | None = None,
    credit_note: str | None = None,
    note: str | None = None,
) -> None:
    """Resolve a dispute; a ``credit_note`` resolution names the credit note that settles it."""
    name = acting_user(connection, user, Action.RESOLVE_DISPUTE)
    try:
        outcome = Resolution(resolution)
    except ValueError as error:
        allowed = ", ".join(item.value for item in Resolution)
        raise ValueError(f"resolution {resolution!r} is unknown; use one of {allowed}") from error
    dispute = connection.execute(
        select(*DisputeRow.__table__.columns).where(DisputeRow.id == dispute_id)
    ).first()
    if dispute is None:
        raise NotFoundError("dispute", dispute_id)
    check_resolution(DisputeStatus(dispute.status))
    if outcome is Resolution.CREDIT_NOTE:
        _check_credit_note(connection, credit_note, dispute.customer_id)
    connection.execute(
        update(DisputeRow)
        .where(DisputeRow.id == dispute_id)
        .values(
            status=DisputeStatus.RESOLVED.value,
            resolution=outcome.value,
            resolved_on=as_of,
            resolved_by=name,
            credit_note_number=credit_note,
            note=note or dispute.note,
        )
    )
    still_open = connection.execute(
        text("SELECT COUNT(*) FROM disputes WHERE document_id = :d AND status = 'open'"),
        {"d": dispute.document_id},
    ).scalar_one()
    if not still_open:
        connection.execute(
            update(DocumentRow).where(DocumentRow.id == dispute.document_id).values(disputed=False)
        )
    detail = {"dispute_id": dispute_id, "resolution": outcome.value, "credit_note": credit_note}
    record(connection, name, "dispute_resolved", detail, customer_id=dispute.customer_id)


def _check_credit_note(connection: Connection, number: str | None, customer_id: int) -> None:
    if not number:
        raise ValueError(
            "a credit_note resolution needs --credit-note NUMBER of the credit note issued"
        )
    found = connection.execute(
        select(DocumentRow.id).where(
            DocumentRow.number == number,
            DocumentRow.kind == "credit_note",
            DocumentRow.customer_id == customer_id,
        )
    ).first()
    if found is None:
        raise NotFoundError("credit note of the disputing customer", number)


def list_disputes(engine: Engine, status: str | None = None) -> list[dict[str, Any]]:
    sql = (
        "SELECT s.id, c.code, d.number, s.reason, s.amount_minor, s.currency, s.owner, "
        "s.opened_on, s.status, s.resolution, s.resolved_on, s.credit_note_number FROM disputes s "
        "JOIN documents d ON d.id = s.document_id JOIN customers c ON c.id = s.customer_id"
    )
    params = {"status": status} if status else {}
    where = " WHERE s.status = :status" if status else ""
    with engine.connect() as connection:
        rows = connection.execute(text(f"{sql}{where} ORDER BY s.opened_on, s.id"), params)
        return [
            {
                "id": row.id,
                "customer_code": row.code,
                "document": row.number,
                "reason": row.reason,
                "amount": str(Money.from_minor(row.amount_minor, row.currency).amount),
                "currency": row.currency,
                "owner": row.owner,
                "opened_on": str(row.opened_on),
                "status": row.status,
                "resolution": row.resolution,
                "resolved_on": str(row.resolved_on) if row.resolved_on else None,
                "credit_note": row.credit_note_number,
            }
            for row in rows
        ]
