"""Errors of the credit rules: one base class and a subclass per broken rule."""

from __future__ import annotations

from receivables.domain.errors import ReceivablesError


class CreditError(ReceivablesError):
    """Base class of every error raised by a credit rule."""


class CreditConfigError(CreditError, ValueError):
    """The scorecard or the credit policy in the config is invalid; ``key`` names the setting."""

    def __init__(self, key: str, reason: str) -> None:
        self.key = key
        self.reason = reason
        super().__init__(f"credit config {key}: {reason}")


class InvalidStatementError(CreditError, ValueError):
    """A financial statement cannot be used, such as one whose total assets are zero."""

    def __init__(self, customer_code: str, fiscal_year: int, reason: str) -> None:
        self.customer_code = customer_code
        self.fiscal_year = fiscal_year
        self.reason = reason
        super().__init__(f"financial statement {fiscal_year} of {customer_code}: {reason}")


class InvalidLimitError(CreditError, ValueError):
    """A credit limit to approve is invalid (negative, wrong currency, review date in the past)."""


class PermissionDeniedError(CreditError, PermissionError):
    """The user's role does not allow the action."""

    def __init__(self, user: str, role: str, action: str, allowed: tuple[str, ...]) -> None:
        self.user = user
        self.role = role
        self.action = action
        self.allowed = allowed
        super().__init__(
            f"user {user!r} with role {role} may not {action}; it needs one of the roles "
            f"{', '.join(allowed)}"
        )
