"""The states of a bank transaction and of a proposal, and the transitions allowed between them.

A transaction starts ``unmatched`` (a receipt) or ``ignored`` (a debit or reversal). A matching
run moves it to ``suggested`` or ``applied``; rejecting its suggestion moves it back to
``unmatched``. ``applied`` is final: the payment, allocations and credit documents are in the
ledger, and undoing them is a ledger correction, not a review action.
"""

from __future__ import annotations

from enum import StrEnum

from receivables.banking.errors import ReviewStateError


class TransactionStatus(StrEnum):
    UNMATCHED = "unmatched"
    SUGGESTED = "suggested"
    APPLIED = "applied"
    IGNORED = "ignored"


class ProposalStatus(StrEnum):
    SUGGESTED = "suggested"
    APPLIED = "applied"
    REJECTED = "rejected"
    SUPERSEDED = "superseded"


TRANSACTION_TRANSITIONS = {
    TransactionStatus.UNMATCHED: {TransactionStatus.SUGGESTED, TransactionStatus.APPLIED},
    TransactionStatus.SUGGESTED: {
        TransactionStatus.SUGGESTED,
        TransactionStatus.APPLIED,
        TransactionStatus.UNMATCHED,
    },
    TransactionStatus.APPLIED: set(),
    TransactionStatus.IGNORED: set(),
}
PROPOSAL_TRANSITIONS = {
    ProposalStatus.SUGGESTED: {
        ProposalStatus.APPLIED,
        ProposalStatus.REJECTED,
        ProposalStatus.SUPERSEDED,
    },
    ProposalStatus.APPLIED: set(),
    ProposalStatus.REJECTED: set(),
    ProposalStatus.SUPERSEDED: set(),
}


def check_transaction(current: str, target: TransactionStatus, transaction_id: int) -> None:
    """Raise :class:`ReviewStateError` unless the transaction may move from ``current`` to ``target``."""
    if target not in TRANSACTION_TRANSITIONS[TransactionStatus(current)]:
        raise ReviewStateError(
            f"bank transaction {transaction_id} is {current}; it cannot become {target.value}"
        )


def check_proposal(current: str, target: ProposalStatus, proposal_id: int) -> None:
    if target not in PROPOSAL_TRANSITIONS[ProposalStatus(current)]:
        raise ReviewStateError(f"suggestion {proposal_id} is {current}; it cannot become {target.value}")
