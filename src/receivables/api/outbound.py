"""Outbound webhooks: events queued per subscription, delivered signed, retried with backoff.

Each event is queued once per subscription under its event id (``uq_webhook_deliveries_...``),
so announcing the same fact twice sends it once. A delivery is a POST of the JSON event with:

- ``Receivables-Event``: the event name, such as ``invoice.paid``;
- ``Receivables-Delivery``: the event id, the same on every retry, for the receiver to drop repeats;
- ``Receivables-Signature``: ``t=<unix seconds>,v1=<hex>``, where ``hex`` is the HMAC-SHA256 of
  ``"<t>.<body>"`` under the subscription's signing secret.

A 2xx answer delivers it. Anything else, or no answer within the timeout, schedules a retry after
30 s, 1, 2, 4 ... minutes (at most 6 hours apart); after ``MAX_ATTEMPTS`` the delivery is marked
``failed``. A worker claims a delivery by moving its next attempt into the future in one
conditional UPDATE, so several server processes never send the same attempt twice; a claim
whose worker died is retried once its lease ends.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import Engine, insert, select, update

from receivables.auth.clock import as_utc, utc_now
from receivables.storage.service_models import WebhookDeliveryRow, WebhookSubscriptionRow

log = logging.getLogger(__name__)

EVENTS = ("invoice.paid", "customer.on_hold", "promise.broken")
MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=6)
LEASE = timedelta(minutes=5)
TIMEOUT_SECONDS = 10.0


def signing_secret(secret_key: str, nonce: str) -> str:
    """The secret a subscription's deliveries are signed with, derived from the server's key.

    Only a nonce is stored, so a copy of the database alone cannot forge signatures.
    """
    return hmac.new(secret_key.encode(), f"webhook:{nonce}".encode(), hashlib.sha256).hexdigest()


def new_nonce() -> str:
    return secrets.token_hex(32)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def retry_delay(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed attempt: 30 s, then doubling, at most 6 hours."""
    delay: timedelta = FIRST_RETRY * (2 ** max(attempts - 1, 0))
    return min(delay, LONGEST_RETRY)


def enqueue(
    engine: Engine, event: str, key: str, data: dict[str, Any], occurred_at: datetime | None = None
) -> int:
    """Queue ``event`` about ``key`` for every active subscription to it; return how many were new.

    With ``occurred_at``, subscriptions created after that instant are left out: they did not
    exist when it happened.
    """
    if event not in EVENTS:
        raise ValueError(f"event {event!r} is unknown; use one of {', '.join(EVENTS)}")
    event_id = f"{event}:{key}"[:64]
    now = utc_now()
    added = 0
    with engine.begin() as connection:
        subscriptions = connection.execute(
            select(
                WebhookSubscriptionRow.id, WebhookSubscriptionRow.events, WebhookSubscriptionRow.created_at
            ).where(WebhookSubscriptionRow.active.is_(True))
        ).all()
        for subscription in subscriptions:
            if event not in subscription.events.split(","):
                continue
            if occurred_at is not None and as_utc(subscription.created_at) > occurred_at:
                continue
            exists = connection.execute(
                select(WebhookDeliveryRow.id).where(
                    WebhookDeliveryRow.subscription_id == subscription.id,
                    WebhookDeliveryRow.event_id == event_id,
                )
            ).first()
            if exists:
                continue
            payload = {
                "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{subscription.id}/{event_id}")),
                "event": event,
                "created_at": now.isoformat(),
                "data": data,
            }
            connection.execute(
                insert(WebhookDeliveryRow).values(
                    subscription_id=subscription.id,
                    event_id=event_id,
                    event=event,
                    payload=json.dumps(payload, default=str, sort_keys=True),
                    state="pending",
                    attempts=0,
                    next_attempt_at=now,
                    created_at=now,
                )
            )
            added += 1
    if added:
        log.info("webhook event %s queued for %d subscriptions", event_id, added)
    return added


@dataclass
class DeliveryReport:
    delivered: int = 0
    retried: int = 0
    failed: int = 0


def _claim(engine: Engine, delivery_id: int, due: datetime, now: datetime) -> bool:
    with engine.begin() as connection:
        claimed = connection.execute(
            update(WebhookDeliveryRow)
            .where(WebhookDeliveryRow.id == delivery_id, WebhookDeliveryRow.next_attempt_at == due)
            .values(state="sending", next_attempt_at=now + LEASE)
        ).rowcount
    return claimed == 1


def _attempt(client: httpx.Client, url: str, secret: str, row: Any) -> tuple[int | None, str | None]:
    body = row.payload.encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Receivables-Webhooks",
        "Receivables-Event": row.event,
        "Receivables-Delivery": row.event_id,
        "Receivables-Signature": signature(secret, int(time.time()), body),
    }
    try:
        response = client.post(url, content=body, headers=headers)
    except httpx.HTTPError as error:
        return None, f"{type(error).__name__}: {error}"[:500]
    if 200 <= response.status_code < 300:
        return response.status_code, None
    return response.status_code, f"HTTP {response.status_code}: {response.text[:200]}"


def deliver_due(engine: Engine, secret_key: str, limit: int = 100) -> DeliveryReport:
    """Send every delivery whose next attempt is due, and schedule or give up the failed ones."""
    report = DeliveryReport()
    now = utc_now()
    with engine.connect() as connection:
        rows = connection.execute(
            select(
                WebhookDeliveryRow.id,
                WebhookDeliveryRow.event,
                WebhookDeliveryRow.event_id,
                WebhookDeliveryRow.payload,
                WebhookDeliveryRow.attempts,
                WebhookDeliveryRow.next_attempt_at,
                WebhookSubscriptionRow.url,
                WebhookSubscriptionRow.secret,
            )
            .join(WebhookSubscriptionRow, WebhookSubscriptionRow.id == WebhookDeliveryRow.subscription_id)
            .where(
                WebhookDeliveryRow.state.in_(("pending", "sending")),
                WebhookDeliveryRow.next_attempt_at <= now,
                WebhookSubscriptionRow.active.is_(True),
            )
            .order_by(WebhookDeliveryRow.next_attempt_at, WebhookDeliveryRow.id)
            .limit(limit)
        ).all()
    with httpx.Client(timeout=TIMEOUT_SECONDS, follow_redirects=False) as client:
        for row in rows:
            if not _claim(engine, row.id, row.next_attempt_at, now):
                continue
            status, error = _attempt(client, row.url, signing_secret(secret_key, row.secret), row)
            _record(engine, row, status, error, report)
    return report


def _record(engine: Engine, row: Any, status: int | None, error: str | None, report: DeliveryReport) -> None:
    attempts = row.attempts + 1
    now = utc_now()
    values: dict[str, Any] = {"attempts": attempts, "last_status": status, "last_error": error}
    if error is None:
        values.update(state="delivered", delivered_at=now)
        report.delivered += 1
    elif attempts >= MAX_ATTEMPTS:
        values.update(state="failed")
        report.failed += 1
        log.warning(
            "webhook %s (delivery %d) failed for good after %d attempts: %s",
            row.event_id,
            row.id,
            attempts,
            error,
        )
    else:
        values.update(state="pending", next_attempt_at=now + retry_delay(attempts))
        report.retried += 1
        log.info(
            "webhook %s (delivery %d) attempt %d failed, will retry: %s",
            row.event_id,
            row.id,
            attempts,
            error,
        )
    with engine.begin() as connection:
        connection.execute(update(WebhookDeliveryRow).where(WebhookDeliveryRow.id == row.id).values(**values))


def next_due(engine: Engine) -> datetime | None:
    """When the earliest pending delivery is due, or None when nothing waits."""
    with engine.connect() as connection:
        due = connection.execute(
            select(WebhookDeliveryRow.next_attempt_at)
            .where(WebhookDeliveryRow.state.in_(("pending", "sending")))
            .order_by(WebhookDeliveryRow.next_attempt_at)
            .limit(1)
        ).scalar()
    return as_utc(due) if due else None
