"""Errors of the dunning rules: one base class and a subclass per broken rule."""

from __future__ import annotations

from receivables.domain.errors import ReceivablesError


class DunningError(ReceivablesError):
    """Base class of every error raised by a collections rule."""


class DunningConfigError(DunningError, ValueError):
    """A dunning policy or its assignment is invalid; ``key`` names the setting."""

    def __init__(self, key: str, reason: str) -> None:
        self.key = key
        self.reason = reason
        super().__init__(f"dunning config {key}: {reason}")


class InvalidTransitionError(DunningError, ValueError):
    """A notice, delivery, dispute, promise or task cannot move from its state to the one asked."""

    def __init__(self, what: str, current: str, target: str) -> None:
        self.what = what
        self.current = current
        self.target = target
        super().__init__(f"{what} is {current} and cannot become {target}")


class InvalidPromiseError(DunningError, ValueError):
    """A promise to pay has a non-positive amount, a date before it was made or negative grace."""


class InvalidDisputeError(DunningError, ValueError):
    """A dispute has an unknown reason code or an amount outside 0 to the open amount."""


class InvalidOutcomeError(DunningError, ValueError):
    """A task outcome lacks what it needs, such as a promise without a date and amount."""
