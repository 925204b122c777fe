"""Inbound endpoints for the ERP: customers, invoices and payments pushed as JSON.

Each push needs an ``Idempotency-Key``; the import itself is an upsert by natural keys, so a
record sent twice (even under two keys) is stored once. A push with any invalid record writes
nothing and returns 422 with one problem per record and field: ``field`` is the record's place
in the request, such as ``documents[3].due_date``. Invoices that a payment settles in full are
announced to webhook subscribers as ``invoice.paid``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from receivables.api.common import EngineDep
from receivables.api.events import announce_paid, paid_documents
from receivables.api.idempotency import require_idempotency_key
from receivables.api.ledger_import import import_records
from receivables.auth import Access, Principal
from receivables.importers import ImportResult
from receivables.importers.layout import RecordType
from receivables.service.dependencies import allow, get_settings

router = APIRouter(tags=["erp"])
Pusher = Annotated[Principal, Depends(allow(Access.IMPORT_LEDGER))]
Key = Annotated[str, Depends(require_idempotency_key)]
MAX_RECORDS = 10_000
Amount = Annotated[Decimal, Field(gt=0, max_digits=20, description="Positive, in the major unit: 1250.00.")]


class CustomerRecord(BaseModel):
    customer_code: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=200)
    country: str | None = Field(None, min_length=2, max_length=2)
    currency: str | None = Field(None, min_length=3, max_length=3)
    industry: str | None = Field(None, max_length=100)
    segment: str | None = Field(None, max_length=100)
    payment_term: str | None = Field(None, max_length=200, description="Such as 2/10 net30.")


class DocumentRecord(BaseModel):
    kind: str = Field(
        description="invoice, credit_note or debit_note.", pattern="^(invoice|credit_note|debit_note)$"
    )
    number: str = Field(min_length=1, max_length=64)
    customer_code: str = Field(min_length=1, max_length=64)
    document_date: date
    due_date: date | None = None
    currency: str = Field(min_length=3, max_length=3)
    amount: Amount
    tax_amount: Decimal | None = Field(None, ge=0)
    fx_rate: Decimal | None = Field(None, gt=0)
    disputed: bool | None = None
    reference: str | None = Field(None, max_length=140)
    instalment: int | None = Field(None, ge=1, le=99)
    payment_term: str | None = Field(None, max_length=200)


class PaymentAllocation(BaseModel):
    target_kind: Literal["invoice", "debit_note"] = "invoice"
    target_number: str = Field(min_length=1, max_length=64)
    target_instalment: int | None = Field(None, ge=1, le=99)
    amount: Amount


class PaymentRecord(BaseModel):
    number: str = Field(min_length=1, max_length=64)
    customer_code: str = Field(min_length=1, max_length=64)
    document_date: date
    currency: str = Field(min_length=3, max_length=3)
    amount: Amount
    fx_rate: Decimal | None = Field(None, gt=0)
    reference: str | None = Field(None, max_length=140)
    allocations: list[PaymentAllocation] = Field(default_factory=list, max_length=1000)


class CustomerPush(BaseModel):
    customers: list[CustomerRecord] = Field(min_length=1, max_length=MAX_RECORDS)


class DocumentPush(BaseModel):
    documents: list[DocumentRecord] = Field(min_length=1, max_length=MAX_RECORDS)


class PaymentPush(BaseModel):
    payments: list[PaymentRecord] = Field(min_length=1, max_length=MAX_RECORDS)


def _response(result: ImportResult, lists: dict[str, str]) -> JSONResponse | dict[str, Any]:
    """The import's counts, or 422 with each problem pointing to its record in the request.

    ``lists`` maps the scratch file's record type to the list name of the request; the import's
    row numbers count the header as row 1, so the first record is row 2.
    """
    body = result.to_dict()
    written = {name: counts for item in body["files"] for name, counts in (item.get("written") or {}).items()}
    if result.committed:
        return {"committed": True, "written": written}
    problems = []
    for problem in body["problems"]:
        stem = str(problem["file"]).rsplit("/", 1)[-1].removesuffix(".csv")
        place = lists.get(stem, stem)
        row = problem.get("row")
        field = f"{place}[{int(row) - 2}]" if row is not None else place
        if problem.get("column"):
            field += f".{problem['column']}"
        problems.append({"field": field, "message": f"{problem['reason']} (value {problem.get('value')!r})"})
    first = problems[0] if problems else {"field": None, "message": "the import failed"}
    error = {
        "code": "invalid_input",
        "message": f"{first['field']}: {first['message']}; nothing was written",
        "field": first["field"],
        "problems": problems,
    }
    return JSONResponse({"error": error}, status_code=422)


@router.post("/erp/customers", operation_id="push_customers")
def push_customers(
    body: CustomerPush, request: Request, engine: EngineDep, principal: Pusher, key: Key
) -> Any:
    """Create or update customers by code."""
    rows = [record.model_dump() for record in body.customers]
    result = import_records(engine, get_settings(request).settings, [(RecordType.CUSTOMERS, rows)])
    return _response(result, {"customers": "customers"})


@router.post("/erp/invoices", operation_id="push_invoices")
def push_invoices(
    body: DocumentPush, request: Request, engine: EngineDep, principal: Pusher, key: Key
) -> Any:
    """Create or update invoices, credit notes and debit notes by kind, number and instalment."""
    rows = [record.model_dump() for record in body.documents]
    result = import_records(engine, get_settings(request).settings, [(RecordType.DOCUMENTS, rows)])
    return _response(result, {"documents": "documents"})


@router.post("/erp/payments", operation_id="push_payments")
def push_payments(body: PaymentPush, request: Request, engine: EngineDep, principal: Pusher, key: Key) -> Any:
    """Record payments and what they settle; announce each invoice paid in full as ``invoice.paid``.

    A payment without allocations is stored as unapplied cash of its customer.
    """
    documents = []
    allocations = []
    for payment in body.payments:
        documents.append({**payment.model_dump(exclude={"allocations"}), "kind": "payment"})
        for allocation in payment.allocations:
            allocations.append(
                {
                    "source_kind": "payment",
                    "source_number": payment.number,
                    "target_kind": allocation.target_kind,
                    "target_number": allocation.target_number,
                    "target_instalment": allocation.target_instalment,
                    "allocation_date": payment.document_date,
                    "amount": allocation.amount,
                    "currency": payment.currency,
                }
            )
    batches = [(RecordType.DOCUMENTS, documents), (RecordType.ALLOCATIONS, allocations)]
    result = import_records(engine, get_settings(request).settings, batches)
    if result.committed:
        targets = [(str(item["target_kind"]), str(item["target_number"])) for item in allocations]
        announce_paid(engine, paid_documents(engine, targets))
    return _response(result, {"documents": "payments", "allocations": "allocations"})
