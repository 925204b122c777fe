"""Webhook subscriptions (admin): where to send ``invoice.paid``, ``customer.on_hold`` and
``promise.broken``, the deliveries made, and a way to send the due deliveries at once."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends
from pydantic import AnyHttpUrl, BaseModel, Field
from sqlalchemy import func, insert, select, update

from receivables.api.common import EngineDep, PageDep
from receivables.api.outbound import deliver_due, new_nonce, signing_secret
from receivables.auth import Access, Principal
from receivables.auth.clock import utc_now
from receivables.service.dependencies import SettingsDep, allow
from receivables.service.errors import ApiError, not_found
from receivables.storage.service_models import WebhookDeliveryRow, WebhookSubscriptionRow

router = APIRouter(tags=["webhooks"])
Admin = Annotated[Principal, Depends(allow(Access.MANAGE_WEBHOOKS))]
Event = Literal["invoice.paid", "customer.on_hold", "promise.broken"]


class SubscriptionRequest(BaseModel):
    url: AnyHttpUrl = Field(description="The receiver, http or https; https in production.")
    events: list[Event] = Field(min_length=1, max_length=3)


class Subscription(BaseModel):
    id: int
    url: str
    events: list[str]
    active: bool
    created_at: datetime


class NewSubscription(Subscription):
    signing_secret: str = Field(description="Verify Receivables-Signature with it; shown only now.")


def _secret_key(settings: SettingsDep) -> str:
    if not settings.secret_key:
        raise ApiError(
            409,
            "no_secret_key",
            "webhooks need a secret key: set RECEIVABLES_SECRET_KEY (32 or more random characters)",
        )
    return settings.secret_key


@router.post("/webhooks", operation_id="create_webhook", status_code=201, response_model=NewSubscription)
def create_webhook(
    body: SubscriptionRequest, engine: EngineDep, settings: SettingsDep, principal: Admin
) -> NewSubscription:
    """Subscribe a URL to events; the answer holds the signing secret, which is not shown again."""
    key = _secret_key(settings)
    nonce = new_nonce()
    now = utc_now()
    events = sorted({str(event) for event in body.events})
    with engine.begin() as connection:
        subscription_id = connection.execute(
            insert(WebhookSubscriptionRow)
            .values(
                url=str(body.url),
                events=",".join(events),
                secret=nonce,
                active=True,
                created_at=now,
                created_by=principal.user_id,
            )
            .returning(WebhookSubscriptionRow.id)
        ).scalar_one()
    return NewSubscription(
        id=subscription_id,
        url=str(body.url),
        events=events,
        active=True,
        created_at=now,
        signing_secret=signing_secret(key, nonce),
    )


@router.get("/webhooks", operation_id="list_webhooks", response_model=list[Subscription])
def list_webhooks(engine: EngineDep, principal: Admin) -> list[Subscription]:
    """List the subscriptions, active and ended."""
    with engine.connect() as connection:
        rows = connection.execute(select(WebhookSubscriptionRow).order_by(WebhookSubscriptionRow.id)).all()
    return [
        Subscription(
            id=row.id, url=row.url, events=row.events.split(","), active=row.active, created_at=row.created_at
        )
        for row in rows
    ]


@router.delete("/webhooks/{subscription_id}", operation_id="end_webhook", status_code=204)
def end_webhook(subscription_id: int, engine: EngineDep, principal: Admin) -> None:
    """End a subscription: nothing more is sent to it, and its delivery history stays."""
    with engine.begin() as connection:
        changed = connection.execute(
            update(WebhookSubscriptionRow)
            .where(WebhookSubscriptionRow.id == subscription_id)
            .values(active=False)
        ).rowcount
    if not changed:
        raise not_found(f"webhook {subscription_id}", "subscription_id")


@router.get("/webhooks/{subscription_id}/deliveries", operation_id="list_webhook_deliveries")
def list_webhook_deliveries(
    subscription_id: int, engine: EngineDep, principal: Admin, page: PageDep
) -> dict[str, Any]:
    """List a subscription's deliveries, newest first, with their state and last error."""
    where = WebhookDeliveryRow.subscription_id == subscription_id
    with engine.connect() as connection:
        exists = connection.execute(
            select(WebhookSubscriptionRow.id).where(WebhookSubscriptionRow.id == subscription_id)
        ).first()
        if exists is None:
            raise not_found(f"webhook {subscription_id}", "subscription_id")
        total = connection.execute(
            select(func.count()).select_from(WebhookDeliveryRow).where(where)
        ).scalar_one()
        rows = connection.execute(
            select(
                WebhookDeliveryRow.event_id,
                WebhookDeliveryRow.event,
                WebhookDeliveryRow.state,
                WebhookDeliveryRow.attempts,
                WebhookDeliveryRow.last_status,
                WebhookDeliveryRow.last_error,
                WebhookDeliveryRow.next_attempt_at,
                WebhookDeliveryRow.delivered_at,
            )
            .where(where)
            .order_by(WebhookDeliveryRow.id.desc())
            .limit(page.limit)
            .offset(page.offset)
        ).all()
    items = [dict(row._mapping) for row in rows]
    return {"items": items, "total": total, "limit": page.limit, "offset": page.offset}


@router.post("/webhooks/deliveries/send", operation_id="send_due_webhooks")
def send_due_webhooks(engine: EngineDep, settings: SettingsDep, principal: Admin) -> dict[str, int]:
    """Send the deliveries that are due now, without waiting for the server's background sender."""
    report = deliver_due(engine, _secret_key(settings))
    return {"delivered": report.delivered, "retried": report.retried, "failed": report.failed}
