"""The open items of one customer on a date, for single actions (a promise, a dispute, a case).

This is the same rule as the batch frames: amount less the allocations dated on or before the
date, converted at the document's own rate by :meth:`Money.convert` (what the batch conversion
equals item by item).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import Connection, text

from receivables.domain.money import Currency, Money
from receivables.dunning.errors import NotFoundError


@dataclass(frozen=True)
class OpenItem:
    document_id: int
    kind: str
    number: str
    document_date: date
    due_date: date
    currency: str
    amount_minor: int
    open_minor: int
    open_company_minor: int
    disputed: bool


def customer_id_of(connection: Connection, code: str) -> int:
    customer = connection.execute(
        text("SELECT id FROM customers WHERE code = :code"), {"code": code}
    ).scalar()
    if customer is None:
        raise NotFoundError("customer", code)
    return int(customer)


def open_items_of(
    connection: Connection, customer_id: int, as_of: date, company: Currency
) -> list[OpenItem]:
    """Return the customer's debit documents with an amount open at the end of ``as_of``."""
    rows = connection.execute(
        text(
            "SELECT d.id, d.kind, d.number, d.document_date, d.due_date, d.currency, "
            "d.amount_minor, d.fx_rate, d.disputed, COALESCE(SUM(a.amount_minor), 0) AS allocated "
            "FROM documents d LEFT JOIN allocations a ON a.target_document_id = d.id "
            "AND a.allocation_date <= :as_of "
            "WHERE d.customer_id = :customer AND d.kind IN ('invoice', 'debit_note') "
            "AND d.document_date <= :as_of "
            "GROUP BY d.id, d.kind, d.number, d.document_date, d.due_date, d.currency, "
            "d.amount_minor, d.fx_rate, d.disputed ORDER BY d.due_date, d.number"
        ),
        {"customer": customer_id, "as_of": as_of},
    )
    items = []
    for row in rows:
        open_minor = int(row.amount_minor) - int(row.allocated)
        if open_minor <= 0:
            continue
        amount = Money.from_minor(open_minor, row.currency)
        converted = amount.convert(Decimal(str(row.fx_rate)), company)
        items.append(
            OpenItem(
                document_id=row.id,
                kind=row.kind,
                number=row.number,
                document_date=_day(row.document_date),
                due_date=_day(row.due_date),
                currency=row.currency,
                amount_minor=int(row.amount_minor),
                open_minor=open_minor,
                open_company_minor=converted.minor_units(),
                disputed=bool(row.disputed),
            )
        )
    return items


def _day(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)
