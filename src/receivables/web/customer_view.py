"""The customer page's content, gathered from the capabilities' own functions.

Balance and exposure come from the order check's ``customer_state``, open items from the
single-customer rule of ``dunning.open_amounts``, limits from ``credit.limits.limit_history``,
and the contact timeline from the listings of notices, tasks, promises and disputes. The few
queries here only read stored rows: the customer's master data, its score and class changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Engine, select, text

from receivables.credit.check import customer_state
from receivables.credit.limits import LimitChange, limit_history
from receivables.credit.records import active_hold
from receivables.domain.credit.check import CustomerCreditState
from receivables.domain.credit.settings import CreditSettings
from receivables.domain.money import Currency, Money
from receivables.dunning.disputes import list_disputes
from receivables.dunning.open_amounts import OpenItem, open_items_of
from receivables.dunning.promises import list_promises
from receivables.dunning.review import list_notices
from receivables.dunning.tasks import list_tasks
from receivables.storage.credit_models import CreditScoreRow, RiskClassChangeRow, UserRow
from receivables.web.viewer import PageError

CUSTOMER_SQL = text(
    "SELECT c.id, c.code, c.name, c.country, c.currency, c.segment, c.payment_term, "
    "k.contact_name, k.email, k.phone, o.collector FROM customers c "
    "LEFT JOIN customer_contacts k ON k.customer_id = c.id "
    "LEFT JOIN dunning_overrides o ON o.customer_id = c.id WHERE c.code = :code"
)


@dataclass(frozen=True)
class TimelineEvent:
    """One contact with the customer or one step of a case, for the timeline."""

    day: str
    kind: str
    summary: str
    by: str | None = None


@dataclass
class CustomerView:
    customer: dict[str, Any]
    state: CustomerCreditState
    items: list[OpenItem]
    overdue: Money
    hold: dict[str, Any] | None
    score: dict[str, Any] | None
    class_history: list[dict[str, Any]]
    limits: list[LimitChange]
    disputes: list[dict[str, Any]]
    promises: list[dict[str, Any]]
    timeline: list[TimelineEvent] = field(default_factory=list)


def find_customer(connection: Connection, code: str) -> dict[str, Any]:
    row = connection.execute(CUSTOMER_SQL, {"code": code}).first()
    if row is None:
        raise PageError(404, f"customer {code} not found")
    return dict(row._mapping)


def _hold(connection: Connection, customer_id: int) -> dict[str, Any] | None:
    row = active_hold(connection, customer_id)
    if row is None:
        return None
    placed_by = connection.execute(select(UserRow.name).where(UserRow.id == row.placed_by)).scalar()
    return {"placed_at": row.placed_at, "placed_by": placed_by, "reason": row.reason}


def _score(connection: Connection, customer_id: int) -> dict[str, Any] | None:
    row = connection.execute(
        select(CreditScoreRow.__table__).where(CreditScoreRow.customer_id == customer_id)
    ).first()
    if row is None:
        return None
    return {**row._mapping, "score": Decimal(row.score_tenths).scaleb(-1)}


def _class_history(connection: Connection, customer_id: int) -> list[dict[str, Any]]:
    rows = connection.execute(
        select(RiskClassChangeRow.__table__)
        .where(RiskClassChangeRow.customer_id == customer_id)
        .order_by(RiskClassChangeRow.as_of.desc(), RiskClassChangeRow.id.desc())
    )
    return [{**row._mapping, "score": Decimal(row.score_tenths).scaleb(-1)} for row in rows]


def _timeline(
    code: str, engine: Engine, disputes: list[dict[str, Any]], promises: list[dict[str, Any]]
) -> list[TimelineEvent]:
    """Merge notices, completed and open tasks, promises and disputes, the newest first."""
    events = [
        TimelineEvent(
            notice["notice_date"],
            "notice",
            f"{notice['level_name']} by {notice['channel']}: {notice['status']}"
            + (f", delivery {notice['delivery']}" if notice["delivery"] else ""),
        )
        for notice in list_notices(engine, customer=code)
    ]
    for task in list_tasks(engine, status=None):
        if task["code"] != code:
            continue
        if task["status"] == "done":
            outcome = (task["outcome"] or "").replace("_", " ")
            summary = f"{task['kind'].replace('_', ' ')}: {outcome}" + (
                f" ({task['note']})" if task["note"] else ""
            )
            events.append(TimelineEvent(task["done_on"], "task done", summary, task["done_by"]))
        else:
            summary = f"{task['kind'].replace('_', ' ')} {task['status']}, due {task['due_date']}"
            events.append(TimelineEvent(task["due_date"], "task", summary, task["assignee"]))
    for promise in promises:
        summary = (
            f"promise of {promise['amount']} {promise['currency']} by {promise['promised_date']}: "
            f"{promise['state']}"
        )
        events.append(TimelineEvent(promise["made_on"], "promise", summary, promise["recorded_by"]))
    for dispute in disputes:
        summary = f"dispute on {dispute['document']} ({dispute['reason']}): {dispute['status']}"
        events.append(TimelineEvent(dispute["opened_on"], "dispute", summary, dispute["owner"]))
    return sorted(events, key=lambda event: event.day, reverse=True)


def load_customer_view(
    engine: Engine, code: str, as_of: date, company: Currency, settings: CreditSettings
) -> CustomerView:
    """Gather everything the customer page shows about customer ``code`` on ``as_of``."""
    with engine.connect() as connection:
        customer = find_customer(connection, code)
        customer_id = customer["id"]
        state, _source = customer_state(connection, code, as_of, company, settings.policy)
        items = open_items_of(connection, customer_id, as_of, company)
        hold = _hold(connection, customer_id)
        score = _score(connection, customer_id)
        class_history = _class_history(connection, customer_id)
    overdue_minor = sum(item.open_company_minor for item in items if item.due_date < as_of)
    disputes = [row for row in list_disputes(engine) if row["customer_code"] == code]
    promises = [row for row in list_promises(engine) if row["customer_code"] == code]
    return CustomerView(
        customer=customer,
        state=state,
        items=items,
        overdue=Money.from_minor(overdue_minor, company),
        hold=hold,
        score=score,
        class_history=class_history,
        limits=list(reversed(limit_history(engine, code))),
        disputes=disputes,
        promises=promises,
        timeline=_timeline(code, engine, disputes, promises),
    )
