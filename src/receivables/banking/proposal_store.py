"""Proposals in the database: saved with their parts and explanation, and read back for review."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Connection, insert, select, update

from receivables.banking.rules.proposals import Part, Proposal
from receivables.banking.rules.settings import Fit, Outcome, Rule
from receivables.banking.transitions import ProposalStatus
from receivables.storage.banking_models import MatchProposalItemRow, MatchProposalRow

PART_KINDS = ("allocation", "discount", "bank_charges", "exchange_difference", "short")


def explanation(proposal: Proposal) -> str:
    """Render the JSON explanation kept with every proposal: rule, fit, evidence, amounts."""
    return json.dumps(
        {
            "rule": proposal.rule.value,
            "fit": proposal.fit.value,
            "confidence": str(proposal.confidence),
            "outcome": proposal.outcome.value,
            "evidence": list(proposal.evidence),
            "currency": proposal.currency,
            "payment_minor": proposal.payment_minor,
            "exchange_rate": str(proposal.exchange_rate)
            if proposal.exchange_rate is not None
            else None,
        },
        ensure_ascii=False,
    )


def save_proposal(
    connection: Connection,
    proposal: Proposal,
    status: ProposalStatus,
    run_id: int | None,
    now: datetime,
    decided_by: str | None = None,
) -> int:
    """Insert the proposal and its parts, or reopen the stored one of the same signature."""
    existing = connection.execute(
        select(MatchProposalRow.id).where(
            MatchProposalRow.transaction_id == proposal.transaction_id,
            MatchProposalRow.signature == proposal.signature(),
        )
    ).scalar()
    if existing is not None:
        connection.execute(
            update(MatchProposalRow)
            .where(MatchProposalRow.id == existing)
            .values(
                status=status.value,
                run_id=run_id,
                decided_by=decided_by,
                decided_at=now if status != ProposalStatus.SUGGESTED else None,
                explanation=explanation(proposal),
            )
        )
        return int(existing)
    result = connection.execute(
        insert(MatchProposalRow).values(
            transaction_id=proposal.transaction_id,
            run_id=run_id,
            signature=proposal.signature(),
            status=status.value,
            decided_by=decided_by,
            rule=proposal.rule.value,
            confidence=proposal.confidence,
            customer_id=proposal.customer_id,
            unapplied_minor=proposal.unapplied_minor,
            explanation=explanation(proposal),
            created_at=now,
            decided_at=now if status != ProposalStatus.SUGGESTED else None,
        )
    )
    proposal_id = int(result.inserted_primary_key[0])  # type: ignore[index]
    rows = [
        dict(
            proposal_id=proposal_id,
            document_id=part.document_id,
            kind=kind,
            amount_minor=getattr(part, kind),
            currency=proposal.currency,
        )
        for part in proposal.parts
        for kind in PART_KINDS
        if getattr(part, kind) > 0
    ]
    if rows:
        connection.execute(insert(MatchProposalItemRow), rows)
    return proposal_id


def pending(connection: Connection, transaction_id: int) -> list[tuple[int, str]]:
    """Return the (id, signature) of the transaction's proposals still waiting for review."""
    rows = connection.execute(
        select(MatchProposalRow.id, MatchProposalRow.signature).where(
            MatchProposalRow.transaction_id == transaction_id,
            MatchProposalRow.status == ProposalStatus.SUGGESTED.value,
        )
    )
    return [(row[0], row[1]) for row in rows]


def rejected_signatures(connection: Connection) -> set[tuple[int, str]]:
    rows = connection.execute(
        select(MatchProposalRow.transaction_id, MatchProposalRow.signature).where(
            MatchProposalRow.status == ProposalStatus.REJECTED.value
        )
    )
    return {(row[0], row[1]) for row in rows}


def set_status(
    connection: Connection,
    proposal_ids: list[int],
    status: ProposalStatus,
    now: datetime,
    by: str | None = None,
) -> None:
    if proposal_ids:
        connection.execute(
            update(MatchProposalRow)
            .where(MatchProposalRow.id.in_(proposal_ids))
            .values(status=status.value, decided_at=now, decided_by=by)
        )


@dataclass(frozen=True)
class StoredProposal:
    proposal_id: int
    status: str
    proposal: Proposal


def load_proposal(connection: Connection, proposal_id: int) -> StoredProposal | None:
    table = MatchProposalRow.__table__
    stored = connection.execute(select(table).where(table.c.id == proposal_id)).mappings().first()
    if stored is None:
        return None
    data = json.loads(stored["explanation"])
    parts: dict[int, dict[str, int]] = {}
    items = MatchProposalItemRow.__table__
    rows = connection.execute(
        select(items.c.document_id, items.c.kind, items.c.amount_minor).where(
            items.c.proposal_id == proposal_id
        )
    )
    for document_id, kind, amount in rows:
        parts.setdefault(document_id, {})[kind] = amount
    proposal = Proposal(
        transaction_id=stored["transaction_id"],
        rule=Rule(stored["rule"]),
        fit=Fit(data["fit"]),
        confidence=Decimal(stored["confidence"]),
        customer_id=stored["customer_id"],
        currency=data["currency"],
        payment_minor=int(data["payment_minor"]),
        parts=tuple(
            Part(document_id, **{kind: amounts.get(kind, 0) for kind in PART_KINDS})
            for document_id, amounts in parts.items()
        ),
        unapplied_minor=stored["unapplied_minor"],
        evidence=tuple(data["evidence"]),
        outcome=Outcome(data["outcome"]),
        exchange_rate=Decimal(data["exchange_rate"]) if data.get("exchange_rate") else None,
    )
    return StoredProposal(stored["id"], stored["status"], proposal)


def as_date(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))
