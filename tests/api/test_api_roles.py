"""Every endpoint against every role: the roles that must not reach it get 403, nobody signed in 401.

The allowed roles below are the specification, written out rather than read from the role
tables, so a change to a table shows up here. Denied requests change nothing, so one database
serves the whole table.
"""

from __future__ import annotations

from typing import Any

from api_helpers import Api, error_of

from receivables.domain.credit.roles import Role

ADMIN = Role.ADMIN
FINANCE = Role.FINANCE_MANAGER
CREDIT = Role.CREDIT_MANAGER
COLLECTOR = Role.COLLECTOR
SALES = Role.SALES
VIEWER = Role.VIEWER
EVERYONE = frozenset(Role)
MANAGERS = frozenset({ADMIN, FINANCE, CREDIT})

HOLD = {"reason": "overdue"}
CSV = {"files": ("customers.csv", b"customer_code,name\nZ9,Zed\n", "text/csv")}

# (method, path, request keywords, roles allowed)
ENDPOINTS: list[tuple[str, str, dict[str, Any], frozenset[Role]]] = [
    ("GET", "/api/me", {}, EVERYONE),
    ("GET", "/api/customers", {}, EVERYONE),
    ("GET", "/api/customers/A001", {}, EVERYONE),
    ("GET", "/api/documents", {}, EVERYONE),
    ("GET", "/api/documents/invoice/INV-1", {}, EVERYONE),
    ("GET", "/api/customers/A001/credit", {}, EVERYONE),
    ("GET", "/api/customers/A001/credit/limits", {}, EVERYONE),
    ("GET", "/api/customers/A001/statement?from=2024-01-01&to=2024-06-30", {}, EVERYONE),
    ("GET", "/api/customers/A001/credit/recommendation", {}, MANAGERS | {VIEWER}),
    ("POST", "/api/credit/order-checks", {"json": {"customer": "A001", "amount": "10"}}, MANAGERS | {SALES}),
    ("POST", "/api/customers/A001/credit/limits", {"json": {"amount": "1", "reason": "x"}}, {ADMIN, CREDIT}),
    ("POST", "/api/customers/A001/credit/hold", {"json": HOLD}, MANAGERS | {COLLECTOR}),
    ("POST", "/api/customers/A001/credit/release", {"json": HOLD}, {ADMIN, CREDIT}),
    ("GET", "/api/reports/receivables", {}, MANAGERS | {VIEWER}),
    ("GET", "/api/forecasts/cash", {}, MANAGERS | {VIEWER}),
    ("GET", "/api/recommendations", {}, MANAGERS | {VIEWER}),
    ("GET", "/api/expected-credit-loss", {}, MANAGERS | {VIEWER}),
    ("POST", "/api/collections/runs", {"json": {}}, MANAGERS | {COLLECTOR}),
    ("POST", "/api/collections/deliveries", {"json": {}}, MANAGERS | {COLLECTOR}),
    ("GET", "/api/collections/worklist", {}, MANAGERS | {COLLECTOR, VIEWER}),
    ("GET", "/api/collections/notices", {}, MANAGERS | {COLLECTOR, VIEWER}),
    ("POST", "/api/collections/notices/approve", {"json": {"notice_ids": [1]}}, MANAGERS | {COLLECTOR}),
    ("POST", "/api/collections/notices/1/skip", {"json": {"reason": "x"}}, MANAGERS | {COLLECTOR}),
    ("GET", "/api/collections/tasks", {}, MANAGERS | {COLLECTOR, VIEWER}),
    ("POST", "/api/collections/tasks", {"json": {"customer": "A001"}}, MANAGERS | {COLLECTOR}),
    ("POST", "/api/collections/tasks/1/outcome", {"json": {"outcome": "reached"}}, MANAGERS | {COLLECTOR}),
    ("GET", "/api/collections/disputes", {}, MANAGERS | {COLLECTOR, VIEWER}),
    (
        "POST",
        "/api/collections/disputes",
        {"json": {"document": "INV-1", "reason": "price"}},
        MANAGERS | {COLLECTOR, SALES},
    ),
    ("POST", "/api/collections/disputes/1/resolve", {"json": {"resolution": "rejected"}}, MANAGERS),
    ("GET", "/api/collections/promises", {}, MANAGERS | {COLLECTOR, VIEWER}),
    (
        "POST",
        "/api/collections/promises",
        {"json": {"customer": "A001", "promised_date": "2024-07-10", "amount": "100"}},
        MANAGERS | {COLLECTOR},
    ),
    ("POST", "/api/collections/promises/1/cancel", {}, MANAGERS | {COLLECTOR}),
    ("POST", "/api/imports", {"files": CSV}, {ADMIN, FINANCE}),
    (
        "POST",
        "/api/erp/customers",
        {"json": {"customers": [{"customer_code": "Z1", "name": "Z"}]}},
        {ADMIN, FINANCE},
    ),
    ("POST", "/api/erp/invoices", {"json": {"documents": []}}, {ADMIN, FINANCE}),
    ("POST", "/api/erp/payments", {"json": {"payments": []}}, {ADMIN, FINANCE}),
    ("POST", "/api/cash/statements", {"files": CSV}, {ADMIN, FINANCE}),
    ("POST", "/api/cash/matching-runs", {"json": {}}, {ADMIN, FINANCE}),
    ("GET", "/api/cash/transactions", {}, {ADMIN, FINANCE, VIEWER}),
    ("GET", "/api/cash/suggestions", {}, {ADMIN, FINANCE, VIEWER}),
    ("POST", "/api/cash/suggestions/1/accept", {}, {ADMIN, FINANCE}),
    ("POST", "/api/cash/suggestions/1/reject", {}, {ADMIN, FINANCE}),
    (
        "POST",
        "/api/cash/transactions/1/split",
        {"json": {"items": [{"number": "INV-1", "amount": "1"}]}},
        {ADMIN, FINANCE},
    ),
    ("GET", "/api/webhooks", {}, {ADMIN}),
    ("POST", "/api/webhooks", {"json": {"url": "http://127.0.0.1:9/x", "events": ["invoice.paid"]}}, {ADMIN}),
    ("DELETE", "/api/webhooks/1", {}, {ADMIN}),
    ("GET", "/api/webhooks/1/deliveries", {}, {ADMIN}),
    ("POST", "/api/webhooks/deliveries/send", {}, {ADMIN}),
    ("GET", "/api/users", {}, {ADMIN}),
    ("POST", "/api/users", {"json": {"name": "zed", "role": "viewer"}}, {ADMIN}),
    ("POST", "/api/users/vic/password", {"json": {"password": "long enough pw"}}, {ADMIN}),
    ("POST", "/api/users/vic/disable", {}, {ADMIN}),
    ("GET", "/api/tokens", {}, {ADMIN}),
    ("POST", "/api/tokens", {"json": {"user": "vic", "label": "x"}}, {ADMIN}),
    ("DELETE", "/api/tokens/1", {}, {ADMIN}),
    ("GET", "/api/audit", {}, {ADMIN}),
]


def test_every_operation_is_in_the_table(api: Api) -> None:
    listed = {(method, path.split("?")[0]) for method, path, _, _ in ENDPOINTS}
    schema = api.client.get("/api/openapi.json").json()
    operations = [
        (method.upper(), "/api" + path if not path.startswith("/api") else path)
        for path, item in schema["paths"].items()
        for method in item
        if path not in ("/api/health", "/health")
    ]
    assert operations, "the OpenAPI document lists no operations"
    missing = [operation for operation in operations if not _covered(operation, listed)]
    assert missing == []


def test_operation_ids_are_unique(api: Api) -> None:
    schema = api.client.get("/api/openapi.json").json()
    ids = [operation["operationId"] for item in schema["paths"].values() for operation in item.values()]
    assert len(ids) == len(set(ids))


def _covered(operation: tuple[str, str], listed: set[tuple[str, str]]) -> bool:
    method, template = operation
    parts = template.split("/")
    for listed_method, path in listed:
        candidate = path.split("/")
        same_shape = listed_method == method and len(candidate) == len(parts)
        if same_shape and all(p == c or p.startswith("{") for p, c in zip(parts, candidate, strict=True)):
            return True
    return False


def test_roles_denied_get_403(api: Api) -> None:
    wrong = []
    for method, path, keywords, allowed in ENDPOINTS:
        for role in set(Role) - set(allowed):
            response = api.call(role, method, path, key=f"deny-{role}-{method}-{path}", **keywords)
            if response.status_code != 403 or error_of(response)["code"] != "forbidden":
                wrong.append((method, path, role.value, response.status_code))
    assert wrong == []


def test_nobody_signed_in_gets_401(api: Api) -> None:
    wrong = []
    for method, path, keywords, _ in ENDPOINTS:
        response = api.call(None, method, path, **keywords)
        if response.status_code != 401 or error_of(response)["code"] != "not_authenticated":
            wrong.append((method, path, response.status_code))
    assert wrong == []


def test_allowed_roles_pass_the_role_check(api: Api) -> None:
    """Read-only endpoints answer every allowed role with 200 (changes are tested one by one)."""
    wrong = []
    for method, path, keywords, allowed in ENDPOINTS:
        if method != "GET" or "/webhooks/1/" in path:
            continue
        for role in allowed:
            response = api.call(role, method, path, **keywords)
            if response.status_code != 200:
                wrong.append((path, role.value, response.status_code))
    assert wrong == []
