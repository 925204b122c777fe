"""Applying proposals to the ledger: payments, allocations, credit documents and deductions.

For each applied bank transaction, in the caller's database transaction:

- a ``payment`` document ``BANK-<transaction id>`` for the customer, in the items' currency,
  dated on the booking date, with the end-to-end id or reference as its reference; whatever it
  does not allocate stays on the customer as unapplied credit (an overpayment, a payment on
  account);
- an allocation of the payment to each matched open item;
- for a cash discount taken a ``discount`` ``DSC-<transaction>-<item>``, for bank charges a
  ``write_off`` ``FEE-...`` and for an exchange difference a ``write_off`` ``FXD-...``, each
  allocated to its item and recorded as a resolved deduction;
- for a short payment, with ``short_payment = "deduction"``, an open deduction and the item
  flagged ``disputed``; otherwise the residual simply stays open.

No open item is ever allocated more than it has open: amounts are checked against the database
inside the transaction. In a batch, a proposal that no longer fits (another transaction of the
same run took the item) is returned as a conflict; a single action raises :class:`ApplyError`.
Allocations are dated on the booking date, or on the item's date when the payment came first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import polars as pl
from sqlalchemy import Connection, bindparam, text

from receivables.banking.errors import ApplyError
from receivables.banking.rules.engine import RateBook
from receivables.banking.rules.proposals import Part, Proposal
from receivables.banking.rules.settings import MatchSettings, ShortPayment
from receivables.banking.transitions import TransactionStatus
from receivables.storage.bulk import (
    ALLOCATION_SCHEMA,
    DOCUMENT_SCHEMA,
    write_allocations,
    write_documents,
)

CREDIT_PARTS = (
    ("discount", "discount", "DSC", "discount", "cash discount taken"),
    (
        "bank_charges",
        "write_off",
        "FEE",
        "bank_charges",
        "bank charges deducted by the payer's bank",
    ),
    (
        "exchange_difference",
        "write_off",
        "FXD",
        "exchange_difference",
        "difference from the exchange rate",
    ),
)


@dataclass(frozen=True)
class Transaction:
    """The bank transaction behind a proposal: id, booking date and payment reference."""

    transaction_id: int
    booking_date: date
    reference: str | None


@dataclass(frozen=True)
class _Item:
    customer_id: int
    kind: str
    number: str
    document_date: date
    open_minor: int
    instalment: int = 1


def payment_number(transaction_id: int) -> str:
    return f"BANK-{transaction_id:07d}"


def apply_proposals(
    connection: Connection,
    proposals: Sequence[tuple[Proposal, Transaction]],
    settings: MatchSettings,
    rates: RateBook,
    strict: bool = False,
) -> tuple[list[Proposal], list[tuple[Proposal, str]]]:
    """Write the proposals into the ledger; return the applied ones and the conflicts."""
    items = _load_items(connection, {part.document_id for p, _ in proposals for part in p.parts})
    customers = _customer_codes(connection, {p.customer_id for p, _ in proposals if p.customer_id})
    applied: list[tuple[Proposal, Transaction]] = []
    conflicts: list[tuple[Proposal, str]] = []
    ordered = sorted(
        proposals,
        key=lambda pair: (-pair[0].confidence, pair[1].booking_date, pair[1].transaction_id),
    )
    for proposal, transaction in ordered:
        reason = _conflict(proposal, transaction, items, rates)
        respread = _respread(proposal, items) if reason is not None else None
        if respread is not None and _conflict(respread, transaction, items, rates) is None:
            proposal, reason = respread, None
        if reason is None:
            for part in proposal.parts:
                items[part.document_id] = _reduce(items[part.document_id], part.settled)
            applied.append((proposal, transaction))
        elif strict:
            raise ApplyError(f"bank transaction {transaction.transaction_id}: {reason}")
        else:
            conflicts.append((proposal, reason))
    if applied:
        _write(connection, applied, items, customers, settings, rates)
    return [proposal for proposal, _ in applied], conflicts


def _reduce(item: _Item, amount: int) -> _Item:
    return _Item(
        item.customer_id,
        item.kind,
        item.number,
        item.document_date,
        item.open_minor - amount,
        item.instalment,
    )


def _respread(proposal: Proposal, items: dict[int, _Item]) -> Proposal | None:
    """Spread the proposal's allocations again over its items in order, as they are open now.

    Two payments of one invoice in instalments, matched in the same run, both aim at its first
    open instalment. Once the first payment took it, the second pays the next one. Only plain
    allocations are spread again, so a proposal with a discount, charges or an exchange difference
    keeps its conflict. None when the items cannot take the whole amount.
    """
    if any(part.settled != part.allocation for part in proposal.parts):
        return None
    if any(part.document_id not in items for part in proposal.parts):
        return None
    remaining = sum(part.allocation for part in proposal.parts)
    parts = []
    for part in proposal.parts:
        open_now = items[part.document_id].open_minor
        if open_now <= 0:
            continue
        allocation = min(open_now, remaining)
        remaining -= allocation
        parts.append(Part(part.document_id, allocation, short=open_now - allocation))
    if remaining or not parts or parts == list(proposal.parts):
        return None
    moved = "spread again over the open items: an earlier payment in this run settled some of them"
    return replace(proposal, parts=tuple(parts), evidence=(*proposal.evidence, moved))


def _conflict(
    proposal: Proposal, transaction: Transaction, items: dict[int, _Item], rates: RateBook
) -> str | None:
    if proposal.customer_id is None:
        return "the proposal names no customer"
    if rates.rate(proposal.currency, transaction.booking_date) is None:
        return f"no exchange rate of {proposal.currency} on or before {transaction.booking_date}"
    for part in proposal.parts:
        item = items.get(part.document_id)
        if item is None:
            return f"document {part.document_id} is no longer an open item"
        if item.customer_id != proposal.customer_id:
            return f"document {part.document_id} belongs to another customer"
        if part.settled > item.open_minor:
            return (
                f"document {item.number} has only {item.open_minor} minor units open, "
                f"the match settles {part.settled}"
            )
    return None


def _load_items(connection: Connection, document_ids: set[int]) -> dict[int, _Item]:
    if not document_ids:
        return {}
    statement = text(
        "SELECT d.id, d.customer_id, d.kind, d.number, d.document_date, "
        "d.amount_minor - COALESCE((SELECT SUM(a.amount_minor) FROM allocations a "
        "WHERE a.target_document_id = d.id), 0), d.instalment FROM documents d "
        "WHERE d.id IN :ids AND d.kind IN ('invoice', 'debit_note')"
    ).bindparams(bindparam("ids", expanding=True))
    rows = connection.execute(statement, {"ids": sorted(document_ids)})
    return {row[0]: _Item(row[1], row[2], row[3], _as_date(row[4]), int(row[5]), int(row[6])) for row in rows}


def _as_date(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _customer_codes(connection: Connection, customer_ids: set[int]) -> dict[int, str]:
    if not customer_ids:
        return {}
    statement = text("SELECT id, code FROM customers WHERE id IN :ids").bindparams(
        bindparam("ids", expanding=True)
    )
    return {row[0]: row[1] for row in connection.execute(statement, {"ids": sorted(customer_ids)})}


def _write(
    connection: Connection,
    applied: list[tuple[Proposal, Transaction]],
    items: dict[int, _Item],
    customers: dict[int, str],
    settings: MatchSettings,
    rates: RateBook,
) -> None:
    documents: list[dict[str, Any]] = []
    allocations: list[dict[str, Any]] = []
    for proposal, transaction in applied:
        _documents_of(proposal, transaction, items, customers, rates, documents, allocations)
    write_documents(connection, pl.DataFrame(documents, schema=DOCUMENT_SCHEMA))
    schema = ALLOCATION_SCHEMA | {"target_instalment": pl.Int64()}
    write_allocations(connection, pl.DataFrame(allocations, schema=schema))
    _record(connection, applied, items, settings)


def _documents_of(
    proposal: Proposal,
    transaction: Transaction,
    items: dict[int, _Item],
    customers: dict[int, str],
    rates: RateBook,
    documents: list[dict[str, Any]],
    allocations: list[dict[str, Any]],
) -> None:
    assert proposal.customer_id is not None
    code = customers[proposal.customer_id]
    day = transaction.booking_date
    rate = rates.rate(proposal.currency, day) or Decimal(1)
    number = payment_number(transaction.transaction_id)
    document = dict(
        customer_code=code,
        kind="payment",
        number=number,
        document_date=day,
        due_date=day,
        currency=proposal.currency,
        amount_minor=proposal.payment_minor,
        tax_minor=0,
        fx_rate=str(rate),
        disputed=False,
        reference=(transaction.reference or None),
    )
    if proposal.payment_minor > 0:
        documents.append(document)
    for part in proposal.parts:
        numbers = _item_numbers(items, part)
        on = max(day, items[part.document_id].document_date)
        if part.allocation > 0:
            allocations.append(_allocation("payment", number, numbers, on, part.allocation))
        for field_name, kind, prefix, _, _ in CREDIT_PARTS:
            amount = getattr(part, field_name)
            if amount <= 0:
                continue
            credit = f"{prefix}-{transaction.transaction_id:07d}-{part.document_id}"
            documents.append({**document, "kind": kind, "number": credit, "amount_minor": amount})
            allocations.append(_allocation(kind, credit, numbers, on, amount))


def _item_numbers(items: dict[int, _Item], part: Part) -> tuple[str, str, int]:
    """Return the kind, number and instalment of the open item a part settles."""
    item = items[part.document_id]
    return item.kind, item.number, item.instalment


def _allocation(
    kind: str, number: str, target: tuple[str, str, int], on: date, amount: int
) -> dict[str, Any]:
    return dict(
        source_kind=kind,
        source_number=number,
        target_kind=target[0],
        target_number=target[1],
        target_instalment=target[2],
        allocation_date=on,
        amount_minor=amount,
    )


def _record(
    connection: Connection,
    applied: list[tuple[Proposal, Transaction]],
    items: dict[int, _Item],
    settings: MatchSettings,
) -> None:
    now = datetime.now(UTC)
    numbers = [payment_number(t.transaction_id) for _, t in applied]
    ids = _document_ids(connection, numbers)
    for proposal, transaction in applied:
        connection.execute(
            text(
                "UPDATE bank_transactions SET status = :status, payment_document_id = :payment WHERE id = :id"
            ),
            {
                "status": TransactionStatus.APPLIED.value,
                "payment": ids.get(payment_number(transaction.transaction_id)),
                "id": transaction.transaction_id,
            },
        )
        for part in proposal.parts:
            _deductions(connection, proposal, transaction, part, settings, now)


def _document_ids(connection: Connection, numbers: list[str]) -> dict[str, int]:
    statement = text(
        "SELECT number, id FROM documents WHERE kind = 'payment' AND number IN :numbers"
    ).bindparams(bindparam("numbers", expanding=True))
    return {row[0]: row[1] for row in connection.execute(statement, {"numbers": numbers})} if numbers else {}


def _deductions(
    connection: Connection,
    proposal: Proposal,
    transaction: Transaction,
    part: Part,
    settings: MatchSettings,
    now: datetime,
) -> None:
    insert = text(
        "INSERT INTO deductions (transaction_id, document_id, credit_document_id, reason_code, "
        "reason, "
        "amount_minor, currency, status, created_at) VALUES (:transaction, :document, "
        "(SELECT id FROM documents WHERE kind = :kind AND number = :number), :code, :reason, "
        ":amount, "
        ":currency, :status, :now)"
    )
    for field_name, kind, prefix, code, reason in CREDIT_PARTS:
        amount = getattr(part, field_name)
        if amount > 0:
            connection.execute(
                insert,
                dict(
                    transaction=transaction.transaction_id,
                    document=part.document_id,
                    kind=kind,
                    number=f"{prefix}-{transaction.transaction_id:07d}-{part.document_id}",
                    code=code,
                    reason=reason,
                    amount=amount,
                    currency=proposal.currency,
                    status="resolved",
                    now=now,
                ),
            )
    if part.short > 0 and settings.short_payment == ShortPayment.DEDUCTION:
        connection.execute(
            insert,
            dict(
                transaction=transaction.transaction_id,
                document=part.document_id,
                kind="",
                number="",
                code="short_payment",
                reason=f"paid {part.short} less than the open amount",
                amount=part.short,
                currency=proposal.currency,
                status="open",
                now=now,
            ),
        )
        connection.execute(
            text("UPDATE documents SET disputed = :flag WHERE id = :id"),
            {"flag": True, "id": part.document_id},
        )
