"""Disputes and promises to pay: opening, resolving, recording and cancelling them.

Both pause dunning: a dispute for its item, a promise for its items until the date plus grace.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field
from sqlalchemy import select

from receivables.api.collections import Reader, visible_rows
from receivables.api.common import (
    CapabilitiesDep,
    CompanyDep,
    EngineDep,
    PageDep,
    PageOf,
    TodayDep,
    decimal_of,
    page_of,
)
from receivables.api.visibility import customer_id_for
from receivables.auth import Principal
from receivables.domain.dunning.disputes import DisputeReason, DisputeStatus, Resolution
from receivables.domain.dunning.promises import PromiseState
from receivables.domain.dunning.roles import Action
from receivables.dunning.bulk import wait_for_writers
from receivables.dunning.disputes import list_disputes, open_dispute, resolve_dispute
from receivables.dunning.promises import cancel_promise, list_promises, record_promise
from receivables.service.dependencies import allow
from receivables.service.errors import invalid
from receivables.storage.models import CustomerRow, DocumentRow

router = APIRouter(tags=["collections"])


@router.get("/collections/disputes", operation_id="list_disputes", response_model=PageOf)
def list_disputes_route(
    engine: EngineDep, principal: Reader, page: PageDep, status: DisputeStatus | None = None
) -> PageOf:
    """List disputes, open and resolved, or those of one ``status``."""
    rows = list_disputes(engine, status.value if status else None)
    return page_of(visible_rows(engine, principal, rows, "customer_code"), page)


class DisputeRequest(BaseModel):
    document: str = Field(min_length=1, max_length=64, description="Invoice or debit note number.")
    reason: DisputeReason
    amount: str | None = Field(None, description="Disputed amount in the item's currency; default all open.")
    owner: str | None = Field(None, max_length=64, description="Who sorts it out; default the acting user.")
    note: str | None = Field(None, max_length=1000)
    as_of: date | None = None


@router.post("/collections/disputes", operation_id="open_dispute", status_code=201)
def open_dispute_route(
    body: DisputeRequest,
    engine: EngineDep,
    today: TodayDep,
    company: CompanyDep,
    principal: Annotated[Principal, Depends(allow(Action.OPEN_DISPUTE))],
) -> dict[str, Any]:
    """Open a dispute on an item; dunning pauses for that item until it is resolved."""
    amount = decimal_of(body.amount, "amount")
    with engine.begin() as connection:
        owner_code = connection.execute(
            select(CustomerRow.code)
            .join(DocumentRow, DocumentRow.customer_id == CustomerRow.id)
            .where(DocumentRow.number == body.document)
        ).scalar()
        if owner_code is None:
            raise invalid("document", f"no invoice or debit note numbered {body.document}")
        customer_id_for(connection, principal, owner_code)
        wait_for_writers(connection)
        dispute_id = open_dispute(
            connection,
            body.document,
            body.reason.value,
            (body.as_of or today),
            company,
            amount,
            body.owner,
            principal.name,
            body.note,
        )
    return {"dispute_id": dispute_id, "document": body.document, "customer": owner_code}


class ResolutionRequest(BaseModel):
    resolution: Resolution
    credit_note: str | None = Field(None, max_length=64, description="With credit_note: its number.")
    note: str | None = Field(None, max_length=1000)
    as_of: date | None = None


@router.post("/collections/disputes/{dispute_id}/resolve", operation_id="resolve_dispute")
def resolve_dispute_route(
    dispute_id: int,
    body: ResolutionRequest,
    engine: EngineDep,
    today: TodayDep,
    principal: Annotated[Principal, Depends(allow(Action.RESOLVE_DISPUTE))],
) -> dict[str, Any]:
    """Resolve a dispute; a rejected or withdrawn one is dunned again."""
    with engine.begin() as connection:
        wait_for_writers(connection)
        resolve_dispute(
            connection,
            dispute_id,
            body.resolution.value,
            (body.as_of or today),
            principal.name,
            body.credit_note,
            body.note,
        )
    return {"dispute_id": dispute_id, "resolution": body.resolution.value}


@router.get("/collections/promises", operation_id="list_promises", response_model=PageOf)
def list_promises_route(
    engine: EngineDep, principal: Reader, page: PageDep, state: PromiseState | None = None
) -> PageOf:
    """List promises to pay, by promised date."""
    rows = list_promises(engine, state.value if state else None)
    return page_of(visible_rows(engine, principal, rows, "customer_code"), page)


class PromiseRequest(BaseModel):
    customer: str = Field(min_length=1, max_length=64)
    promised_date: date
    amount: str = Field(description="Promised amount in the company currency, such as 1250.00.")
    items: list[str] | None = Field(None, description="Item numbers the promise covers; default all open.")
    grace_days: int | None = Field(None, ge=0, le=365, description="Default the policy's.")
    note: str | None = Field(None, max_length=1000)
    as_of: date | None = None


@router.post("/collections/promises", operation_id="record_promise", status_code=201)
def record_promise_route(
    body: PromiseRequest,
    engine: EngineDep,
    today: TodayDep,
    company: CompanyDep,
    capabilities: CapabilitiesDep,
    principal: Annotated[Principal, Depends(allow(Action.RECORD_PROMISE))],
) -> dict[str, Any]:
    """Record a promise to pay; dunning of its items pauses until the date plus grace."""
    amount = decimal_of(body.amount, "amount")
    if amount is None or amount <= 0:
        raise invalid("amount", f"{body.amount} must be positive")
    book = capabilities.collections.book
    grace = body.grace_days if body.grace_days is not None else book.get(book.default).promise_grace_days
    with engine.begin() as connection:
        customer_id_for(connection, principal, body.customer)
        wait_for_writers(connection)
        promise = record_promise(
            connection,
            body.customer,
            (body.as_of or today),
            body.promised_date,
            amount,
            company,
            grace,
            body.items,
            principal.name,
            body.note,
        )
    return {
        "promise_id": promise.id,
        "customer": body.customer,
        "promised_date": promise.promised_date.isoformat(),
        "amount": str(promise.amount.amount),
        "currency": promise.amount.currency.code,
        "items": promise.covered,
    }


@router.post("/collections/promises/{promise_id}/cancel", operation_id="cancel_promise")
def cancel_promise_route(
    promise_id: int, engine: EngineDep, principal: Annotated[Principal, Depends(allow(Action.RECORD_PROMISE))]
) -> dict[str, Any]:
    """Cancel an open promise, such as one recorded by mistake."""
    with engine.begin() as connection:
        cancel_promise(connection, promise_id, principal.name)
    return {"promise_id": promise_id, "state": "cancelled"}
