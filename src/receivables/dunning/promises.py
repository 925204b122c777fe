"""Promises to pay: recording one, the run's check of open promises, and the broken ones.

A promise covers the items it names, or every open item of the customer when it names none.
:func:`broken_promises` is the table credit monitoring reads: broken promises per customer in a
date range, by the day the run found them broken.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import polars as pl
from sqlalchemy import Connection, Engine, insert, select, text, update

from receivables.domain.dunning.promises import PromiseState, check_promise, check_transition
from receivables.domain.dunning.roles import Action
from receivables.domain.money import Currency, Money
from receivables.dunning.audit import record
from receivables.dunning.bulk import wait_for_writers
from receivables.dunning.errors import NotFoundError
from receivables.dunning.open_amounts import customer_id_of, open_items_of
from receivables.dunning.users import acting_user
from receivables.storage.dunning_models import PromiseItemRow, PromiseRow
from receivables.storage.promise_counts import broken_promise_counts

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RecordedPromise:
    id: int
    customer_code: str
    promised_date: date
    amount: Money
    covered: list[str]
    open_at_promise: Money


def record_promise(
    connection: Connection,
    code: str,
    made_on: date,
    promised_date: date,
    amount: Decimal,
    company: Currency,
    grace_days: int,
    numbers: list[str] | None = None,
    user: str | None = None,
    note: str | None = None,
    task_id: int | None = None,
) -> RecordedPromise:
    """Record a promise to pay ``amount`` (company currency) by ``promised_date``."""
    name = acting_user(connection, user, Action.RECORD_PROMISE)
    customer = customer_id_of(connection, code)
    amount_minor = Money.of(amount, company).minor_units()
    check_promise(made_on, promised_date, amount_minor, grace_days)
    items = open_items_of(connection, customer, made_on, company)
    if numbers:
        wanted = set(numbers)
        items = [item for item in items if item.number in wanted]
        missing = wanted - {item.number for item in items}
        if missing:
            raise NotFoundError(f"open item of customer {code}", ", ".join(sorted(missing)))
    if not items:
        raise NotFoundError(f"open item of customer {code} on", made_on)
    open_at = sum(item.open_company_minor for item in items)
    promise_id = connection.execute(
        insert(PromiseRow)
        .values(
            customer_id=customer,
            made_on=made_on,
            promised_date=promised_date,
            amount_minor=amount_minor,
            currency=company.code,
            grace_days=grace_days,
            open_at_promise_minor=open_at,
            state=PromiseState.OPEN.value,
            recorded_by=name,
            task_id=task_id,
            note=note,
        )
        .returning(PromiseRow.id)
    ).scalar_one()
    connection.execute(
        insert(PromiseItemRow),
        [{"promise_id": promise_id, "document_id": item.document_id} for item in items],
    )
    covered = [item.number for item in items]
    detail = {
        "promised_date": promised_date,
        "amount": str(Money.from_minor(amount_minor, company)),
        "items": covered,
    }
    record(connection, name, "promise_recorded", detail, customer_id=customer)
    return RecordedPromise(
        promise_id,
        code,
        promised_date,
        Money.from_minor(amount_minor, company),
        covered,
        Money.from_minor(open_at, company),
    )


def apply_states(engine: Engine, evaluated: pl.DataFrame, as_of: date) -> dict[str, int]:
    """Record the promises the run found kept or broken; return how many of each."""
    changed = evaluated.filter(pl.col("state") != PromiseState.OPEN.value)
    counts = {PromiseState.KEPT.value: 0, PromiseState.BROKEN.value: 0}
    if changed.is_empty():
        return counts
    with engine.begin() as connection:
        wait_for_writers(connection)
        for row in changed.iter_rows(named=True):
            result = connection.execute(
                update(PromiseRow)
                .where(
                    PromiseRow.id == row["promise_id"], PromiseRow.state == PromiseState.OPEN.value
                )
                .values(state=row["state"], closed_on=as_of)
            )
            if result.rowcount:
                counts[row["state"]] += 1
                action = f"promise_{row['state']}"
                record(
                    connection,
                    None,
                    action,
                    {"promise_id": row["promise_id"], "as_of": as_of},
                    customer_id=row["customer_id"],
                )
    if counts[PromiseState.BROKEN.value]:
        log.warning("%d promises to pay broken as of %s", counts[PromiseState.BROKEN.value], as_of)
    return counts


def cancel_promise(connection: Connection, promise_id: int, user: str | None) -> None:
    name = acting_user(connection, user, Action.RECORD_PROMISE)
    row = connection.execute(
        select(PromiseRow.state, PromiseRow.customer_id).where(PromiseRow.id == promise_id)
    ).first()
    if row is None:
        raise NotFoundError("promise", promise_id)
    check_transition(PromiseState(row.state), PromiseState.CANCELLED)
    connection.execute(
        update(PromiseRow)
        .where(PromiseRow.id == promise_id)
        .values(state=PromiseState.CANCELLED.value)
    )
    record(
        connection,
        name,
        "promise_cancelled",
        {"promise_id": promise_id},
        customer_id=row.customer_id,
    )


def list_promises(engine: Engine, state: str | None = None) -> list[dict[str, object]]:
    sql = (
        "SELECT p.id, c.code, p.made_on, p.promised_date, p.amount_minor, p.currency, "
        "p.grace_days, p.state, p.closed_on, p.recorded_by FROM promises p "
        "JOIN customers c ON c.id = p.customer_id"
    )
    params = {}
    if state:
        sql += " WHERE p.state = :state"
        params["state"] = state
    with engine.connect() as connection:
        rows = connection.execute(text(sql + " ORDER BY p.promised_date, p.id"), params)
        return [
            {
                "id": row.id,
                "customer_code": row.code,
                "made_on": str(row.made_on),
                "promised_date": str(row.promised_date),
                "amount": str(Money.from_minor(row.amount_minor, row.currency).amount),
                "currency": row.currency,
                "grace_days": row.grace_days,
                "state": row.state,
                "closed_on": str(row.closed_on) if row.closed_on else None,
                "recorded_by": row.recorded_by,
            }
            for row in rows
        ]


def broken_promises(engine: Engine, first: date, last: date) -> pl.DataFrame:
    """Return customer_id and broken_promises: promises found broken from ``first`` to ``last``.

    Credit monitoring reads the same counts for its ``broken_promise`` warning sign and the
    ``broken_promises`` factor of the behaviour score.
    """
    return broken_promise_counts(engine, first, last)
