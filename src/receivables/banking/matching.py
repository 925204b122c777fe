"""The matching run: propose a match for every open bank receipt, apply the sure ones.

A run loads the receipts still ``unmatched`` or ``suggested`` and the open items as of a date,
runs the engine, then in one database transaction:

- applies proposals at or above the automatic threshold (see :mod:`receivables.banking.outcomes`);
  one that conflicts with another of the same run becomes a suggestion;
- keeps a suggestion that is unchanged since the last run (same signature), replaces a changed
  one, and never suggests again a proposal the user rejected;
- leaves everything else as unapplied cash (``unmatched``).

Running it again applies nothing twice: applied transactions are no longer loaded.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import polars as pl
from sqlalchemy import Connection, Engine, insert, select, text

from receivables.banking import proposal_store as store
from receivables.banking.outcomes import Transaction, apply_proposals
from receivables.banking.rules.engine import MatchInputs, RateBook, match_transactions
from receivables.banking.rules.proposals import Proposal
from receivables.banking.rules.settings import MatchSettings, Outcome
from receivables.banking.store import load_inputs
from receivables.banking.transitions import ProposalStatus, TransactionStatus
from receivables.storage.banking_models import MatchRunRow
from receivables.storage.models import DocumentRow

log = logging.getLogger(__name__)


@dataclass
class MatchRunResult:
    """Counts of one run, and the proposals behind them."""

    run_id: int
    as_of: date
    transactions: int = 0
    auto_applied: int = 0
    suggested: int = 0
    unmatched: int = 0
    applied_amounts: dict[str, int] = field(default_factory=dict)
    proposals: list[Proposal] = field(default_factory=list)
    settled_numbers: set[str] = field(default_factory=set)
    """Numbers of the invoices and debit notes the applied proposals allocated to."""

    def as_dict(self) -> dict[str, object]:
        return {
            "run_id": self.run_id,
            "as_of": self.as_of.isoformat(),
            "transactions": self.transactions,
            "auto_applied": self.auto_applied,
            "suggested": self.suggested,
            "unmatched": self.unmatched,
        }


def run_matching(
    engine: Engine, as_of: date, settings: MatchSettings, company_currency: str
) -> MatchRunResult:
    """Match the open receipts booked on or before ``as_of``; apply, suggest or leave each one."""
    inputs = load_inputs(engine, as_of, company_currency)
    proposals = match_transactions(inputs, settings)
    return record_run(engine, inputs, proposals, as_of, settings)


def record_run(
    engine: Engine,
    inputs: MatchInputs,
    proposals: list[Proposal],
    as_of: date,
    settings: MatchSettings,
) -> MatchRunResult:
    now = datetime.now(UTC)
    by_line = {proposal.transaction_id: proposal for proposal in proposals}
    rates = RateBook(inputs.rates, inputs.company_currency)
    with engine.begin() as connection:
        inserted = connection.execute(insert(MatchRunRow).values(as_of=as_of, started_at=now))
        run_id = int(inserted.inserted_primary_key[0])  # type: ignore[index]
        result = MatchRunResult(run_id, as_of, transactions=inputs.lines.height, proposals=proposals)
        rejected = store.rejected_signatures(connection)
        transactions = _transactions(connection, inputs.lines)
        automatic = [
            (proposal, transactions[proposal.transaction_id])
            for proposal in proposals
            if proposal.outcome == Outcome.AUTO_APPLY
            and (proposal.transaction_id, proposal.signature()) not in rejected
        ]
        applied, conflicts = apply_proposals(connection, automatic, settings, rates)
        for proposal in applied:
            _supersede(connection, proposal.transaction_id, now)
            store.save_proposal(connection, proposal, ProposalStatus.APPLIED, run_id, now, decided_by="auto")
        result.auto_applied = len(applied)
        result.settled_numbers = _numbers(connection, {part.document_id for p in applied for part in p.parts})
        demoted = {
            p.transaction_id: p.with_outcome(Outcome.SUGGEST, f"not applied: {reason}")
            for p, reason in conflicts
        }
        applied_ids = {proposal.transaction_id for proposal in applied}
        for transaction_id in inputs.lines["transaction_id"].to_list():
            if transaction_id in applied_ids:
                continue
            candidate = demoted.get(transaction_id) or by_line.get(transaction_id)
            suggested = (
                candidate is not None
                and candidate.outcome != Outcome.UNMATCHED
                and (transaction_id, candidate.signature()) not in rejected
            )
            if suggested and candidate is not None:
                _suggest(connection, candidate, run_id, now)
                result.suggested += 1
            else:
                _unmatch(connection, transaction_id, now)
                result.unmatched += 1
        connection.execute(
            text(
                "UPDATE bank_match_runs SET finished_at = :now, transactions = :t, auto_applied = "
                ":a, suggested = :s, unmatched = :u WHERE id = :id"
            ),
            {
                "now": datetime.now(UTC),
                "t": result.transactions,
                "a": result.auto_applied,
                "s": result.suggested,
                "u": result.unmatched,
                "id": run_id,
            },
        )
    log.info(
        "bank match run %d as of %s: %d transactions, %d applied, %d suggested, %d unmatched",
        run_id,
        as_of,
        result.transactions,
        result.auto_applied,
        result.suggested,
        result.unmatched,
    )
    return result


def _transactions(connection: Connection, lines: pl.DataFrame) -> dict[int, Transaction]:
    ids = lines["transaction_id"].to_list()
    found: dict[int, Transaction] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = connection.execute(
            text(
                "SELECT id, booking_date, COALESCE(end_to_end_id, structured_reference, "
                "bank_reference) "
                f"FROM bank_transactions WHERE id IN ({', '.join(str(int(i)) for i in chunk)})"
            )
        )
        for transaction_id, booking_date, reference in rows:
            found[transaction_id] = Transaction(transaction_id, store.as_date(booking_date), reference)
    return found


def _supersede(connection: Connection, transaction_id: int, now: datetime, keep: str | None = None) -> None:
    stale = [pid for pid, signature in store.pending(connection, transaction_id) if signature != keep]
    store.set_status(connection, stale, ProposalStatus.SUPERSEDED, now)


def _suggest(connection: Connection, proposal: Proposal, run_id: int, now: datetime) -> None:
    signature = proposal.signature()
    _supersede(connection, proposal.transaction_id, now, keep=signature)
    if not any(existing == signature for _, existing in store.pending(connection, proposal.transaction_id)):
        store.save_proposal(connection, proposal, ProposalStatus.SUGGESTED, run_id, now)
    _set_line(connection, proposal.transaction_id, TransactionStatus.SUGGESTED)


def _unmatch(connection: Connection, transaction_id: int, now: datetime) -> None:
    _supersede(connection, transaction_id, now)
    _set_line(connection, transaction_id, TransactionStatus.UNMATCHED)


def _set_line(connection: Connection, transaction_id: int, status: TransactionStatus) -> None:
    connection.execute(
        text("UPDATE bank_transactions SET status = :status WHERE id = :id AND status <> 'applied'"),
        {"status": status.value, "id": transaction_id},
    )


def _numbers(connection: Connection, document_ids: set[int]) -> set[str]:
    """Return the numbers of the documents ``document_ids``."""
    if not document_ids:
        return set()
    rows = connection.execute(select(DocumentRow.number).where(DocumentRow.id.in_(sorted(document_ids))))
    return set(rows.scalars())
