"""Errors of single collections actions; batch runs report problems instead of raising."""

from __future__ import annotations

from receivables.domain.dunning.errors import DunningError


class NotFoundError(DunningError, LookupError):
    """A customer, document, notice, task, dispute or promise named by the user does not exist."""

    def __init__(self, what: str, key: object) -> None:
        self.what = what
        self.key = key
        super().__init__(f"{what} {key} not found")


class MissingUserError(DunningError, PermissionError):
    """Users are set up, so an action needs ``--user`` or ``RECEIVABLES_USER``."""

    def __init__(self, action: str) -> None:
        self.action = action
        super().__init__(
            f"name the user who may {action}: pass --user NAME or set RECEIVABLES_USER"
        )


class UnknownUserError(DunningError, PermissionError):
    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"user {name!r} not found; add it with 'receivables user add'")


class DeniedError(DunningError, PermissionError):
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


class NoCompanyCurrencyError(DunningError, ValueError):
    def __init__(self) -> None:
        super().__init__(
            "the company currency is unknown: import documents or set RECEIVABLES_COMPANY_CURRENCY"
        )


class TemplateProblemError(DunningError, ValueError):
    """A template is missing, has an unknown variable or tried to reach Python internals."""

    def __init__(self, template: str, reason: str) -> None:
        self.template = template
        self.reason = reason
        super().__init__(f"template {template}: {reason}")
