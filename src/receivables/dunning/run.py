"""The dunning run of an as-of date: check promises, decide, plan notices, then deliver.

1. The open promises are checked: kept ones end, broken ones are recorded and escalate.
2. Every customer with open items gets a decision (:mod:`receivables.dunning.planning`).
3. The notices it plans are written with their items, deliveries, tasks and audit events
   (:mod:`receivables.dunning.store`); notices another run planned already are left alone.
4. With ``send``, the approved email and letter notices are delivered from the outbox
   (:mod:`receivables.dunning.delivery`), including any left pending by earlier runs.

A run is safe to repeat and to start twice at once: see the guards in ``store`` and ``outbox``.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import polars as pl
from sqlalchemy import Engine

from receivables.analytics.frames import load_ledger
from receivables.domain.dunning.promises import PromiseState
from receivables.domain.dunning.roles import Action
from receivables.domain.money import Currency
from receivables.dunning.bundles import build_notices
from receivables.dunning.config import CollectionSettings
from receivables.dunning.delivery import DeliveryReport, deliver_pending
from receivables.dunning.planning import RunInputs, decide
from receivables.dunning.problems import Problem
from receivables.dunning.promise_check import evaluate_promises
from receivables.dunning.promises import apply_states
from receivables.dunning.state import (
    load_customers,
    load_notices,
    load_open_disputes,
    load_promises,
    open_items,
)
from receivables.dunning.store import WriteResult, finish_run, start_run, write_plan
from receivables.dunning.users import acting_user

log = logging.getLogger(__name__)


@dataclass
class RunReport:
    run_id: int
    as_of: date
    customers: int = 0
    open_items: int = 0
    decisions: Counter[str] = field(default_factory=Counter)
    written: WriteResult = field(default_factory=WriteResult)
    promises: dict[str, int] = field(default_factory=dict)
    delivery: DeliveryReport | None = None
    problems: list[Problem] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        written = self.written
        problems = self.problems + (self.delivery.problems if self.delivery else [])
        return {
            "run_id": self.run_id,
            "as_of": self.as_of.isoformat(),
            "customers_with_open_items": self.customers,
            "open_items": self.open_items,
            "notices": {
                "planned": written.planned,
                "already_planned": written.already_planned,
                "drafts_to_review": written.drafts,
                "by_level": dict(sorted(written.by_level.items())),
                "by_channel": dict(sorted(written.by_channel.items())),
            },
            "tasks_created": written.tasks,
            "decisions": dict(sorted(self.decisions.items())),
            "promises": self.promises,
            "delivery": self.delivery.to_dict() if self.delivery else None,
            "problems": [problem.to_dict() for problem in problems],
        }


def _inputs(engine: Engine, company: Currency, as_of: date) -> tuple[RunInputs, dict[str, int]]:
    frames = load_ledger(engine, company)
    items = open_items(frames, company, as_of)
    promises, promise_items = load_promises(engine)
    evaluated = evaluate_promises(promises, promise_items, items, as_of)
    counts = apply_states(engine, evaluated, as_of)
    still_open = evaluated.filter(pl.col("state") == PromiseState.OPEN.value).select("promise_id")
    promised = promise_items.join(still_open, on="promise_id", how="semi").select("document_id")
    broken = promises.join(
        evaluated.select("promise_id", pl.col("state").alias("now")), on="promise_id", how="left"
    )
    broken = broken.with_columns(
        pl.coalesce("now", "state").alias("state"),
        pl.when(pl.col("now") == PromiseState.BROKEN.value)
        .then(pl.lit(as_of))
        .otherwise(pl.col("closed_on"))
        .alias("closed_on"),
    )
    notices, notice_items = load_notices(engine)
    inputs = RunInputs(
        as_of=as_of,
        company=company,
        items=items,
        customers=load_customers(engine),
        disputed_ids=load_open_disputes(engine),
        promised_ids=promised,
        broken=broken,
        notices=notices,
        notice_items=notice_items,
    )
    return inputs, counts


def run_dunning(
    engine: Engine,
    settings: CollectionSettings,
    company: Currency,
    as_of: date,
    user: str | None = None,
    send: bool = True,
) -> RunReport:
    """Run dunning for ``as_of``; with ``send``, deliver the approved notices afterwards."""
    with engine.connect() as connection:
        user = acting_user(connection, user, Action.RUN)
    run_id = start_run(engine, as_of, user)
    report = RunReport(run_id, as_of)
    try:
        inputs, report.promises = _inputs(engine, company, as_of)
        decisions, eligible, customers, problems = decide(settings.book, inputs)
        notices, items, fallbacks = build_notices(
            settings.book, company, as_of, decisions, eligible, customers, settings.default_language
        )
        report.problems = problems + fallbacks
        report.customers = decisions.height
        report.open_items = inputs.items.height
        report.decisions.update(decisions["reason"].to_list())
        report.written = write_plan(engine, run_id, notices, items, user)
        if send:
            report.delivery = deliver_pending(engine, settings)
    except Exception:
        finish_run(engine, run_id, "failed", {})
        raise
    summary = report.to_dict()
    finish_run(engine, run_id, "finished", summary)
    log.info(
        "dunning run %d as of %s: %d notices planned, %d already planned, %d problems",
        run_id,
        as_of,
        report.written.planned,
        report.written.already_planned,
        len(summary["problems"]),
    )
    return report
