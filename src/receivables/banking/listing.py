"""Listings of imported bank transactions for the review commands."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, text

from receivables.banking.errors import ReviewError
from receivables.banking.transitions import TransactionStatus
from receivables.domain.money import Money


def list_lines(engine: Engine, status: str | None = None) -> list[dict[str, Any]]:
    """Bank transactions in booking order, optionally only those of one status."""
    if status is not None and status not in {item.value for item in TransactionStatus}:
        choices = ", ".join(item.value for item in TransactionStatus)
        raise ReviewError(f"unknown status {status!r}; use one of {choices}")
    sql = (
        "SELECT id, booking_date, amount_minor, currency, counterparty_name, "
        "COALESCE(structured_reference, end_to_end_id) AS reference, remittance_text, status "
        "FROM bank_transactions"
        + (" WHERE status = :status" if status else "")
        + " ORDER BY booking_date, id"
    )
    with engine.connect() as connection:
        rows = connection.execute(text(sql), {"status": status} if status else {}).all()
    return [
        {
            "id": row[0],
            "booking_date": str(row[1]),
            "amount": str(Money.from_minor(row[2], row[3]).amount),
            "currency": row[3],
            "payer": row[4],
            "reference": row[5],
            "text": row[6],
            "status": row[7],
        }
        for row in rows
    ]
