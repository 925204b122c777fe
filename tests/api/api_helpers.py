"""A served ledger for the API tests: two customers, a few documents, one user per role.

The ledger on 2024-06-30 (the service's fixed as-of date):

- A001 Alder GmbH (collector ``colin``): INV-1 1000.00 EUR due 2024-05-01, 400.00 paid by PAY-1;
  INV-2 500.00 due 2024-06-14;
- B002 Birch SARL (no collector): INV-3 2500.00 EUR due 2024-07-01.

Each role has one user with an API token: ``ada`` admin, ``fay`` finance manager, ``cora``
credit manager, ``colin`` collector, ``sam`` sales, ``vic`` viewer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from receivables.api.ledger_import import import_records
from receivables.auth import create_token
from receivables.config import load_settings
from receivables.credit.users import add_user
from receivables.domain.credit.roles import Role
from receivables.dunning.config import load_collection_settings
from receivables.dunning.overrides import set_override
from receivables.importers.layout import RecordType
from receivables.service import ServiceSettings

AS_OF = date(2024, 6, 30)
SECRET_KEY = "test-secret-key-0123456789abcdefghijklmnop"
USERS = {
    Role.ADMIN: "ada",
    Role.FINANCE_MANAGER: "fay",
    Role.CREDIT_MANAGER: "cora",
    Role.COLLECTOR: "colin",
    Role.SALES: "sam",
    Role.VIEWER: "vic",
}

CUSTOMERS = [
    {"customer_code": "A001", "name": "Alder GmbH", "country": "DE", "currency": "EUR", "segment": "smb"},
    {"customer_code": "B002", "name": "Birch SARL", "country": "FR", "currency": "EUR", "segment": "mid"},
]


def _document(kind: str, number: str, customer: str, day: str, due: str, amount: str) -> dict[str, Any]:
    return {
        "kind": kind,
        "number": number,
        "customer_code": customer,
        "document_date": day,
        "due_date": due,
        "currency": "EUR",
        "amount": amount,
    }


DOCUMENTS = [
    _document("invoice", "INV-1", "A001", "2024-04-01", "2024-05-01", "1000.00"),
    _document("invoice", "INV-2", "A001", "2024-05-15", "2024-06-14", "500.00"),
    _document("invoice", "INV-3", "B002", "2024-06-01", "2024-07-01", "2500.00"),
    _document("payment", "PAY-1", "A001", "2024-05-20", "2024-05-20", "400.00"),
]
ALLOCATIONS = [
    {
        "source_kind": "payment",
        "source_number": "PAY-1",
        "target_kind": "invoice",
        "target_number": "INV-1",
        "allocation_date": "2024-05-20",
        "amount": "400.00",
        "currency": "EUR",
    }
]


def seed(engine: Engine) -> dict[Role, str]:
    """Import the ledger, add one user per role and return each role's API token."""
    settings = load_settings({})
    batches = [
        (RecordType.CUSTOMERS, CUSTOMERS),
        (RecordType.DOCUMENTS, DOCUMENTS),
        (RecordType.ALLOCATIONS, ALLOCATIONS),
    ]
    result = import_records(engine, settings, batches)
    assert result.committed, result.to_dict()["problems"]
    tokens = {}
    for role, name in USERS.items():
        add_user(engine, name, role.value, None if role is Role.ADMIN else "ada")
        tokens[role] = create_token(engine, name, "tests")[0]
    book = load_collection_settings(settings).book
    set_override(engine, book, "A001", {"collector": "colin"}, "ada")
    return tokens


def service_settings(**changes: Any) -> ServiceSettings:
    values: dict[str, Any] = {
        "settings": load_settings({}),
        "secret_key": SECRET_KEY,
        "as_of": AS_OF,
        "webhook_interval": 0,
    }
    values.update(changes)
    return ServiceSettings(**values)


@dataclass
class Api:
    """The served app with a client and each role's token; ``call`` sends as a role."""

    client: TestClient
    engine: Engine
    tokens: dict[Role, str]

    def headers(self, role: Role | None, key: str | None = None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.tokens[role]}"} if role is not None else {}
        if key is not None:
            headers["Idempotency-Key"] = key
        return headers

    def call(
        self, role: Role | None, method: str, path: str, *, key: str | None = None, **kwargs: Any
    ) -> httpx.Response:
        return self.client.request(method, path, headers=self.headers(role, key), **kwargs)

    def get(self, role: Role | None, path: str, **kwargs: Any) -> httpx.Response:
        return self.call(role, "GET", path, **kwargs)

    def post(self, role: Role | None, path: str, *, key: str | None = None, **kwargs: Any) -> httpx.Response:
        return self.call(role, "POST", path, key=key, **kwargs)


def error_of(response: httpx.Response) -> dict[str, Any]:
    """The ``error`` object of the one error shape; fails when the body has another shape."""
    body = response.json()
    assert set(body) >= {"error"}, body
    error: dict[str, Any] = body["error"]
    assert set(error) == {"code", "message", "field", "problems"}, error
    return error
