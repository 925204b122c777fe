"""Targeted SQL over one customer's ledger rows: behaviour items, exposure and purchases.

These queries read only the customer's own documents (through the index on
``documents.customer_id``) and their allocations (through the allocation indexes), so they stay
fast on a ledger of millions of rows. Each amount converts to the company currency per document
with :meth:`Money.convert`, the rule the batch path applies in integer arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import Connection, text

from receivables.domain.credit.behaviour import ItemHistory
from receivables.domain.documents import CREDIT_KINDS, DEBIT_KINDS, SALES_KINDS
from receivables.domain.money import Currency, Money
from receivables.storage.frames import FX_SCALE

# The rate as the integer of 1e-10 units that storage.frames reads, so both paths convert alike.
FX = f"CAST(ROUND(d.fx_rate * {FX_SCALE}) AS BIGINT)"
DEBIT = tuple(kind.value for kind in DEBIT_KINDS)
CREDIT = tuple(kind.value for kind in CREDIT_KINDS)


def _listed(kinds: tuple[str, ...]) -> str:
    """The kinds as an SQL list of literals, in a stable order."""
    return ", ".join(f"'{kind}'" for kind in sorted(kinds))


SALES = _listed(tuple(kind.value for kind in SALES_KINDS))

ITEMS_SQL = text(
    "SELECT d.due_date, d.currency, d.amount_minor, " + FX + " AS fx_scaled, d.disputed, "
    "COALESCE(SUM(a.amount_minor), 0) AS applied, MAX(a.allocation_date) AS last_date "
    "FROM documents d LEFT JOIN allocations a "
    "ON a.target_document_id = d.id AND a.allocation_date <= :as_of "
    f"WHERE d.customer_id = :customer AND d.kind IN ({_listed(DEBIT)}) "
    "AND d.due_date > :start AND d.due_date <= :as_of AND d.document_date <= :as_of "
    "GROUP BY d.id, d.due_date, d.currency, d.amount_minor, d.fx_rate, d.disputed"
)

# The customer's documents with something open on the as-of date: the open amount of a debit
# document (less what was allocated to it), or the unapplied amount of a credit document (less
# what it was allocated to). Settled documents are filtered out in SQL, so only the few open ones
# reach Python.
_OPEN_PART = (
    "SELECT d.kind, d.due_date, d.currency, " + FX + " AS fx_scaled, d.disputed, "
    "d.amount_minor - COALESCE(SUM(a.amount_minor), 0) AS open_minor "
    "FROM documents d LEFT JOIN allocations a ON a.{side}_document_id = d.id "
    "AND a.allocation_date <= :as_of "
    "WHERE d.customer_id = :customer AND d.document_date <= :as_of AND d.kind IN ({kinds}) "
    "GROUP BY d.id, d.kind, d.due_date, d.currency, d.fx_rate, d.disputed, d.amount_minor "
    "HAVING d.amount_minor - COALESCE(SUM(a.amount_minor), 0) > 0"
)
OPEN_SQL = text(
    _OPEN_PART.format(side="target", kinds=_listed(DEBIT))
    + " UNION ALL "
    + _OPEN_PART.format(side="source", kinds=_listed(CREDIT))
)

SALES_SQL = text(
    "SELECT d.kind, d.document_date, d.currency, d.amount_minor, " + FX + " AS fx_scaled "
    "FROM documents d "
    f"WHERE d.customer_id = :customer AND d.kind IN ({SALES}) "
    "AND d.document_date > :start AND d.document_date <= :as_of"
)


def to_company(minor: int, currency: str, fx_scaled: int, company: Currency) -> int:
    """``minor`` units of ``currency`` in company minor units, at the rate ``fx_scaled / 1e10``."""
    money = Money.from_minor(minor, currency)
    if money.currency == company:
        return minor
    return money.convert(Decimal(fx_scaled).scaleb(-10), company).minor_units()


def _day(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def behaviour_items(
    connection: Connection, customer: int, as_of: date, start: date, company: Currency
) -> list[ItemHistory]:
    """The customer's debit documents due after ``start`` and on or before ``as_of``."""
    rows = connection.execute(ITEMS_SQL, {"customer": customer, "as_of": as_of, "start": start})
    items = []
    for row in rows:
        settled = row.applied >= row.amount_minor and row.last_date is not None
        items.append(
            ItemHistory(
                due_date=_day(row.due_date),
                amount_minor=to_company(row.amount_minor, row.currency, row.fx_scaled, company),
                settled_on=_day(row.last_date) if settled else None,
                disputed=bool(row.disputed),
            )
        )
    return items


@dataclass(frozen=True)
class LedgerPosition:
    """Open items and unapplied credit in company minor units, and the worst undisputed delay."""

    open_items: int
    unapplied_credit: int
    max_days_past_due: int


def ledger_position(
    connection: Connection, customer: int, as_of: date, company: Currency
) -> LedgerPosition:
    """The customer's open items, unapplied credit and most days past due on ``as_of``."""
    open_items = unapplied = worst = 0
    for row in connection.execute(OPEN_SQL, {"customer": customer, "as_of": as_of}):
        if row.open_minor <= 0:
            continue
        amount = to_company(row.open_minor, row.currency, row.fx_scaled, company)
        if row.kind in DEBIT:
            open_items += amount
            if not row.disputed:
                worst = max(worst, (as_of - _day(row.due_date)).days)
        else:
            unapplied += amount
    return LedgerPosition(open_items, unapplied, worst)


def net_sales(
    connection: Connection, customer: int, as_of: date, start: date, company: Currency
) -> tuple[int, date | None]:
    """Net credit sales (invoices and debit notes less credit notes) dated after ``start`` and on or
    before ``as_of`` in company minor units, and the date of the first of them."""
    total, first = 0, None
    for row in connection.execute(
        SALES_SQL, {"customer": customer, "as_of": as_of, "start": start}
    ):
        amount = to_company(row.amount_minor, row.currency, row.fx_scaled, company)
        total += -amount if row.kind == "credit_note" else amount
        day = _day(row.document_date)
        first = day if first is None or day < first else first
    return total, first
