"""Errors of cash application: unreadable statements and rejected review actions."""

from __future__ import annotations

from receivables.domain.errors import ReceivablesError


class StatementError(ReceivablesError, ValueError):
    """A statement file is malformed: names the file, the position in it and what is wrong."""

    def __init__(self, file: str, position: str, reason: str) -> None:
        self.file = file
        self.position = position
        self.reason = reason
        where = f"{file}, {position}" if position else file
        super().__init__(f"{where}: {reason}")


class ReviewError(ReceivablesError, ValueError):
    """A review action (accept, reject, split) cannot be carried out as requested."""


class ReviewTargetNotFoundError(ReviewError, LookupError):
    """The suggestion or bank transaction a review action names does not exist."""


class ReviewStateError(ReviewError):
    """The suggestion or bank transaction is in a state that does not allow the action."""


class ApplyError(ReceivablesError, ValueError):
    """Applying a match would break a ledger rule, such as over-allocating an open item."""
