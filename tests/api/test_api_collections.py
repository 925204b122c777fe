"""Collections through the API: runs, notices, the worklist, tasks, disputes, promises, statements."""

from __future__ import annotations

from api_helpers import Api, error_of

from receivables.domain.credit.roles import Role


def test_run_needs_idempotency_key(api: Api) -> None:
    response = api.post(Role.COLLECTOR, "/api/collections/runs", json={"send": False})
    assert response.status_code == 428
    assert error_of(response)["field"] == "Idempotency-Key"


def test_run_plans_notices(api: Api) -> None:
    response = api.post(Role.COLLECTOR, "/api/collections/runs", json={"send": False}, key="run-0630")
    assert response.status_code == 201
    body = response.json()
    assert body["as_of"] == "2024-06-30"
    assert body["customers_with_open_items"] == 2
    notices = api.get(Role.VIEWER, "/api/collections/notices").json()
    assert notices["total"] == body["notices"]["planned"]


def test_run_bad_date_names_as_of(api: Api) -> None:
    response = api.post(Role.COLLECTOR, "/api/collections/runs", json={"as_of": "30.06.2024"}, key="r")
    assert response.status_code == 422
    assert error_of(response)["field"] == "as_of"


def test_deliveries_need_key_and_channel(api: Api) -> None:
    assert api.post(Role.ADMIN, "/api/collections/deliveries", json={}).status_code == 428
    response = api.post(Role.ADMIN, "/api/collections/deliveries", json={"channel": "fax"}, key="d1")
    assert response.status_code == 422
    assert error_of(response)["field"] == "channel"


def test_worklist_of_collector_is_own(api: Api) -> None:
    rows = api.get(Role.COLLECTOR, "/api/collections/worklist?collector=someone").json()["items"]
    assert [row["customer_code"] for row in rows] == ["A001"]
    nobody = api.get(Role.FINANCE_MANAGER, "/api/collections/worklist?collector=nobody").json()["items"]
    assert nobody == []


def test_notice_approve_and_skip_unknown(api: Api) -> None:
    approved = api.post(Role.COLLECTOR, "/api/collections/notices/approve", json={"notice_ids": [999]})
    assert approved.status_code == 404
    skipped = api.post(Role.COLLECTOR, "/api/collections/notices/999/skip", json={"reason": "paid"})
    assert skipped.status_code == 404


def test_notice_approve_needs_ids(api: Api) -> None:
    response = api.post(Role.COLLECTOR, "/api/collections/notices/approve", json={"notice_ids": []})
    assert response.status_code == 422
    assert error_of(response)["field"] == "notice_ids"


def test_task_call_logged(api: Api) -> None:
    added = api.post(Role.COLLECTOR, "/api/collections/tasks", json={"customer": "A001", "note": "call AP"})
    assert added.status_code == 201
    task_id = added.json()["task_id"]
    done = api.post(Role.COLLECTOR, f"/api/collections/tasks/{task_id}/outcome", json={"outcome": "reached"})
    assert done.status_code == 200
    assert done.json()["outcome"] == "reached"
    tasks = api.get(Role.COLLECTOR, "/api/collections/tasks?status=done").json()["items"]
    assert [(task["id"], task["done_by"]) for task in tasks] == [(task_id, "colin")]


def test_task_outcome_promise(api: Api) -> None:
    task_id = api.post(Role.COLLECTOR, "/api/collections/tasks", json={"customer": "A001"}).json()["task_id"]
    outcome = {"outcome": "promise_to_pay", "promised_date": "2024-07-15", "amount": "600.00"}
    done = api.post(Role.COLLECTOR, f"/api/collections/tasks/{task_id}/outcome", json=outcome)
    assert done.status_code == 200
    assert done.json()["promise_id"] is not None


def test_task_outcome_unknown_is_422(api: Api) -> None:
    task_id = api.post(Role.COLLECTOR, "/api/collections/tasks", json={"customer": "A001"}).json()["task_id"]
    response = api.post(
        Role.COLLECTOR, f"/api/collections/tasks/{task_id}/outcome", json={"outcome": "shrug"}
    )
    assert response.status_code == 422
    assert error_of(response)["field"] == "outcome"


def test_task_done_twice_is_409(api: Api) -> None:
    task_id = api.post(Role.COLLECTOR, "/api/collections/tasks", json={"customer": "A001"}).json()["task_id"]
    path = f"/api/collections/tasks/{task_id}/outcome"
    api.post(Role.COLLECTOR, path, json={"outcome": "no_answer"})
    assert api.post(Role.COLLECTOR, path, json={"outcome": "reached"}).status_code == 409


def test_task_for_unassigned_customer_denied(api: Api) -> None:
    response = api.post(Role.COLLECTOR, "/api/collections/tasks", json={"customer": "B002"})
    assert response.status_code == 403


def test_dispute_open_and_resolve(api: Api) -> None:
    opened = api.post(
        Role.SALES, "/api/collections/disputes", json={"document": "INV-3", "reason": "quality"}
    )
    assert opened.status_code == 201
    dispute_id = opened.json()["dispute_id"]
    assert api.get(Role.VIEWER, "/api/collections/disputes?status=open").json()["total"] == 1
    resolved = api.post(
        Role.CREDIT_MANAGER,
        f"/api/collections/disputes/{dispute_id}/resolve",
        json={"resolution": "rejected"},
    )
    assert resolved.status_code == 200
    assert api.get(Role.VIEWER, "/api/collections/disputes?status=resolved").json()["total"] == 1


def test_dispute_unknown_document(api: Api) -> None:
    response = api.post(
        Role.SALES, "/api/collections/disputes", json={"document": "INV-9", "reason": "price"}
    )
    assert response.status_code == 422
    assert error_of(response)["field"] == "document"


def test_dispute_bad_reason(api: Api) -> None:
    response = api.post(Role.SALES, "/api/collections/disputes", json={"document": "INV-3", "reason": "mood"})
    assert response.status_code == 422
    assert error_of(response)["field"] == "reason"


def test_promise_record_and_cancel(api: Api) -> None:
    promise = {"customer": "A001", "promised_date": "2024-07-10", "amount": "600.00", "items": ["INV-1"]}
    recorded = api.post(Role.COLLECTOR, "/api/collections/promises", json=promise)
    assert recorded.status_code == 201
    assert recorded.json()["items"] == ["INV-1"]
    promise_id = recorded.json()["promise_id"]
    assert api.post(Role.COLLECTOR, f"/api/collections/promises/{promise_id}/cancel").status_code == 200
    states = [p["state"] for p in api.get(Role.VIEWER, "/api/collections/promises").json()["items"]]
    assert states == ["cancelled"]


def test_promise_amount_must_be_positive(api: Api) -> None:
    promise = {"customer": "A001", "promised_date": "2024-07-10", "amount": "0"}
    response = api.post(Role.COLLECTOR, "/api/collections/promises", json=promise)
    assert response.status_code == 422
    assert error_of(response)["field"] == "amount"


def test_statement_of_period(api: Api) -> None:
    body = api.get(Role.VIEWER, "/api/customers/A001/statement?from=2024-01-01&to=2024-06-30").json()
    section = body["currencies"][0]
    assert section["opening_balance"] == "0.00"
    assert section["closing_balance"] == "1100.00"


def test_statement_period_backwards(api: Api) -> None:
    response = api.get(Role.VIEWER, "/api/customers/A001/statement?from=2024-06-30&to=2024-01-01")
    assert response.status_code == 422
    assert error_of(response)["field"] == "to"
