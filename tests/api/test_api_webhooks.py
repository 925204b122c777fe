"""Outbound webhooks against a real receiver on 127.0.0.1: signatures, retries, giving up."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from datetime import timedelta

from api_helpers import SECRET_KEY, Api, error_of, service_settings
from fastapi.testclient import TestClient
from receiver import webhook_receiver
from sqlalchemy import select, update

from receivables.api.events import announce_recent_holds
from receivables.api.outbound import MAX_ATTEMPTS, retry_delay
from receivables.auth.clock import utc_now
from receivables.credit.holds import place_hold
from receivables.domain.credit.roles import Role
from receivables.service import create_app
from receivables.storage.service_models import WebhookDeliveryRow


def _subscribe(api: Api, url: str, events: list[str]) -> dict:
    response = api.post(Role.ADMIN, "/api/webhooks", json={"url": url, "events": events})
    assert response.status_code == 201
    return response.json()


def _verify(secret: str, headers: dict[str, str], body: bytes) -> bool:
    parts = dict(part.split("=", 1) for part in headers["receivables-signature"].split(","))
    expected = hmac.new(secret.encode(), f"{parts['t']}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts["v1"])


def _make_due(api: Api) -> None:
    with api.engine.begin() as connection:
        connection.execute(update(WebhookDeliveryRow).values(next_attempt_at=utc_now()))


def test_hold_delivered_signed(api: Api) -> None:
    with webhook_receiver() as receiver:
        created = _subscribe(api, receiver.url, ["customer.on_hold"])
        api.post(Role.CREDIT_MANAGER, "/api/customers/A001/credit/hold", json={"reason": "overdue"})
        sent = api.post(Role.ADMIN, "/api/webhooks/deliveries/send").json()
    assert sent == {"delivered": 1, "retried": 0, "failed": 0}
    headers, body = receiver.received[0]
    assert headers["receivables-event"] == "customer.on_hold"
    assert _verify(created["signing_secret"], headers, body)
    assert not _verify("another secret", headers, body)
    event = json.loads(body)
    assert event["data"]["customer"] == "A001"
    assert event["data"]["placed_by"] == "cora"


def test_failed_delivery_retried_later(api: Api) -> None:
    with webhook_receiver(statuses=[500]) as receiver:
        created = _subscribe(api, receiver.url, ["customer.on_hold"])
        api.post(Role.ADMIN, "/api/customers/B002/credit/hold", json={"reason": "x"})
        first = api.post(Role.ADMIN, "/api/webhooks/deliveries/send").json()
        not_yet = api.post(Role.ADMIN, "/api/webhooks/deliveries/send").json()
        _make_due(api)
        second = api.post(Role.ADMIN, "/api/webhooks/deliveries/send").json()
    assert first == {"delivered": 0, "retried": 1, "failed": 0}
    assert not_yet == {"delivered": 0, "retried": 0, "failed": 0}
    assert second["delivered"] == 1
    assert receiver.received[0][0]["receivables-delivery"] == receiver.received[1][0]["receivables-delivery"]
    deliveries = api.get(Role.ADMIN, f"/api/webhooks/{created['id']}/deliveries").json()["items"]
    assert [(item["state"], item["attempts"], item["last_status"]) for item in deliveries] == [
        ("delivered", 2, 204)
    ]


def test_delivery_given_up_after_max(api: Api) -> None:
    with webhook_receiver(statuses=[503] * MAX_ATTEMPTS) as receiver:
        _subscribe(api, receiver.url, ["customer.on_hold"])
        api.post(Role.ADMIN, "/api/customers/B002/credit/hold", json={"reason": "x"})
        for _ in range(MAX_ATTEMPTS):
            _make_due(api)
            api.post(Role.ADMIN, "/api/webhooks/deliveries/send")
    assert len(receiver.received) == MAX_ATTEMPTS
    with api.engine.connect() as connection:
        state = connection.execute(select(WebhookDeliveryRow.state, WebhookDeliveryRow.attempts)).one()
    assert tuple(state) == ("failed", MAX_ATTEMPTS)


def test_unreachable_receiver_retried(api: Api) -> None:
    with webhook_receiver() as receiver:
        url = receiver.url
    _subscribe(api, url, ["customer.on_hold"])
    api.post(Role.ADMIN, "/api/customers/B002/credit/hold", json={"reason": "x"})
    sent = api.post(Role.ADMIN, "/api/webhooks/deliveries/send").json()
    assert sent == {"delivered": 0, "retried": 1, "failed": 0}
    with api.engine.connect() as connection:
        error = connection.execute(select(WebhookDeliveryRow.last_error)).scalar_one()
    assert "Connect" in error


def test_retry_delays_double() -> None:
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3)] == [30, 60, 120]
    assert retry_delay(30).total_seconds() == 6 * 3600


def test_ended_subscription_gets_nothing(api: Api) -> None:
    with webhook_receiver() as receiver:
        created = _subscribe(api, receiver.url, ["customer.on_hold"])
        assert api.call(Role.ADMIN, "DELETE", f"/api/webhooks/{created['id']}").status_code == 204
        api.post(Role.ADMIN, "/api/customers/B002/credit/hold", json={"reason": "x"})
        api.post(Role.ADMIN, "/api/webhooks/deliveries/send")
    assert receiver.received == []
    listed = api.get(Role.ADMIN, "/api/webhooks").json()
    assert [item["active"] for item in listed] == [False]


def test_subscription_bad_event(api: Api) -> None:
    response = api.post(Role.ADMIN, "/api/webhooks", json={"url": "http://127.0.0.1:9/", "events": ["x.y"]})
    assert response.status_code == 422
    assert error_of(response)["field"].startswith("events")


def test_subscription_bad_url(api: Api) -> None:
    response = api.post(Role.ADMIN, "/api/webhooks", json={"url": "ftp://x", "events": ["invoice.paid"]})
    assert response.status_code == 422
    assert error_of(response)["field"] == "url"


def test_subscription_needs_secret_key(api: Api) -> None:
    app = create_app(service_settings(secret_key=None), api.engine)
    with TestClient(app) as client:
        response = client.post(
            "/api/webhooks",
            json={"url": "http://127.0.0.1:9/", "events": ["invoice.paid"]},
            headers=api.headers(Role.ADMIN),
        )
    assert response.status_code == 409
    assert "RECEIVABLES_SECRET_KEY" in error_of(response)["message"]


def test_background_sender_delivers(api: Api) -> None:
    app = create_app(service_settings(secret_key=SECRET_KEY, webhook_interval=0.2), api.engine)
    with webhook_receiver() as receiver, TestClient(app) as client:
        created = client.post(
            "/api/webhooks",
            json={"url": receiver.url, "events": ["customer.on_hold"]},
            headers=api.headers(Role.ADMIN),
        )
        assert created.status_code == 201
        client.post("/api/customers/A001/credit/hold", json={"reason": "x"}, headers=api.headers(Role.ADMIN))
        for _ in range(50):
            if receiver.received:
                break
            time.sleep(0.1)
    assert len(receiver.received) == 1


def test_broken_promise_announced(api: Api) -> None:
    _subscribe(api, "http://127.0.0.1:9/hooks", ["promise.broken"])
    promise = {
        "customer": "A001",
        "promised_date": "2024-06-10",
        "amount": "600.00",
        "grace_days": 0,
        "as_of": "2024-06-05",
    }
    assert api.post(Role.COLLECTOR, "/api/collections/promises", json=promise).status_code == 201
    run = api.post(Role.COLLECTOR, "/api/collections/runs", json={"send": False}, key="run-0630")
    assert run.status_code == 201
    with api.engine.connect() as connection:
        events = connection.execute(select(WebhookDeliveryRow.event)).scalars().all()
    assert events == ["promise.broken"]


def test_hold_from_command_line_announced(api: Api) -> None:
    _subscribe(api, "http://127.0.0.1:9/hooks", ["customer.on_hold"])
    place_hold(api.engine, "B002", "cheque bounced", "cora")  # as 'receivables credit hold' does
    since = utc_now() - timedelta(days=1)

    queued = announce_recent_holds(api.engine, since)
    again = announce_recent_holds(api.engine, since)

    assert queued == 1
    assert again == 0
    with api.engine.connect() as connection:
        payload = json.loads(connection.execute(select(WebhookDeliveryRow.payload)).scalar_one())
    assert payload["data"]["customer"] == "B002"
    assert payload["data"]["placed_by"] == "cora"


def test_hold_through_api_announced_once(api: Api) -> None:
    _subscribe(api, "http://127.0.0.1:9/hooks", ["customer.on_hold"])
    api.post(Role.CREDIT_MANAGER, "/api/customers/A001/credit/hold", json={"reason": "overdue"})

    assert announce_recent_holds(api.engine, utc_now() - timedelta(days=1)) == 0


def test_hold_before_subscription_not_announced(api: Api) -> None:
    place_hold(api.engine, "B002", "cheque bounced", "cora")
    _subscribe(api, "http://127.0.0.1:9/hooks", ["customer.on_hold"])

    assert announce_recent_holds(api.engine, utc_now() - timedelta(days=1)) == 0
