"""Collections: dunning runs and deliveries, notices to review, the worklist, tasks and statements.

Disputes and promises to pay are in ``receivables.api.cases``. Every action passes the signed-in
user to the collections functions, which check the role again and write the collections audit.
A collector sees the worklist, notices and tasks of the customers assigned to them only.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy import Engine, select

from receivables.api.common import (
    AsOfQuery,
    CapabilitiesDep,
    CompanyDep,
    EngineDep,
    PageDep,
    PageOf,
    TodayDep,
    decimal_of,
    page_of,
)
from receivables.api.events import announce_broken_promises
from receivables.api.idempotency import require_idempotency_key
from receivables.api.visibility import customer_id_for
from receivables.auth import Access, Principal
from receivables.domain.aging import AgingBuckets, InvalidBucketsError
from receivables.domain.credit.roles import Role
from receivables.domain.dunning.disputes import DisputeReason
from receivables.domain.dunning.notices import DeliveryState, NoticeStatus
from receivables.domain.dunning.roles import Action
from receivables.domain.dunning.tasks import Outcome, TaskKind, TaskStatus
from receivables.dunning.delivery import deliver_pending
from receivables.dunning.review import approve, list_notices, skip
from receivables.dunning.run import run_dunning
from receivables.dunning.statements import build_statement
from receivables.dunning.tasks import OutcomeDetails, TaskContext, add_task, complete_task, list_tasks
from receivables.dunning.worklist import build_worklist
from receivables.service.dependencies import allow, get_settings, visible_customer_ids
from receivables.service.errors import invalid
from receivables.storage.models import CustomerRow

router = APIRouter(tags=["collections"])
Reader = Annotated[Principal, Depends(allow(Access.READ_COLLECTIONS))]


def visible_rows(
    engine: Engine, principal: Principal, rows: list[dict[str, Any]], key: str
) -> list[dict[str, Any]]:
    """Keep the rows of customers ``principal`` may see; ``key`` is the row's customer code field."""
    if principal.role is not Role.COLLECTOR:
        return rows
    with engine.connect() as connection:
        visible = visible_customer_ids(connection, principal) or set()
        codes = set(connection.execute(select(CustomerRow.code).where(CustomerRow.id.in_(visible))).scalars())
    return [row for row in rows if row[key] in codes]


class RunRequest(BaseModel):
    as_of: date | None = None
    send: bool = Field(True, description="Deliver the approved notices after planning.")


@router.post("/collections/runs", operation_id="run_dunning", status_code=201)
def run_dunning_route(
    body: RunRequest,
    engine: EngineDep,
    today: TodayDep,
    company: CompanyDep,
    capabilities: CapabilitiesDep,
    principal: Annotated[Principal, Depends(allow(Action.RUN))],
    idempotency_key: Annotated[str, Depends(require_idempotency_key)],
) -> dict[str, Any]:
    """Plan the dunning notices of a day and, with ``send``, deliver the approved ones.

    Needs an ``Idempotency-Key``, because it sends notices. Promises found broken on the day are
    announced as ``promise.broken``.
    """
    day = body.as_of or today
    report = run_dunning(engine, capabilities.collections, company, day, principal.name, body.send)
    announce_broken_promises(engine, day, day)
    return report.to_dict()


class DeliveryRequest(BaseModel):
    channel: Literal["email", "letter"] | None = None
    limit: int | None = Field(None, ge=1, le=10_000)


@router.post("/collections/deliveries", operation_id="deliver_notices")
def deliver_notices(
    body: DeliveryRequest,
    engine: EngineDep,
    capabilities: CapabilitiesDep,
    principal: Annotated[Principal, Depends(allow(Action.RUN))],
    idempotency_key: Annotated[str, Depends(require_idempotency_key)],
) -> dict[str, Any]:
    """Deliver the approved notices waiting in the outbox; needs an ``Idempotency-Key``."""
    report = deliver_pending(engine, capabilities.collections, body.limit, body.channel)
    return {**report.to_dict(), "problems": [problem.to_dict() for problem in report.problems]}


@router.get("/collections/worklist", operation_id="get_worklist", response_model=PageOf)
def get_worklist(
    engine: EngineDep,
    today: TodayDep,
    company: CompanyDep,
    capabilities: CapabilitiesDep,
    principal: Reader,
    page: PageDep,
    as_of: AsOfQuery = None,
    collector: Annotated[
        str | None, Query(max_length=64, description="Only this collector's customers.")
    ] = None,
) -> PageOf:
    """List the customers to act on, highest value at risk first, with the next best action.

    A collector always gets their own customers, whatever ``collector`` says.
    """
    if principal.role is Role.COLLECTOR:
        collector = principal.name
    rows = build_worklist(engine, capabilities.collections, company, (as_of or today), collector)
    return page_of(rows, page)


@router.get("/collections/notices", operation_id="list_notices", response_model=PageOf)
def list_notices_route(
    engine: EngineDep,
    principal: Reader,
    page: PageDep,
    status: NoticeStatus | None = None,
    customer: Annotated[str | None, Query(max_length=64)] = None,
    delivery: DeliveryState | None = None,
) -> PageOf:
    """List dunning notices, such as the drafts waiting for review (``status=draft``)."""
    rows = list_notices(
        engine, status.value if status else None, customer, delivery.value if delivery else None
    )
    return page_of(visible_rows(engine, principal, rows, "customer_code"), page)


class NoticeIds(BaseModel):
    notice_ids: list[int] = Field(min_length=1, max_length=1000)


@router.post("/collections/notices/approve", operation_id="approve_notices")
def approve_notices(
    body: NoticeIds, engine: EngineDep, principal: Annotated[Principal, Depends(allow(Action.REVIEW_NOTICE))]
) -> dict[str, Any]:
    """Approve draft notices for delivery; returns the ids approved (drafts only)."""
    return {"approved": approve(engine, body.notice_ids, principal.name)}


class SkipRequest(BaseModel):
    reason: str = Field(min_length=1, max_length=500)


@router.post("/collections/notices/{notice_id}/skip", operation_id="skip_notice")
def skip_notice(
    notice_id: int,
    body: SkipRequest,
    engine: EngineDep,
    principal: Annotated[Principal, Depends(allow(Action.REVIEW_NOTICE))],
) -> dict[str, Any]:
    """Skip a draft notice; it is not sent and the reason stays in the audit log."""
    skip(engine, notice_id, principal.name, body.reason)
    return {"notice_id": notice_id, "status": "skipped"}


@router.get("/collections/tasks", operation_id="list_tasks", response_model=PageOf)
def list_tasks_route(
    engine: EngineDep,
    principal: Reader,
    page: PageDep,
    status: TaskStatus | None = TaskStatus.OPEN,
    assignee: Annotated[str | None, Query(max_length=64)] = None,
) -> PageOf:
    """List tasks, earliest due first; ``status`` empty lists every status."""
    rows = list_tasks(engine, status.value if status else None, assignee)
    return page_of(visible_rows(engine, principal, rows, "code"), page)


class TaskRequest(BaseModel):
    customer: str = Field(min_length=1, max_length=64)
    kind: TaskKind = TaskKind.PHONE_CALL
    due_date: date | None = None
    assignee: str | None = Field(None, max_length=64)
    note: str | None = Field(None, max_length=1000)


@router.post("/collections/tasks", operation_id="add_task", status_code=201)
def add_task_route(
    body: TaskRequest,
    engine: EngineDep,
    today: TodayDep,
    principal: Annotated[Principal, Depends(allow(Action.RECORD_TASK))],
) -> dict[str, Any]:
    """Add a task by hand, such as a call to make."""
    with engine.connect() as connection:
        customer_id_for(connection, principal, body.customer)
    due = body.due_date or today
    task_id = add_task(engine, body.customer, body.kind.value, due, body.assignee, principal.name, body.note)
    return {"task_id": task_id, "customer": body.customer, "due_date": due.isoformat()}


class OutcomeRequest(BaseModel):
    outcome: Outcome
    note: str | None = Field(None, max_length=1000)
    promised_date: date | None = Field(None, description="promise_to_pay: the promised date.")
    amount: str | None = Field(
        None, description="promise_to_pay: amount in the company currency; dispute: the disputed amount."
    )
    document: str | None = Field(
        None, max_length=64, description="dispute: the invoice or debit note number."
    )
    reason: DisputeReason | None = Field(None, description="dispute: why the customer disputes the item.")
    as_of: date | None = None


@router.post("/collections/tasks/{task_id}/outcome", operation_id="record_task_outcome")
def record_task_outcome(
    task_id: int,
    body: OutcomeRequest,
    engine: EngineDep,
    today: TodayDep,
    company: CompanyDep,
    capabilities: CapabilitiesDep,
    principal: Annotated[Principal, Depends(allow(Action.RECORD_TASK))],
) -> dict[str, Any]:
    """Record the outcome of a call, visit or hand-over, and carry out what follows from it."""
    settings = capabilities.collections
    # NOTE: the grace days are the default policy's, as on the command line.
    grace = settings.book.get(settings.book.default).promise_grace_days
    context = TaskContext((body.as_of or today), company, settings.task_retry_days, grace)
    details = OutcomeDetails(
        note=body.note,
        promised_date=body.promised_date,
        amount=decimal_of(body.amount, "amount"),
        document=body.document,
        reason=body.reason.value if body.reason else None,
    )
    result = complete_task(engine, task_id, body.outcome.value, context, details, principal.name)
    return dataclasses.asdict(result)


@router.get("/customers/{code}/statement", operation_id="get_statement")
def get_statement(
    code: str,
    request: Request,
    engine: EngineDep,
    company: CompanyDep,
    principal: Annotated[Principal, Depends(allow(Access.READ_LEDGER))],
    first: Annotated[date, Query(alias="from", description="First day of the period.")],
    last: Annotated[date, Query(alias="to", description="Last day of the period.")],
) -> dict[str, Any]:
    """Return a customer's statement of account: balances, documents and aging of the period."""
    if last < first:
        raise invalid("to", f"the period ends on {last}, before it starts on {first}")
    try:
        buckets = AgingBuckets.parse(get_settings(request).settings.aging_buckets)
    except InvalidBucketsError as error:
        raise invalid("aging_buckets", str(error)) from error
    with engine.connect() as connection:
        customer_id_for(connection, principal, code)
    return build_statement(engine, code, first, last, company, buckets).to_dict()
