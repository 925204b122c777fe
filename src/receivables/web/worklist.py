"""The collector's worklist and its one-click outcomes.

Rows come from ``dunning.worklist.build_worklist``, highest value at risk first. A collector sees
the customers assigned to them; managers see everyone and may filter by collector. An outcome
completes the customer's earliest open task with ``dunning.tasks.complete_task``, which records
the promise or dispute and adds the follow-up. For a customer without an open task, a promise or
dispute is recorded on its own (``record_promise``, ``open_dispute``), and a call gets a
phone-call task first (``dunning.tasks.add_task``), so a call made on the collector's own
initiative is recorded the same way as a planned one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from receivables.auth import record_action
from receivables.domain.credit.roles import Role
from receivables.domain.dunning.disputes import DisputeReason
from receivables.domain.dunning.tasks import NEXT_ACTIONS, Outcome, TaskKind
from receivables.dunning.bulk import wait_for_writers
from receivables.dunning.disputes import open_dispute
from receivables.dunning.open_amounts import customer_id_of, open_items_of
from receivables.dunning.promises import record_promise
from receivables.dunning.tasks import OutcomeDetails, TaskContext, add_task, complete_task, list_tasks
from receivables.dunning.worklist import build_worklist
from receivables.web import access
from receivables.web.context import as_of, collection_settings, company_currency
from receivables.web.customers import PAGE_SIZE, check_visible, page_number, visible_codes
from receivables.web.forms import choice_field, optional_amount, optional_date, optional_text, text_field
from receivables.web.guard import PageRoute, form_viewer, page_viewer
from receivables.web.rendering import render
from receivables.web.viewer import PageError, Viewer, field_error, is_htmx

router = APIRouter(route_class=PageRoute)
WorklistViewer = Annotated[Viewer, Depends(page_viewer(*access.WORKLIST))]
OUTCOMES = tuple(outcome.value for outcome in Outcome)
REASONS = tuple(reason.value for reason in DisputeReason)
AUTO_TASK_NOTE = "call logged from the worklist"


def _open_tasks(viewer: Viewer) -> dict[str, dict[str, Any]]:
    """Return each customer's earliest open task by customer code."""
    earliest: dict[str, dict[str, Any]] = {}
    for task in list_tasks(viewer.engine, "open"):
        earliest.setdefault(task["code"], task)
    return earliest


@router.get("/worklist", include_in_schema=False)
def worklist(request: Request, viewer: WorklistViewer) -> HTMLResponse:
    currency = company_currency(request, viewer.engine)
    day = as_of(request)
    if viewer.role is Role.COLLECTOR:
        collector: str | None = viewer.name
    else:
        collector = request.query_params.get("collector", "").strip()[:64] or None
    rows = build_worklist(viewer.engine, collection_settings(request), currency, day, collector)
    codes = visible_codes(viewer.engine, viewer)
    if codes is not None:
        rows = [row for row in rows if row["customer_code"] in codes]
    page = page_number(request)
    return render(
        request,
        "worklist.html",
        viewer,
        title="Worklist",
        rows=rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE],
        total=len(rows),
        page=page,
        pages=max(1, -(-len(rows) // PAGE_SIZE)),
        tasks=_open_tasks(viewer),
        collector=collector,
        may_filter=viewer.role is not Role.COLLECTOR,
        currency=currency.code,
        as_of=day,
        reasons=REASONS,
    )


@router.get("/worklist/dispute-form", include_in_schema=False)
def dispute_form(request: Request, viewer: WorklistViewer) -> HTMLResponse:
    """Render the dispute fields of one customer: its open items to choose from, and the reasons."""
    code = request.query_params.get("customer", "").strip()
    if not code:
        raise field_error("customer", "is required")
    check_visible(viewer, code)
    currency = company_currency(request, viewer.engine)
    with viewer.engine.connect() as connection:
        items = open_items_of(connection, customer_id_of(connection, code), as_of(request), currency)
    return render(
        request,
        "_dispute_fields.html",
        viewer,
        items=[item for item in items if not item.disputed],
        reasons=REASONS,
        key=request.query_params.get("key", "0")[:8],
    )


def _details(form: Any, outcome: str) -> OutcomeDetails:
    """Read the fields the outcome needs; name the missing one instead of failing later."""
    details = OutcomeDetails(
        note=optional_text(form, "note"),
        promised_date=optional_date(form, "promised_date"),
        amount=optional_amount(form, "amount"),
        document=optional_text(form, "document"),
        reason=optional_text(form, "reason"),
    )
    if outcome == Outcome.PROMISE_TO_PAY.value:
        if details.promised_date is None:
            raise field_error("promised_date", "is required for a promise to pay")
        if details.amount is None:
            raise field_error("amount", "is required for a promise to pay")
    if outcome == Outcome.DISPUTE.value:
        if not details.document:
            raise field_error("document", "is required for a dispute")
        choice_field(form, "reason", REASONS)
    return details


def _task_of(viewer: Viewer, code: str, task_text: str | None) -> int | None:
    """Return the open task the outcome completes; it must belong to customer ``code``.

    Only a phone-call task is completed by a call's outcome. A visit or a legal hand-over stays
    open, and the call is recorded on a phone-call task of its own (None here).
    """
    if not task_text:
        return None
    if not task_text.isdigit():
        raise field_error("task", f"{task_text!r} is not a task id")
    task_id = int(task_text)
    for task in list_tasks(viewer.engine, "open"):
        if task["id"] == task_id:
            if task["code"] != code:
                raise field_error("task", f"task {task_id} is not a task of customer {code}")
            return task_id if task["kind"] == TaskKind.PHONE_CALL.value else None
    raise PageError(409, f"task {task_id} is no longer open; reload the worklist")


@dataclass(frozen=True)
class Recorded:
    """The records an outcome made, as the result fragment shows them."""

    outcome: str
    next_action: str
    follow_up_task: int | None = None
    promise_id: int | None = None
    dispute_id: int | None = None


def _check_document(viewer: Viewer, request: Request, code: str, number: str | None) -> None:
    """Raise unless ``number`` is an open item of customer ``code``, the one the user may see."""
    currency = company_currency(request, viewer.engine)
    with viewer.engine.connect() as connection:
        items = open_items_of(connection, customer_id_of(connection, code), as_of(request), currency)
    if number not in {item.number for item in items}:
        raise field_error("document", f"{number} is not an open item of customer {code}")


def _without_task(
    viewer: Viewer, code: str, outcome: str, details: OutcomeDetails, context: TaskContext
) -> Recorded:
    """Record a promise or dispute of a customer without an open task, in one transaction."""
    next_action = NEXT_ACTIONS[Outcome(outcome)].value
    with viewer.engine.begin() as connection:
        wait_for_writers(connection)
        if outcome == Outcome.PROMISE_TO_PAY.value:
            assert details.promised_date is not None and details.amount is not None
            promise = record_promise(
                connection,
                code,
                context.as_of,
                details.promised_date,
                details.amount,
                context.company,
                context.grace_days,
                user=viewer.name,
                note=details.note,
            )
            return Recorded(outcome, next_action, promise_id=promise.id)
        assert details.document is not None and details.reason is not None
        dispute = open_dispute(
            connection,
            details.document,
            details.reason,
            context.as_of,
            context.company,
            user=viewer.name,
            note=details.note,
        )
        return Recorded(outcome, next_action, dispute_id=dispute)


def _with_task(
    viewer: Viewer,
    code: str,
    outcome: str,
    task_id: int | None,
    details: OutcomeDetails,
    context: TaskContext,
) -> Recorded:
    """Complete the customer's task; a call made without one gets a phone-call task first."""
    if task_id is None:
        task_id = add_task(
            viewer.engine,
            code,
            TaskKind.PHONE_CALL.value,
            context.as_of,
            viewer.name,
            viewer.name,
            AUTO_TASK_NOTE,
        )
    result = complete_task(viewer.engine, task_id, outcome, context, details, viewer.name)
    return Recorded(
        result.outcome, result.next_action, result.follow_up_task, result.promise_id, result.dispute_id
    )


@router.post("/worklist/outcome", include_in_schema=False)
async def record_outcome(
    request: Request, viewer: Annotated[Viewer, Depends(form_viewer(*access.WORKLIST))]
) -> Response:
    """Record a call's outcome.

    With an open task, ``complete_task`` records the outcome and its promise or dispute in one
    transaction. Without one, a promise or dispute is recorded on its own, and a call gets a
    phone-call task that the outcome then completes.
    """
    form = await request.form()
    code = text_field(form, "customer", limit=64)
    outcome = choice_field(form, "outcome", OUTCOMES)
    check_visible(viewer, code)
    details = _details(form, outcome)
    if outcome == Outcome.DISPUTE.value:
        _check_document(viewer, request, code, details.document)
    task_id = _task_of(viewer, code, optional_text(form, "task"))
    settings = collection_settings(request)
    # NOTE: the grace days are the default policy's, as in 'receivables collect task done'.
    grace = settings.book.get(settings.book.default).promise_grace_days
    currency = company_currency(request, viewer.engine)
    context = TaskContext(as_of(request), currency, settings.task_retry_days, grace)
    consequence = outcome in (Outcome.PROMISE_TO_PAY.value, Outcome.DISPUTE.value)
    if task_id is None and consequence:
        result = _without_task(viewer, code, outcome, details, context)
    else:
        result = _with_task(viewer, code, outcome, task_id, details, context)
    with viewer.engine.begin() as connection:
        record_action(connection, viewer.principal, "web.task_outcome", target=code, detail=outcome)
    if not is_htmx(request):
        return RedirectResponse(f"/customers/{code}", status_code=303)
    return render(request, "_outcome.html", viewer, code=code, result=result)
