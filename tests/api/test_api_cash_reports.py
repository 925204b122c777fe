"""Cash application, reports and forecasts through the API."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from api_helpers import Api, error_of
from sqlalchemy import select

from receivables.banking.camt_writer import write_camt053
from receivables.banking.statements import BankTransaction
from receivables.domain.credit.roles import Role
from receivables.domain.money import Money
from receivables.storage.service_models import WebhookDeliveryRow

OUR_IBAN = "DE89370400440532013000"


def _statement(amount: str, text: str) -> bytes:
    receipt = BankTransaction(
        sequence=1,
        amount=Money.of(amount, "EUR"),
        booking_date=date(2024, 6, 28),
        counterparty_name="Birch SARL",
        remittance_text=text,
        end_to_end_id="E2E-1",
        bank_reference="BANKREF-1",
    )
    return write_camt053("STMT-0628", OUR_IBAN, Money.of("0.00", "EUR"), [receipt], datetime(2024, 6, 28, 18))


def _import(api: Api, content: bytes, key: str) -> dict:
    files = {"files": ("june.xml", content, "application/xml")}
    response = api.post(Role.FINANCE_MANAGER, "/api/cash/statements", files=files, key=key)
    assert response.status_code == 200, response.text
    return response.json()


def test_statement_import_then_match(api: Api) -> None:
    imported = _import(api, _statement("2500.00", "Invoice INV-3"), "s1")
    assert imported["statements"][0]["new"] == 1
    assert imported["statements"][0]["file"] == "june.xml"
    run = api.post(Role.FINANCE_MANAGER, "/api/cash/matching-runs", json={}, key="m1")
    assert run.status_code == 200
    counts = run.json()
    assert counts["transactions"] == 1
    assert counts["auto_applied"] + counts["suggested"] + counts["unmatched"] == 1


def test_matching_run_announces_paid_invoice(api: Api) -> None:
    api.post(Role.ADMIN, "/api/webhooks", json={"url": "http://127.0.0.1:9/h", "events": ["invoice.paid"]})
    _import(api, _statement("2500.00", "Invoice INV-3"), "s1")

    run = api.post(Role.FINANCE_MANAGER, "/api/cash/matching-runs", json={}, key="m1").json()

    assert run["auto_applied"] == 1
    with api.engine.connect() as connection:
        events = connection.execute(select(WebhookDeliveryRow.event_id)).scalars().all()
    assert events == ["invoice.paid:invoice:INV-3:1"]


def test_statement_import_twice_adds_nothing(api: Api) -> None:
    content = _statement("2500.00", "Invoice INV-3")
    _import(api, content, "s1")
    again = _import(api, content, "s2")
    assert again["statements"][0]["new"] == 0


def test_malformed_statement_rejected(api: Api) -> None:
    files = {"files": ("broken.xml", b"<Document><Nope/>", "application/xml")}
    response = api.post(Role.FINANCE_MANAGER, "/api/cash/statements", files=files, key="s3")
    assert response.status_code == 422
    error = error_of(response)
    assert error["field"] == "files"
    assert "broken.xml" in error["message"]


def test_split_transaction_by_hand(api: Api) -> None:
    _import(api, _statement("2500.00", "see remittance"), "s1")
    line_id = api.get(Role.VIEWER, "/api/cash/transactions").json()["items"][0]["id"]
    body = {"items": [{"number": "INV-3", "amount": "2500.00"}]}
    response = api.post(Role.FINANCE_MANAGER, f"/api/cash/transactions/{line_id}/split", json=body, key="sp")
    assert response.status_code == 200
    assert api.get(Role.VIEWER, "/api/documents/invoice/INV-3").json()[0]["open_amount"] == "0.00"


def test_split_unknown_invoice_rejected(api: Api) -> None:
    _import(api, _statement("100.00", "x"), "s1")
    line_id = api.get(Role.VIEWER, "/api/cash/transactions").json()["items"][0]["id"]
    body = {"items": [{"number": "INV-404", "amount": "100.00"}]}
    response = api.post(Role.FINANCE_MANAGER, f"/api/cash/transactions/{line_id}/split", json=body, key="sp")
    assert response.status_code == 422


def test_accept_unknown_suggestion(api: Api) -> None:
    response = api.post(Role.FINANCE_MANAGER, "/api/cash/suggestions/404/accept", key="a")
    assert response.status_code == 404
    assert "suggestion 404 not found" in error_of(response)["message"]


def test_reject_unknown_suggestion(api: Api) -> None:
    response = api.post(Role.FINANCE_MANAGER, "/api/cash/suggestions/404/reject")
    assert response.status_code == 404


def test_split_amount_must_be_a_string(api: Api) -> None:
    _import(api, _statement("100.00", "x"), "s1")
    line_id = api.get(Role.VIEWER, "/api/cash/transactions").json()["items"][0]["id"]
    body = {"items": [{"number": "INV-3", "amount": 1.1}]}

    response = api.post(Role.FINANCE_MANAGER, f"/api/cash/transactions/{line_id}/split", json=body, key="sp")

    assert response.status_code == 422
    assert error_of(response)["field"] == "items[0].amount"


def test_split_unknown_transaction(api: Api) -> None:
    body = {"items": [{"number": "INV-3", "amount": "10.00"}]}
    response = api.post(Role.FINANCE_MANAGER, "/api/cash/transactions/404/split", json=body, key="sp")
    assert response.status_code == 404
    assert "bank transaction 404 not found" in error_of(response)["message"]


def test_split_applied_transaction_conflicts(api: Api) -> None:
    _import(api, _statement("2500.00", "see remittance"), "s1")
    line_id = api.get(Role.VIEWER, "/api/cash/transactions").json()["items"][0]["id"]
    body = {"items": [{"number": "INV-3", "amount": "2500.00"}]}
    api.post(Role.FINANCE_MANAGER, f"/api/cash/transactions/{line_id}/split", json=body, key="sp1")

    again = api.post(Role.FINANCE_MANAGER, f"/api/cash/transactions/{line_id}/split", json=body, key="sp2")

    assert again.status_code == 409


def test_transactions_bad_status(api: Api) -> None:
    response = api.get(Role.VIEWER, "/api/cash/transactions?status=lost")
    assert response.status_code == 422
    assert error_of(response)["field"] == "status"


def test_report_has_every_metric(api: Api) -> None:
    body = api.get(Role.FINANCE_MANAGER, "/api/reports/receivables").json()
    assert body["as_of"] == "2024-06-30"
    assert body["total_open"] == "3600.00"
    for metric in ("dso_countback", "cei", "aging", "trend", "top_customers"):
        assert metric in body


def test_report_of_one_customer(api: Api) -> None:
    body = api.get(Role.VIEWER, "/api/reports/receivables?customer=A001").json()
    assert body["total_open"] == "1100.00"


def test_report_bad_buckets(api: Api) -> None:
    response = api.get(Role.VIEWER, "/api/reports/receivables?buckets=30,x")
    assert response.status_code == 422
    assert error_of(response)["field"] == "buckets"


def test_forecast_by_week(api: Api) -> None:
    body = api.get(Role.FINANCE_MANAGER, "/api/forecasts/cash?weeks=4").json()
    assert body["currency"] == "EUR"
    assert [week["week"] for week in body["weeks"] if week.get("period") == "week"] == [1, 2, 3, 4]


def test_forecast_weeks_bounded(api: Api) -> None:
    response = api.get(Role.FINANCE_MANAGER, "/api/forecasts/cash?weeks=0")
    assert response.status_code == 422
    assert error_of(response)["field"] == "weeks"


def test_recommendations_as_advise_gives_them(api: Api) -> None:
    body = api.get(Role.VIEWER, "/api/recommendations?as_of=2024-06-30&top=3").json()

    assert body["as_of"] == "2024-06-30"
    assert body["currency"] == "EUR"
    assert {"receivables", "dso", "loss_allowance"} <= set(body["summary"])
    assert isinstance(body["recommendations"], list)
    assert any(item["kind"] == "invoicing_lag" for item in body["not_computed"])


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("discount_offer=net30", "discount_offer"),
        ("cost_of_capital=1.5", "cost_of_capital"),
        ("late_days=0", "late_days"),
    ],
)
def test_recommendations_bad_input(api: Api, query: str, field: str) -> None:
    response = api.get(Role.FINANCE_MANAGER, f"/api/recommendations?{query}")

    assert response.status_code == 422
    assert error_of(response)["field"] == field


def test_expected_credit_loss_matrix(api: Api) -> None:
    body = api.get(Role.CREDIT_MANAGER, "/api/expected-credit-loss?as_of=2024-06-30&method=roll_rate").json()

    assert body["currency"] == "EUR"
    assert body["method"]["rates"] == "roll_rate"
    assert "allowance" in body["total"]


def test_expected_credit_loss_bad_method(api: Api) -> None:
    response = api.get(Role.CREDIT_MANAGER, "/api/expected-credit-loss?method=guess")

    assert response.status_code == 422
    assert error_of(response)["field"] == "method"
