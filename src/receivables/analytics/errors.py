"""Errors raised when a report cannot be computed from the ledger as given."""

from __future__ import annotations

from receivables.domain.errors import ReceivablesError


class AnalyticsError(ReceivablesError):
    """Base class of the errors of the analytics."""


class EmptyLedgerError(AnalyticsError):
    """The ledger has no documents, so there is nothing to report on."""

    def __init__(self) -> None:
        super().__init__("the ledger has no documents: import a ledger first (receivables import FILE ...)")


class UnknownCustomerError(AnalyticsError, LookupError):
    """The customer code given for a report is not in the ledger."""

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(f"customer {code!r} not found in the ledger: check the customer code")


class InvalidLedgerDataError(AnalyticsError, ValueError):
    """Stored rows that break a ledger rule the figures rely on, such as an unknown document kind."""
