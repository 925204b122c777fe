"""The life of a dunning notice: its review, then its delivery through the outbox.

Review (``NoticeStatus``): a run plans each notice as a ``draft`` when its level wants review,
or ``approved`` when the level sends automatically. A user approves or skips a draft, and may
edit it while it is a draft. A skipped notice stays in the contact history, so the same level is
not planned again for the same items.

Delivery (``DeliveryState``) of an approved email or letter notice, one outbox row each:

- ``pending``: waiting for a sender;
- ``claimed``: taken by one sender with a batch and not yet tried. If that sender stops, the
  row goes back to pending, because nothing was sent;
- ``sending``: the sender is delivering it right now and records the result next;
- ``sent``: delivered, final;
- ``failed``: given up after the last retry, or refused for good (an invalid address, a
  broken template); a user may queue it again;
- ``unconfirmed``: the sender stopped while delivering (a crash), so nobody knows whether it
  went out. It is never sent again automatically: a user confirms it as sent or queues it again.
"""

from __future__ import annotations

from enum import StrEnum

from receivables.domain.dunning.errors import InvalidTransitionError


class NoticeStatus(StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    SKIPPED = "skipped"


class DeliveryState(StrEnum):
    PENDING = "pending"
    CLAIMED = "claimed"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    UNCONFIRMED = "unconfirmed"


REVIEW_TRANSITIONS: dict[NoticeStatus, frozenset[NoticeStatus]] = {
    NoticeStatus.DRAFT: frozenset(
        {NoticeStatus.DRAFT, NoticeStatus.APPROVED, NoticeStatus.SKIPPED}
    ),
    NoticeStatus.APPROVED: frozenset(),
    NoticeStatus.SKIPPED: frozenset(),
}

DELIVERY_TRANSITIONS: dict[DeliveryState, frozenset[DeliveryState]] = {
    DeliveryState.PENDING: frozenset({DeliveryState.CLAIMED}),
    DeliveryState.CLAIMED: frozenset(
        {DeliveryState.SENDING, DeliveryState.PENDING, DeliveryState.FAILED}
    ),
    DeliveryState.SENDING: frozenset(
        {DeliveryState.SENT, DeliveryState.FAILED, DeliveryState.UNCONFIRMED, DeliveryState.PENDING}
    ),
    DeliveryState.SENT: frozenset(),
    DeliveryState.FAILED: frozenset({DeliveryState.PENDING}),
    DeliveryState.UNCONFIRMED: frozenset({DeliveryState.SENT, DeliveryState.PENDING}),
}

# Review states that count as contact with the customer at the notice's level.
IN_HISTORY = frozenset({NoticeStatus.DRAFT, NoticeStatus.APPROVED, NoticeStatus.SKIPPED})


def check_review(current: NoticeStatus, target: NoticeStatus) -> None:
    if target not in REVIEW_TRANSITIONS[current]:
        raise InvalidTransitionError("the notice", current.value, target.value)


def check_delivery(current: DeliveryState, target: DeliveryState) -> None:
    if target not in DELIVERY_TRANSITIONS[current]:
        raise InvalidTransitionError("the delivery", current.value, target.value)


def retry_delay_seconds(attempt: int, base_seconds: float, maximum_seconds: float) -> float:
    """Return the pause before retry ``attempt`` (1 for the first retry): exponential backoff."""
    if attempt < 1:
        raise ValueError(f"retry attempt {attempt} must be 1 or more")
    return float(min(maximum_seconds, base_seconds * 2 ** (attempt - 1)))
