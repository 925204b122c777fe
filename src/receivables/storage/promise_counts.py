"""Broken promises to pay per customer in a date window, for collections and credit monitoring.

A promise counts in the window when the dunning run found it broken on a day ``first`` to ``last``
(both included). The batch count (a frame over every customer) and the single count (one customer)
share one condition, so the credit review and ``credit score`` agree.
"""

from __future__ import annotations

from datetime import date

import polars as pl
from sqlalchemy import ColumnElement, Connection, Engine, and_, func, select

from receivables.storage.dunning_models import PromiseRow
from receivables.storage.frames import read_frame

BROKEN = "broken"


def _broken_in(first: date, last: date) -> ColumnElement[bool]:
    return and_(PromiseRow.state == BROKEN, PromiseRow.closed_on >= first, PromiseRow.closed_on <= last)


def broken_promise_counts(engine: Engine, first: date, last: date) -> pl.DataFrame:
    """Return ``customer_id`` and ``broken_promises`` for customers with at least one broken promise."""
    query = (
        select(PromiseRow.customer_id, func.count().label("broken_promises"))
        .where(_broken_in(first, last))
        .group_by(PromiseRow.customer_id)
    )
    sql = str(query.compile(engine, compile_kwargs={"literal_binds": True}))
    return read_frame(engine, sql, {"customer_id": pl.Int64(), "broken_promises": pl.Int64()})


def broken_promise_count(connection: Connection, customer_id: int, first: date, last: date) -> int:
    """Count the promises of ``customer_id`` found broken from ``first`` to ``last``."""
    query = (
        select(func.count())
        .select_from(PromiseRow)
        .where(PromiseRow.customer_id == customer_id, _broken_in(first, last))
    )
    return int(connection.execute(query).scalar_one())
