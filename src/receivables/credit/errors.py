"""Errors of the credit services: each names what is missing and what to do."""

from __future__ import annotations

from receivables.domain.credit.errors import CreditError


class UnknownCustomerError(CreditError, LookupError):
    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(f"customer {code!r} not found; import it first or check the code")


class UnknownUserError(CreditError, LookupError):
    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(
            f"user {name!r} not found; add it with 'receivables user add {name} --role ROLE'"
        )


class MissingUserError(CreditError, ValueError):
    def __init__(self, action: str) -> None:
        super().__init__(f"to {action}, name the user with --user NAME or RECEIVABLES_USER")


class NoCompanyCurrencyError(CreditError, ValueError):
    def __init__(self) -> None:
        super().__init__(
            "no company currency is set: run 'receivables init --company-currency EUR' (your code) "
            "or import a ledger first"
        )


class MissingRateError(CreditError, LookupError):
    def __init__(self, currency: str, company: str, day: object) -> None:
        self.currency = currency
        super().__init__(
            f"no exchange rate of {currency} to {company} on or before {day}; import exchange "
            f"rates or give the rate with the amount"
        )


class HoldStateError(CreditError, ValueError):
    """A hold is placed on a customer already on hold, or released where none is in force."""
