"""Errors of signing in and of managing credentials."""

from __future__ import annotations


class AuthError(Exception):
    """Base of the errors of ``receivables.auth``."""


class InvalidPasswordError(AuthError, ValueError):
    """A new password is too short, too long or otherwise not accepted."""


class UnknownTokenError(AuthError, LookupError):
    """No API token with this id exists."""
