"""The ERP's pushes, uploads and idempotency keys: a repeat returns the first answer, changes nothing."""

from __future__ import annotations

from typing import Any

from api_helpers import Api, error_of
from sqlalchemy import func, select

from receivables.domain.credit.roles import Role
from receivables.storage.models import DocumentRow
from receivables.storage.service_models import WebhookDeliveryRow


def _invoice(number: str, **changes: Any) -> dict[str, Any]:
    invoice = {
        "kind": "invoice",
        "number": number,
        "customer_code": "B002",
        "document_date": "2024-06-10",
        "due_date": "2024-07-10",
        "currency": "EUR",
        "amount": "750.00",
    }
    invoice.update(changes)
    return invoice


def _count_documents(api: Api) -> int:
    with api.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(DocumentRow)).scalar_one())


def test_push_invoice_stores_it(api: Api) -> None:
    response = api.post(
        Role.FINANCE_MANAGER, "/api/erp/invoices", json={"documents": [_invoice("INV-4")]}, key="k1"
    )
    assert response.status_code == 200
    assert response.json()["written"]["documents"]["inserted"] == 1
    stored = api.get(Role.VIEWER, "/api/documents/invoice/INV-4").json()
    assert stored[0]["open_amount"] == "750.00"


def test_push_needs_idempotency_key(api: Api) -> None:
    response = api.post(Role.FINANCE_MANAGER, "/api/erp/invoices", json={"documents": [_invoice("INV-4")]})
    assert response.status_code == 428
    assert error_of(response)["field"] == "Idempotency-Key"


def test_same_key_replays_first_answer(api: Api) -> None:
    body = {"documents": [_invoice("INV-4")]}
    first = api.post(Role.FINANCE_MANAGER, "/api/erp/invoices", json=body, key="same")
    count = _count_documents(api)
    second = api.post(Role.FINANCE_MANAGER, "/api/erp/invoices", json=body, key="same")
    assert second.status_code == first.status_code
    assert second.json() == first.json()
    assert second.headers["Idempotent-Replayed"] == "true"
    assert _count_documents(api) == count


def test_same_key_other_body_rejected(api: Api) -> None:
    api.post(Role.FINANCE_MANAGER, "/api/erp/invoices", json={"documents": [_invoice("INV-4")]}, key="k2")
    other = api.post(
        Role.FINANCE_MANAGER, "/api/erp/invoices", json={"documents": [_invoice("INV-5")]}, key="k2"
    )
    assert other.status_code == 422
    assert error_of(other)["code"] == "idempotency_key_reused"
    assert error_of(other)["field"] == "Idempotency-Key"
    assert api.get(Role.VIEWER, "/api/documents/invoice/INV-5").status_code == 404


def test_keys_are_per_user(api: Api) -> None:
    body = {"documents": [_invoice("INV-4")]}
    api.post(Role.FINANCE_MANAGER, "/api/erp/invoices", json=body, key="shared")
    response = api.post(Role.ADMIN, "/api/erp/invoices", json=body, key="shared")
    assert "Idempotent-Replayed" not in response.headers
    assert response.json()["written"]["documents"]["unchanged"] == 1


def test_same_record_twice_stored_once(api: Api) -> None:
    body = {"documents": [_invoice("INV-4")]}
    api.post(Role.FINANCE_MANAGER, "/api/erp/invoices", json=body, key="a")
    count = _count_documents(api)
    again = api.post(Role.FINANCE_MANAGER, "/api/erp/invoices", json=body, key="b")
    assert again.json()["written"]["documents"]["unchanged"] == 1
    assert _count_documents(api) == count


def test_bad_record_named_by_place(api: Api) -> None:
    documents = [_invoice("INV-4"), _invoice("INV-5", due_date="2024-06-01")]
    response = api.post(Role.FINANCE_MANAGER, "/api/erp/invoices", json={"documents": documents}, key="bad")
    assert response.status_code == 422
    assert error_of(response)["field"] == "documents[1].due_date"
    assert api.get(Role.VIEWER, "/api/documents/invoice/INV-4").status_code == 404


def test_bad_json_field_named(api: Api) -> None:
    documents = [_invoice("INV-4", amount="-3")]
    response = api.post(Role.FINANCE_MANAGER, "/api/erp/invoices", json={"documents": documents}, key="neg")
    assert response.status_code == 422
    assert error_of(response)["field"] == "documents[0].amount"


def test_bad_key_rejected(api: Api) -> None:
    response = api.post(Role.FINANCE_MANAGER, "/api/erp/invoices", json={"documents": []}, key="x" * 201)
    assert response.status_code == 422
    assert error_of(response)["field"] == "Idempotency-Key"


def test_payment_settles_and_announces(api: Api) -> None:
    api.post(Role.ADMIN, "/api/webhooks", json={"url": "http://127.0.0.1:9/h", "events": ["invoice.paid"]})
    payment = {
        "number": "PAY-2",
        "customer_code": "A001",
        "document_date": "2024-06-20",
        "currency": "EUR",
        "amount": "600.00",
        "allocations": [{"target_number": "INV-1", "amount": "600.00"}],
    }
    response = api.post(Role.FINANCE_MANAGER, "/api/erp/payments", json={"payments": [payment]}, key="p")
    assert response.status_code == 200
    assert api.get(Role.VIEWER, "/api/documents/invoice/INV-1").json()[0]["open_amount"] == "0.00"
    with api.engine.connect() as connection:
        events = connection.execute(select(WebhookDeliveryRow.event_id)).scalars().all()
    assert events == ["invoice.paid:invoice:INV-1:1"]


def test_payment_over_invoice_rejected(api: Api) -> None:
    payment = {
        "number": "PAY-2",
        "customer_code": "A001",
        "document_date": "2024-06-20",
        "currency": "EUR",
        "amount": "900.00",
        "allocations": [{"target_number": "INV-1", "amount": "900.00"}],
    }
    response = api.post(Role.FINANCE_MANAGER, "/api/erp/payments", json={"payments": [payment]}, key="over")
    assert response.status_code == 422
    assert error_of(response)["field"].startswith("allocations[0]")


def test_push_customer(api: Api) -> None:
    customers = {"customers": [{"customer_code": "C003", "name": "Cedar AB", "country": "SE"}]}
    response = api.post(Role.FINANCE_MANAGER, "/api/erp/customers", json=customers, key="c")
    assert response.status_code == 200
    assert api.get(Role.VIEWER, "/api/customers/C003").json()["name"] == "Cedar AB"


def test_upload_ledger_file(api: Api) -> None:
    files = {"files": ("customers.csv", b"customer_code,name\nD004,Dogwood Oy\n", "text/csv")}
    response = api.post(Role.FINANCE_MANAGER, "/api/imports", files=files, key="u1")
    assert response.status_code == 200
    assert response.json()["files"][0]["file"] == "customers.csv"
    assert api.get(Role.VIEWER, "/api/customers/D004").status_code == 200


def test_upload_bad_row_names_column(api: Api) -> None:
    files = {"files": ("customers.csv", b"customer_code,name\n,Nameless\n", "text/csv")}
    response = api.post(Role.FINANCE_MANAGER, "/api/imports", files=files, key="u2")
    assert response.status_code == 422
    error = error_of(response)
    assert error["field"] == "customer_code"
    assert "customers.csv, row 2" in error["message"]


def test_upload_unknown_profile(api: Api) -> None:
    files = {"files": ("customers.csv", b"customer_code,name\nD004,Dogwood Oy\n", "text/csv")}
    response = api.post(Role.FINANCE_MANAGER, "/api/imports", files=files, data={"profile": "sap"}, key="u3")
    assert response.status_code == 422
    assert error_of(response)["field"] == "profile"


def test_upload_without_files(api: Api) -> None:
    response = api.post(Role.FINANCE_MANAGER, "/api/imports", data={"profile": "generic"}, key="u4")
    assert response.status_code == 422
    assert error_of(response)["field"] == "files"
