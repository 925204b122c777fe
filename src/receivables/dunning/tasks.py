"""Collector tasks: listing them and recording the outcome of a call, visit or hand-over.

An outcome closes the task and carries out its next action (see ``domain.dunning.tasks``). A
promise to pay records a promise, and a dispute opens a dispute on the item named. No answer and
a wrong contact create a follow-up task after ``task_retry_days``. Every step is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, text, update

from receivables.domain.dunning.errors import InvalidOutcomeError
from receivables.domain.dunning.roles import Action
from receivables.domain.dunning.tasks import (
    NEXT_ACTIONS,
    Outcome,
    TaskKind,
    TaskStatus,
    check_close,
    follow_up,
)
from receivables.domain.money import Currency
from receivables.dunning.audit import record, utc_now
from receivables.dunning.bulk import wait_for_writers
from receivables.dunning.disputes import open_dispute
from receivables.dunning.errors import NotFoundError
from receivables.dunning.promises import record_promise
from receivables.dunning.users import acting_user
from receivables.storage.dunning_models import DunningTaskRow


@dataclass(frozen=True)
class OutcomeDetails:
    """The details an outcome needs: a promise's date and amount, a dispute's item and reason."""

    note: str | None = None
    promised_date: date | None = None
    amount: Decimal | None = None
    document: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class TaskResult:
    task_id: int
    outcome: str
    next_action: str
    follow_up_task: int | None = None
    promise_id: int | None = None
    dispute_id: int | None = None


def list_tasks(
    engine: Engine, status: str | None = "open", assignee: str | None = None
) -> list[dict[str, Any]]:
    sql = (
        "SELECT t.id, c.code, t.kind, t.status, t.due_date, t.assignee, t.notice_id, t.outcome, "
        "t.next_action, t.note, t.done_on, t.done_by FROM dunning_tasks t "
        "JOIN customers c ON c.id = t.customer_id"
    )
    clauses, params = [], {}
    if status:
        clauses.append("t.status = :status")
        params["status"] = status
    if assignee:
        clauses.append("t.assignee = :assignee")
        params["assignee"] = assignee
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    with engine.connect() as connection:
        rows = connection.execute(text(f"{sql}{where} ORDER BY t.due_date, t.id"), params)
        return [
            {
                key: (str(value) if isinstance(value, date) else value)
                for key, value in row._mapping.items()
            }
            for row in rows
        ]


def _task(connection: Connection, task_id: int) -> Any:
    row = connection.execute(
        select(*DunningTaskRow.__table__.columns).where(DunningTaskRow.id == task_id)
    ).first()
    if row is None:
        raise NotFoundError("task", task_id)
    return row


def _customer_code(connection: Connection, customer_id: int) -> str:
    return str(
        connection.execute(
            text("SELECT code FROM customers WHERE id = :id"), {"id": customer_id}
        ).scalar_one()
    )


@dataclass(frozen=True)
class TaskContext:
    """What carrying out an outcome needs besides the outcome and its details."""

    as_of: date
    company: Currency
    retry_days: int
    grace_days: int


def _parse_outcome(outcome: str) -> Outcome:
    try:
        return Outcome(outcome)
    except ValueError as error:
        allowed = ", ".join(item.value for item in Outcome)
        raise InvalidOutcomeError(
            f"outcome {outcome!r} is unknown; use one of {allowed}"
        ) from error


def _record_consequence(
    connection: Connection,
    result: Outcome,
    task: Any,
    details: OutcomeDetails,
    context: TaskContext,
    name: str | None,
) -> tuple[int | None, int | None]:
    """Record the promise or dispute an outcome brings; return their ids."""
    if result is Outcome.PROMISE_TO_PAY:
        if details.promised_date is None or details.amount is None:
            raise InvalidOutcomeError("a promise to pay needs --promise-date and --amount")
        code = _customer_code(connection, task.customer_id)
        promise = record_promise(
            connection,
            code,
            context.as_of,
            details.promised_date,
            details.amount,
            context.company,
            context.grace_days,
            user=name,
            note=details.note,
            task_id=task.id,
        )
        return promise.id, None
    if result is Outcome.DISPUTE:
        if not details.document or not details.reason:
            raise InvalidOutcomeError("a dispute needs --document NUMBER and --reason CODE")
        dispute_id = open_dispute(
            connection,
            details.document,
            details.reason,
            context.as_of,
            context.company,
            details.amount,
            user=name,
            note=details.note,
        )
        return None, dispute_id
    return None, None


def _add_follow_up(
    connection: Connection, result: Outcome, task: Any, context: TaskContext, name: str | None
) -> int | None:
    follow = follow_up(result, TaskKind(task.kind), context.as_of, context.retry_days)
    if follow is None:
        return None
    values = {
        "customer_id": task.customer_id,
        "notice_id": task.notice_id,
        "parent_task_id": task.id,
        "kind": follow.kind.value,
        "status": TaskStatus.OPEN.value,
        "due_date": follow.due_date,
        "assignee": task.assignee,
        "created_at": utc_now(),
        "created_by": name,
        "note": f"after {result.value}: {NEXT_ACTIONS[result].value}",
    }
    return int(
        connection.execute(
            insert(DunningTaskRow).values(**values).returning(DunningTaskRow.id)
        ).scalar_one()
    )


def complete_task(
    engine: Engine,
    task_id: int,
    outcome: str,
    context: TaskContext,
    details: OutcomeDetails,
    user: str | None = None,
) -> TaskResult:
    """Record the outcome of an open task and carry out what follows from it."""
    result = _parse_outcome(outcome)
    action = NEXT_ACTIONS[result]
    with engine.begin() as connection:
        wait_for_writers(connection)
        name = acting_user(connection, user, Action.RECORD_TASK)
        task = _task(connection, task_id)
        check_close(TaskStatus(task.status))
        promise_id, dispute_id = _record_consequence(
            connection, result, task, details, context, name
        )
        connection.execute(
            update(DunningTaskRow)
            .where(DunningTaskRow.id == task_id)
            .values(
                status=TaskStatus.DONE.value,
                outcome=result.value,
                next_action=action.value,
                note=details.note,
                done_on=context.as_of,
                done_by=name,
            )
        )
        follow_id = _add_follow_up(connection, result, task, context, name)
        detail = {
            "task_id": task_id,
            "kind": task.kind,
            "outcome": result.value,
            "next_action": action.value,
            "note": details.note,
        }
        record(
            connection,
            name,
            "task_done",
            detail,
            customer_id=task.customer_id,
            notice_id=task.notice_id,
        )
    return TaskResult(task_id, result.value, action.value, follow_id, promise_id, dispute_id)


def add_task(
    engine: Engine,
    code: str,
    kind: str,
    due: date,
    assignee: str | None,
    user: str | None,
    note: str | None = None,
) -> int:
    """Add a task by hand, such as a call the collector wants to make."""
    task_kind = TaskKind(kind)
    with engine.begin() as connection:
        wait_for_writers(connection)
        name = acting_user(connection, user, Action.RECORD_TASK)
        customer = connection.execute(
            text("SELECT id FROM customers WHERE code = :c"), {"c": code}
        ).scalar()
        if customer is None:
            raise NotFoundError("customer", code)
        task_id = connection.execute(
            insert(DunningTaskRow)
            .values(
                customer_id=customer,
                kind=task_kind.value,
                status=TaskStatus.OPEN.value,
                due_date=due,
                assignee=assignee,
                created_at=utc_now(),
                created_by=name,
                note=note,
            )
            .returning(DunningTaskRow.id)
        ).scalar_one()
        record(
            connection,
            name,
            "task_added",
            {"task_id": task_id, "kind": kind, "due_date": due},
            customer_id=customer,
        )
    return int(task_id)
