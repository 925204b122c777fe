"""The collector's worklist: customers to act on, by value at risk, with the next best action.

A customer is listed when it has an overdue amount, an open task, a draft notice to review or a
delivery that failed or is unconfirmed. Value at risk and the next best action are the rules of
``domain.dunning.worklist``, applied to columns. The collector is the customer's own (an
override), else the assignee of its earliest open task.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import polars as pl
from sqlalchemy import Engine

from receivables.analytics.frames import load_ledger
from receivables.domain.dunning.formulas import flag
from receivables.domain.dunning.worklist import (
    ACTIONS,
    DEFAULT_CLASS_PERCENT,
    RiskWeights,
    item_weight,
    next_action,
    value_at_risk,
)
from receivables.domain.money import Currency, Money
from receivables.dunning.config import CollectionSettings
from receivables.dunning.state import load_customers, open_items
from receivables.storage.frames import read_frame

TASKS_SQL = "SELECT customer_id, kind, due_date, assignee, status, done_on FROM dunning_tasks"
TASKS_SCHEMA: dict[str, pl.DataType] = {
    "customer_id": pl.Int64(),
    "kind": pl.String(),
    "due_date": pl.Date(),
    "assignee": pl.String(),
    "status": pl.String(),
    "done_on": pl.Date(),
}
NOTICES_SQL = (
    "SELECT n.customer_id, n.status, o.state FROM dunning_notices n "
    "LEFT JOIN dunning_outbox o ON o.notice_id = n.id "
    "WHERE n.status = 'draft' OR o.state IN ('failed', 'unconfirmed')"
)
NOTICES_SCHEMA: dict[str, pl.DataType] = {
    "customer_id": pl.Int64(),
    "status": pl.String(),
    "state": pl.String(),
}
DISPUTES_SQL = "SELECT customer_id, opened_on FROM disputes WHERE status = 'open'"
PROMISES_SQL = (
    "SELECT customer_id, state, closed_on FROM promises WHERE state IN ('open', 'broken')"
)


def _task_flags(tasks: pl.DataFrame, as_of: date) -> pl.DataFrame:
    open_tasks = tasks.filter(pl.col("status") == "open").sort("due_date")
    return open_tasks.group_by("customer_id").agg(
        (pl.col("due_date") <= as_of).any().alias("task_due"),
        (pl.col("due_date") > as_of).any().alias("task_planned"),
        (pl.col("kind") == "legal_handover").any().alias("legal"),
        pl.len().alias("open_tasks"),
        pl.col("due_date").min().alias("next_task_due"),
        pl.col("assignee").drop_nulls().first().alias("task_assignee"),
    )


def _promise_flags(engine: Engine, tasks: pl.DataFrame) -> pl.DataFrame:
    """Flag open promises, and promises broken after the customer's last completed task."""
    last_done = (
        tasks.filter(pl.col("status") == "done")
        .group_by("customer_id")
        .agg(pl.col("done_on").max().alias("last_done"))
    )
    schema = {"customer_id": pl.Int64(), "state": pl.String(), "closed_on": pl.Date()}
    promises = read_frame(engine, PROMISES_SQL, schema).join(
        last_done, on="customer_id", how="left"
    )
    followed_up = pl.col("last_done").is_not_null() & (pl.col("closed_on") <= pl.col("last_done"))
    return promises.group_by("customer_id").agg(
        (pl.col("state") == "open").any().alias("open_promise"),
        ((pl.col("state") == "broken") & ~followed_up).any().alias("broken_promise"),
    )


def _customer_flags(engine: Engine, as_of: date, stale_days: int) -> pl.DataFrame:
    """Return per customer the task, notice, dispute and promise facts the actions rest on."""
    tasks = read_frame(engine, TASKS_SQL, TASKS_SCHEMA)
    notices = (
        read_frame(engine, NOTICES_SQL, NOTICES_SCHEMA)
        .group_by("customer_id")
        .agg(
            (pl.col("status") == "draft").sum().alias("drafts"),
            pl.col("state").is_in(["failed", "unconfirmed"]).any().alias("delivery_problem"),
        )
    )
    stale = as_of - timedelta(days=stale_days)
    disputes = (
        read_frame(engine, DISPUTES_SQL, {"customer_id": pl.Int64(), "opened_on": pl.Date()})
        .group_by("customer_id")
        .agg(
            pl.len().alias("open_disputes"),
            (pl.col("opened_on") <= stale).any().alias("stale_dispute"),
        )
    )
    merged = _task_flags(tasks, as_of)
    for frame in (notices, disputes, _promise_flags(engine, tasks)):
        merged = merged.join(frame, on="customer_id", how="full", coalesce=True)
    return merged


def _amounts(items: pl.DataFrame, weights: RiskWeights) -> pl.DataFrame:
    """Return per customer its open and overdue amounts, oldest age and summed item weights."""
    return items.group_by("customer_id").agg(
        pl.col("open_company").sum().alias("open"),
        (pl.col("open_company") * flag(pl.col("days_past_due") > 0)).sum().alias("overdue"),
        pl.col("days_past_due").max().alias("oldest_days_past_due"),
        item_weight(weights, pl.col("open_company"), pl.col("days_past_due"))
        .sum()
        .alias("weighted"),
    )


def _ranked(frame: pl.DataFrame, weights: RiskWeights) -> pl.DataFrame:
    """Add value at risk, the next best action and the collector; sort by value at risk."""
    percent = pl.col("risk_class").replace_strict(
        dict(weights.class_percent), default=DEFAULT_CLASS_PERCENT, return_dtype=pl.Int64
    )
    code = next_action(
        pl.col("task_due") * 1,
        pl.col("broken_promise") * 1,
        flag(pl.col("drafts") > 0),
        pl.col("legal") * 1,
        pl.col("delivery_problem") * 1,
        pl.col("stale_dispute") * 1,
        pl.col("open_promise") * 1,
        pl.col("task_planned") * 1,
    )
    names = {index: action.value for index, action in enumerate(ACTIONS)}
    return frame.with_columns(
        value_at_risk(pl.col("weighted").cast(pl.Int128), percent)
        .cast(pl.Int64)
        .alias("value_at_risk"),
        code.replace_strict(names, return_dtype=pl.String).alias("next_action"),
        pl.coalesce("collector", "task_assignee").alias("assigned_collector"),
    ).sort(["value_at_risk", "overdue", "customer_code"], descending=[True, True, False])


BOOLEANS = (
    "task_due",
    "task_planned",
    "legal",
    "delivery_problem",
    "stale_dispute",
    "open_promise",
    "broken_promise",
)
COUNTS = ("open", "overdue", "weighted", "drafts", "open_tasks", "open_disputes")


def build_worklist(
    engine: Engine,
    settings: CollectionSettings,
    company: Currency,
    as_of: date,
    collector: str | None = None,
) -> list[dict[str, Any]]:
    """Return the worklist rows, highest value at risk first."""
    weights = settings.weights
    items = open_items(load_ledger(engine, company), company, as_of)
    customers = load_customers(engine).select(
        "customer_id", "customer_code", "name", "risk_class", "collector"
    )
    frame = (
        customers.join(_amounts(items, weights), on="customer_id", how="left")
        .join(
            _customer_flags(engine, as_of, weights.stale_dispute_days), on="customer_id", how="left"
        )
        .with_columns(
            *[pl.col(name).fill_null(False) for name in BOOLEANS],
            *[pl.col(name).fill_null(0) for name in COUNTS],
        )
    )
    listed = (pl.col("overdue") > 0) | (pl.col("open_tasks") > 0) | (pl.col("drafts") > 0)
    frame = _ranked(frame.filter(listed | pl.col("delivery_problem")), weights)
    if collector:
        frame = frame.filter(pl.col("assigned_collector") == collector)
    return [_row(row, company) for row in frame.iter_rows(named=True)]


def _row(row: dict[str, Any], company: Currency) -> dict[str, Any]:
    def amount(minor: int) -> str:
        return str(Money.from_minor(int(minor), company).amount)

    return {
        "customer_code": row["customer_code"],
        "name": row["name"],
        "risk_class": row["risk_class"],
        "open": amount(row["open"]),
        "overdue": amount(row["overdue"]),
        "oldest_days_past_due": row["oldest_days_past_due"],
        "value_at_risk": amount(row["value_at_risk"]),
        "next_action": row["next_action"],
        "assigned_collector": row["assigned_collector"],
        "open_tasks": row["open_tasks"],
        "next_task_due": row["next_task_due"].isoformat() if row["next_task_due"] else None,
        "drafts_to_review": row["drafts"],
        "open_disputes": row["open_disputes"],
        "open_promise": row["open_promise"],
        "broken_promise": row["broken_promise"],
        "currency": company.code,
    }
