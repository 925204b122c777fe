"""Review of suggestions: list, accept, reject, or split a bank transaction by hand.

Each action is a single action: it raises :class:`ReviewError` or :class:`ApplyError` with the
reason instead of changing anything. Accepting and splitting write into the ledger through
:func:`receivables.banking.outcomes.apply_proposals` and teach the payer's IBAN, name and
reference prefix (:mod:`receivables.banking.learning`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import polars as pl
from sqlalchemy import Connection, Engine, bindparam, text

from receivables.banking import proposal_store as store
from receivables.banking.errors import ReviewError, ReviewTargetNotFoundError
from receivables.banking.learning import learn
from receivables.banking.outcomes import Transaction, apply_proposals
from receivables.banking.rules.engine import RateBook
from receivables.banking.rules.proposals import Part, Proposal
from receivables.banking.rules.settings import RULE_CONFIDENCE, Fit, MatchSettings, Outcome, Rule
from receivables.banking.transitions import (
    ProposalStatus,
    TransactionStatus,
    check_proposal,
    check_transaction,
)
from receivables.domain.money import Money


@dataclass(frozen=True)
class Suggestion:
    """A suggestion waiting for review, as the review commands show it."""

    proposal_id: int
    transaction_id: int
    booking_date: str
    amount: str
    currency: str
    payer: str | None
    customer_code: str | None
    rule: str
    confidence: str
    items: list[dict[str, str]]
    evidence: list[str]

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


SUGGESTIONS_SQL = (
    "SELECT p.id, p.transaction_id, t.booking_date, t.amount_minor, t.currency, "
    "t.counterparty_name, "
    "c.code, p.rule, p.confidence, p.explanation FROM match_proposals p "
    "JOIN bank_transactions t ON t.id = p.transaction_id LEFT JOIN customers c ON c.id = "
    "p.customer_id "
    "WHERE p.status = 'suggested' ORDER BY p.confidence DESC, p.id"
)


def list_suggestions(engine: Engine) -> list[Suggestion]:
    with engine.connect() as connection:
        rows = connection.execute(text(SUGGESTIONS_SQL)).all()
        parts = connection.execute(
            text(
                "SELECT i.proposal_id, d.number, i.kind, i.amount_minor, i.currency FROM "
                "match_proposal_items i "
                "JOIN documents d ON d.id = i.document_id JOIN match_proposals p ON p.id = "
                "i.proposal_id "
                "WHERE p.status = 'suggested' ORDER BY d.number"
            )
        ).all()
    by_proposal: dict[int, list[dict[str, str]]] = {}
    for proposal_id, number, kind, amount, currency in parts:
        money = Money.from_minor(amount, currency)
        by_proposal.setdefault(proposal_id, []).append(
            {"number": number, "kind": kind, "amount": str(money.amount)}
        )
    return [
        Suggestion(
            proposal_id=row[0],
            transaction_id=row[1],
            booking_date=str(row[2]),
            amount=str(Money.from_minor(row[3], row[4]).amount),
            currency=row[4],
            payer=row[5],
            customer_code=row[6],
            rule=row[7],
            confidence=str(Decimal(row[8]).quantize(Decimal("0.01"))),
            items=by_proposal.get(row[0], []),
            evidence=list(json.loads(row[9])["evidence"]),
        )
        for row in rows
    ]


def accept(
    engine: Engine, proposal_id: int, settings: MatchSettings, company_currency: str
) -> list[str]:
    """Apply a suggestion unchanged; return what the match taught."""
    now = datetime.now(UTC)
    with engine.begin() as connection:
        stored = store.load_proposal(connection, proposal_id)
        if stored is None:
            raise ReviewTargetNotFoundError(
                f"suggestion {proposal_id} not found; list them with 'receivables bank suggestions'"
            )
        check_proposal(stored.status, ProposalStatus.APPLIED, proposal_id)
        proposal = stored.proposal
        line = _line(connection, proposal.transaction_id)
        check_transaction(line["status"], TransactionStatus.APPLIED, proposal.transaction_id)
        _apply(connection, proposal, line, settings, company_currency)
        store.set_status(connection, [proposal_id], ProposalStatus.APPLIED, now, by="user")
        others = [pid for pid, _ in store.pending(connection, proposal.transaction_id)]
        store.set_status(connection, others, ProposalStatus.SUPERSEDED, now)
        return _teach(connection, proposal, line)


def reject(engine: Engine, proposal_id: int) -> None:
    """Reject a suggestion: it is never suggested again, and the transaction is unmatched."""
    now = datetime.now(UTC)
    with engine.begin() as connection:
        stored = store.load_proposal(connection, proposal_id)
        if stored is None:
            raise ReviewTargetNotFoundError(
                f"suggestion {proposal_id} not found; list them with 'receivables bank suggestions'"
            )
        check_proposal(stored.status, ProposalStatus.REJECTED, proposal_id)
        store.set_status(connection, [proposal_id], ProposalStatus.REJECTED, now, by="user")
        if not store.pending(connection, stored.proposal.transaction_id):
            connection.execute(
                text(
                    "UPDATE bank_transactions SET status = 'unmatched' WHERE id = :id AND status "
                    "= 'suggested'"
                ),
                {"id": stored.proposal.transaction_id},
            )


def split(
    engine: Engine,
    transaction_id: int,
    allocations: list[tuple[str, Decimal]],
    settings: MatchSettings,
    company_currency: str,
) -> list[str]:
    """Apply a bank transaction by hand: ``allocations`` of (invoice, amount) in its currency.

    What the amounts leave of the transaction stays on the customer as unapplied credit.
    """
    now = datetime.now(UTC)
    with engine.begin() as connection:
        line = _line(connection, transaction_id)
        check_transaction(line["status"], TransactionStatus.APPLIED, transaction_id)
        proposal = _manual_proposal(connection, line, allocations)
        _apply(connection, proposal, line, settings, company_currency)
        store.set_status(
            connection,
            [pid for pid, _ in store.pending(connection, transaction_id)],
            ProposalStatus.SUPERSEDED,
            now,
        )
        store.save_proposal(
            connection, proposal, ProposalStatus.APPLIED, None, now, decided_by="user"
        )
        return _teach(connection, proposal, line)


def _line(connection: Connection, transaction_id: int) -> dict[str, Any]:
    row = (
        connection.execute(
            text(
                "SELECT id, booking_date, amount_minor, currency, status, counterparty_iban, "
                "counterparty_name, "
                "remittance_text, COALESCE(end_to_end_id, structured_reference, bank_reference) "
                "AS reference "
                "FROM bank_transactions WHERE id = :id"
            ),
            {"id": transaction_id},
        )
        .mappings()
        .first()
    )
    if row is None:
        raise ReviewTargetNotFoundError(
            f"bank transaction {transaction_id} not found; list them with 'receivables bank lines'"
        )
    return dict(row)


def _manual_proposal(
    connection: Connection, line: dict[str, Any], allocations: list[tuple[str, Decimal]]
) -> Proposal:
    if not allocations:
        raise ReviewError("give at least one --item INVOICE=AMOUNT")
    currency = str(line["currency"])
    parts, customers = [], set()
    for number, amount in allocations:
        row = connection.execute(
            text(
                "SELECT id, customer_id, currency FROM documents WHERE number = :number AND kind "
                "IN ('invoice', 'debit_note')"
            ),
            {"number": number},
        ).first()
        if row is None:
            raise ReviewError(f"open item {number} not found among invoices and debit notes")
        if row[2] != currency:
            raise ReviewError(f"item {number} is in {row[2]}, the bank transaction in {currency}")
        minor = Money.of(amount, currency).minor_units()
        if minor <= 0:
            raise ReviewError(f"amount {amount} for {number} must be positive")
        parts.append(Part(int(row[0]), minor))
        customers.add(int(row[1]))
    if len(customers) > 1:
        raise ReviewError(
            "the items belong to different customers; split one customer's items at a time"
        )
    total = sum(part.allocation for part in parts)
    paid = int(line["amount_minor"])
    if total > paid:
        raise ReviewError(
            f"the items take {Money.from_minor(total, currency)}, more than the "
            f"{Money.from_minor(paid, currency)} received"
        )
    return Proposal(
        transaction_id=int(line["id"]),
        rule=Rule.MANUAL,
        fit=Fit.EXACT if total == paid else Fit.OVERPAYMENT,
        confidence=RULE_CONFIDENCE[Rule.MANUAL],
        customer_id=customers.pop(),
        currency=currency,
        payment_minor=paid,
        parts=tuple(parts),
        unapplied_minor=paid - total,
        evidence=("split by hand",),
        outcome=Outcome.AUTO_APPLY,
    )


def _apply(
    connection: Connection,
    proposal: Proposal,
    line: dict[str, Any],
    settings: MatchSettings,
    company_currency: str,
) -> None:
    rows = connection.execute(
        text("SELECT currency, rate_date, CAST(rate AS VARCHAR(40)) FROM exchange_rates")
    )
    rates = [(currency, store.as_date(day), str(rate)) for currency, day, rate in rows]
    frame = pl.DataFrame(
        rates, schema={"currency": pl.String, "rate_date": pl.Date, "rate": pl.String}, orient="row"
    )
    transaction = Transaction(
        int(line["id"]), store.as_date(line["booking_date"]), line["reference"]
    )
    apply_proposals(
        connection,
        [(proposal, transaction)],
        settings,
        RateBook(frame, company_currency),
        strict=True,
    )


def _teach(connection: Connection, proposal: Proposal, line: dict[str, Any]) -> list[str]:
    if proposal.customer_id is None:
        return []
    statement = text("SELECT number FROM documents WHERE id IN :ids").bindparams(
        bindparam("ids", expanding=True)
    )
    ids = [part.document_id for part in proposal.parts]
    numbers = [row[0] for row in connection.execute(statement, {"ids": ids})] if ids else []
    iban = line["counterparty_iban"]
    payer = line["counterparty_name"]
    return learn(
        connection,
        proposal.customer_id,
        str(iban) if iban else None,
        str(payer) if payer else None,
        str(line["remittance_text"] or ""),
        numbers,
        store.as_date(line["booking_date"]),
    )
