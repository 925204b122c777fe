"""Disputes: a customer's objection to an open item, which pauses dunning of that item.

A dispute has a reason code, the disputed amount (up to the item's open amount) and an owner
who sorts it out. It is resolved in one of three ways:

- ``credit_note``: the customer was right, and a credit note settles the disputed part;
- ``rejected``: the objection does not hold, and the item is dunned again;
- ``withdrawn``: the customer took the objection back.

While an item has an open dispute it is flagged ``disputed`` in the ledger, so the report's
disputed share and the dunning run agree.
"""

from __future__ import annotations

from enum import StrEnum

from receivables.domain.dunning.errors import InvalidDisputeError, InvalidTransitionError


class DisputeReason(StrEnum):
    PRICE = "price"
    QUANTITY = "quantity"
    QUALITY = "quality"
    NOT_RECEIVED = "not_received"
    DUPLICATE = "duplicate"
    TERMS = "terms"
    OTHER = "other"


class DisputeStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"


class Resolution(StrEnum):
    CREDIT_NOTE = "credit_note"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


def parse_reason(text: str) -> DisputeReason:
    try:
        return DisputeReason(text.strip().lower().replace("-", "_").replace(" ", "_"))
    except ValueError as error:
        codes = ", ".join(reason.value for reason in DisputeReason)
        raise InvalidDisputeError(
            f"dispute reason {text!r} is unknown; use one of {codes}"
        ) from error


def check_amount(amount_minor: int, open_minor: int) -> None:
    """Raise unless the disputed amount is positive and at most the item's open amount."""
    if amount_minor <= 0:
        raise InvalidDisputeError(f"disputed amount {amount_minor} minor units must be positive")
    if amount_minor > open_minor:
        raise InvalidDisputeError(
            f"disputed amount {amount_minor} minor units exceeds the open amount {open_minor}"
        )


def check_resolution(status: DisputeStatus) -> None:
    """Raise unless a dispute in ``status`` may be resolved."""
    if status is not DisputeStatus.OPEN:
        raise InvalidTransitionError("the dispute", status.value, DisputeStatus.RESOLVED.value)
