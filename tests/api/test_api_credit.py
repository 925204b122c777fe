"""Credit through the API: the order check, the evaluation, limits and holds."""

from __future__ import annotations

from api_helpers import Api, error_of
from sqlalchemy import delete, select

from receivables.domain.credit.roles import Role
from receivables.services.context import COMPANY_CURRENCY
from receivables.storage.models import CompanySetting
from receivables.storage.service_models import WebhookDeliveryRow


def test_order_check_decides(api: Api) -> None:
    response = api.post(
        Role.SALES, "/api/credit/order-checks", json={"customer": "B002", "amount": "1000.00"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["decision"] in ("approve", "hold")
    assert body["as_of"] == "2024-06-30"
    assert body["exposure_parts"]["open_items"] == "2500.00"


def test_order_check_rejects_bad_amount(api: Api) -> None:
    response = api.post(Role.SALES, "/api/credit/order-checks", json={"customer": "B002", "amount": "12,5x"})
    assert response.status_code == 422
    assert error_of(response)["field"] == "amount"


def test_order_check_rejects_negative_amount(api: Api) -> None:
    response = api.post(Role.SALES, "/api/credit/order-checks", json={"customer": "B002", "amount": "-5"})
    assert response.status_code == 422
    assert error_of(response)["field"] == "amount"


def test_order_check_needs_customer(api: Api) -> None:
    response = api.post(Role.SALES, "/api/credit/order-checks", json={"amount": "5"})
    assert response.status_code == 422
    assert error_of(response)["field"] == "customer"


def test_order_check_unknown_customer_404(api: Api) -> None:
    response = api.post(Role.SALES, "/api/credit/order-checks", json={"customer": "Z404", "amount": "5"})
    assert response.status_code == 404


def test_order_check_bad_currency(api: Api) -> None:
    body = {"customer": "B002", "amount": "5", "currency": "XYZ"}
    response = api.post(Role.SALES, "/api/credit/order-checks", json=body)
    assert response.status_code == 422
    assert error_of(response)["field"] == "currency"


def test_order_check_converts_currency(api: Api) -> None:
    body = {"customer": "B002", "amount": "100.00", "currency": "USD", "rate": "0.9"}
    response = api.post(Role.SALES, "/api/credit/order-checks", json=body)
    assert response.status_code == 200
    checked = response.json()
    assert checked["order"] == "100.00"
    assert checked["order_currency"] == "USD"
    assert checked["order_in_company_currency"] == "90.00"
    assert checked["currency"] == "EUR"


def test_order_check_without_company_currency_409(api: Api) -> None:
    with api.engine.begin() as connection:
        connection.execute(delete(CompanySetting).where(CompanySetting.key == COMPANY_CURRENCY))
    response = api.post(
        Role.SALES, "/api/credit/order-checks", json={"customer": "B002", "amount": "1000.00"}
    )
    assert response.status_code == 409
    assert error_of(response)["code"] == "no_company_currency"


def test_evaluation_names_class(api: Api) -> None:
    body = api.get(Role.VIEWER, "/api/customers/A001/credit").json()
    assert body["customer"] == "A001"
    assert body["risk_class"]


def test_limit_approval_and_history(api: Api) -> None:
    approval = {"amount": "5000.00", "reason": "annual review", "review_date": "2025-06-30"}
    response = api.post(Role.CREDIT_MANAGER, "/api/customers/A001/credit/limits", json=approval)
    assert response.status_code == 201
    assert response.json()["approved_by"] == "cora"
    history = api.get(Role.VIEWER, "/api/customers/A001/credit/limits").json()["history"]
    assert [(item["amount"], item["review_date"]) for item in history] == [("5000.00", "2025-06-30")]
    assert api.get(Role.VIEWER, "/api/customers/A001").json()["credit"]["credit_limit"] == "5000.00"


def test_limit_review_date_must_follow(api: Api) -> None:
    approval = {"amount": "5000.00", "reason": "x", "review_date": "2024-01-01"}
    response = api.post(Role.CREDIT_MANAGER, "/api/customers/A001/credit/limits", json=approval)
    assert response.status_code == 422
    assert error_of(response)["field"] == "review_date"


def test_limit_needs_reason(api: Api) -> None:
    response = api.post(Role.CREDIT_MANAGER, "/api/customers/A001/credit/limits", json={"amount": "1"})
    assert response.status_code == 422
    assert error_of(response)["field"] == "reason"


def test_recommendation_lists_methods(api: Api) -> None:
    body = api.get(Role.FINANCE_MANAGER, "/api/customers/A001/credit/recommendation").json()
    assert "methods" in body


def test_hold_then_release(api: Api) -> None:
    placed = api.post(Role.COLLECTOR, "/api/customers/A001/credit/hold", json={"reason": "60 days late"})
    assert placed.status_code == 201
    assert placed.json()["placed_by"] == "colin"
    assert api.get(Role.SALES, "/api/customers/A001").json()["credit"]["on_hold"] is True
    released = api.post(Role.CREDIT_MANAGER, "/api/customers/A001/credit/release", json={"reason": "paid"})
    assert released.status_code == 200
    assert released.json()["released_by"] == "cora"


def test_hold_twice_is_409(api: Api) -> None:
    api.post(Role.ADMIN, "/api/customers/B002/credit/hold", json={"reason": "first"})
    again = api.post(Role.ADMIN, "/api/customers/B002/credit/hold", json={"reason": "second"})
    assert again.status_code == 409
    assert "already on hold" in error_of(again)["message"]


def test_release_without_hold_is_409(api: Api) -> None:
    response = api.post(Role.ADMIN, "/api/customers/B002/credit/release", json={"reason": "x"})
    assert response.status_code == 409


def test_hold_needs_reason(api: Api) -> None:
    response = api.post(Role.ADMIN, "/api/customers/B002/credit/hold", json={"reason": ""})
    assert response.status_code == 422
    assert error_of(response)["field"] == "reason"


def test_collector_cannot_hold_others(api: Api) -> None:
    response = api.post(Role.COLLECTOR, "/api/customers/B002/credit/hold", json={"reason": "x"})
    assert response.status_code == 403


def test_hold_queues_webhook_event(api: Api) -> None:
    created = api.post(
        Role.ADMIN, "/api/webhooks", json={"url": "http://127.0.0.1:9/hook", "events": ["customer.on_hold"]}
    )
    assert created.status_code == 201
    api.post(Role.ADMIN, "/api/customers/B002/credit/hold", json={"reason": "bounced cheque"})
    with api.engine.connect() as connection:
        events = connection.execute(select(WebhookDeliveryRow.event, WebhookDeliveryRow.state)).all()
    assert [(row.event, row.state) for row in events] == [("customer.on_hold", "pending")]
