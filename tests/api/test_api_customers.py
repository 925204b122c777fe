"""Customers and documents: lists with filters and pages, one customer, one document."""

from __future__ import annotations

from api_helpers import Api, error_of

from receivables.domain.credit.roles import Role


def test_customers_list_in_code_order(api: Api) -> None:
    response = api.get(Role.VIEWER, "/api/customers")
    assert response.status_code == 200
    body = response.json()
    assert [item["code"] for item in body["items"]] == ["A001", "B002"]
    assert body["total"] == 2
    assert body["items"][0]["collector"] == "colin"


def test_customers_filter_and_page(api: Api) -> None:
    assert [c["code"] for c in api.get(Role.SALES, "/api/customers?search=birch").json()["items"]] == ["B002"]
    assert [c["code"] for c in api.get(Role.SALES, "/api/customers?country=de").json()["items"]] == ["A001"]
    second = api.get(Role.SALES, "/api/customers?limit=1&offset=1").json()
    assert [c["code"] for c in second["items"]] == ["B002"]
    assert second["total"] == 2


def test_collector_sees_assigned_customers(api: Api) -> None:
    listed = api.get(Role.COLLECTOR, "/api/customers").json()
    assert [c["code"] for c in listed["items"]] == ["A001"]
    denied = api.get(Role.COLLECTOR, "/api/customers/B002")
    assert denied.status_code == 403
    assert "not assigned" in error_of(denied)["message"]


def test_customer_balance_and_open_items(api: Api) -> None:
    body = api.get(Role.SALES, "/api/customers/A001").json()
    assert body["as_of"] == "2024-06-30"
    assert body["balance"] == "1100.00"
    assert body["overdue"] == "1100.00"
    assert [item["number"] for item in body["open_items"]] == ["INV-1", "INV-2"]
    assert body["open_items"][0]["open_amount"] == "600.00"
    assert body["open_items"][0]["days_past_due"] == 60
    assert body["credit"]["on_hold"] is False


def test_customer_unknown_is_404(api: Api) -> None:
    response = api.get(Role.VIEWER, "/api/customers/NOPE")
    assert response.status_code == 404
    assert error_of(response)["field"] == "customer"


def test_documents_open_only(api: Api) -> None:
    body = api.get(Role.VIEWER, "/api/documents?status=open&kind=invoice").json()
    assert [(d["number"], d["open_amount"]) for d in body["items"]] == [
        ("INV-1", "600.00"),
        ("INV-2", "500.00"),
        ("INV-3", "2500.00"),
    ]


def test_documents_as_of_before_payment(api: Api) -> None:
    body = api.get(Role.VIEWER, "/api/documents?customer=A001&kind=invoice&as_of=2024-05-19").json()
    assert [(d["number"], d["allocated"]) for d in body["items"]] == [("INV-1", "0.00"), ("INV-2", "0.00")]


def test_documents_of_collector_only_assigned(api: Api) -> None:
    body = api.get(Role.COLLECTOR, "/api/documents").json()
    assert {d["customer"] for d in body["items"]} == {"A001"}


def test_document_by_kind_and_number(api: Api) -> None:
    body = api.get(Role.VIEWER, "/api/documents/payment/PAY-1").json()
    assert body[0]["allocated"] == "400.00"
    assert body[0]["open_amount"] == "0.00"


def test_document_unknown_is_404(api: Api) -> None:
    response = api.get(Role.VIEWER, "/api/documents/invoice/INV-404")
    assert response.status_code == 404
    assert error_of(response)["field"] == "number"


def test_bad_page_names_limit(api: Api) -> None:
    response = api.get(Role.VIEWER, "/api/customers?limit=0")
    assert response.status_code == 422
    assert error_of(response)["field"] == "limit"


def test_bad_kind_names_kind(api: Api) -> None:
    response = api.get(Role.VIEWER, "/api/documents?kind=receipt")
    assert response.status_code == 422
    assert error_of(response)["field"] == "kind"


def test_bad_date_names_as_of(api: Api) -> None:
    response = api.get(Role.VIEWER, "/api/documents?as_of=2024-13-01")
    assert response.status_code == 422
    assert error_of(response)["field"] == "as_of"
