"""Errors of the domain rules: one base class, one subclass per broken rule."""

from __future__ import annotations


class ReceivablesError(Exception):
    """Base class of every error raised by a Receivables rule."""


class UnknownCurrencyError(ReceivablesError, ValueError):
    """The code is not an ISO 4217 currency."""

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(f"unknown currency code {code!r}: use a three-letter ISO 4217 code such as EUR")


class CurrencyMismatchError(ReceivablesError, ValueError):
    """Two amounts of different currencies met in one operation."""

    def __init__(self, left: str, right: str) -> None:
        self.left = left
        self.right = right
        super().__init__(f"cannot combine {left} with {right}: convert one amount first")


class InvalidAmountError(ReceivablesError, ValueError):
    """An amount is not a finite decimal, or has more decimals than its currency allows."""


class InvalidDocumentError(ReceivablesError, ValueError):
    """A document breaks a rule of its own (sign, tax part, dates)."""

    def __init__(self, number: str, reason: str) -> None:
        self.number = number
        self.reason = reason
        super().__init__(f"document {number}: {reason}")


class InvalidAllocationError(ReceivablesError, ValueError):
    """An allocation breaks a ledger rule (kinds, customer, currency, date or amount)."""

    def __init__(self, source: str, target: str, reason: str) -> None:
        self.source = source
        self.target = target
        self.reason = reason
        super().__init__(f"allocation of {source} to {target}: {reason}")


class OverAllocationError(InvalidAllocationError):
    """An allocation would take an open item below zero or spend more credit than exists."""
