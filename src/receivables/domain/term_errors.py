"""Errors of payment terms, their text form and their schedules."""

from __future__ import annotations

from receivables.domain.errors import ReceivablesError


class InvalidTermError(ReceivablesError, ValueError):
    """A payment term breaks a rule of its own: negative days, shares not adding up, bad tiers."""


class TermSyntaxError(InvalidTermError):
    """The text or table form of a payment term cannot be read."""

    def __init__(self, text: str, reason: str) -> None:
        self.text = text
        self.reason = reason
        super().__init__(f"invalid payment term {text!r}: {reason}")


class ScheduleError(InvalidTermError):
    """A valid term cannot apply to this invoice: fixed amounts above the total, a bad amount."""
