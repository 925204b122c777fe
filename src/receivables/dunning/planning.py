"""The decision of a dunning run: which level each customer gets now, for the whole ledger.

Steps, all on Polars frames:

1. each customer's policy: its override, else its risk class, else its segment, else the default
   (:meth:`PolicyBook.policy_name_for`, as a column expression);
2. each open item's eligibility: not disputed (the ledger flag or an open dispute), not covered
   by a pending promise, its customer not on hold (:func:`items.eligible`);
3. each customer's contact history: the highest level among notices that still chase an open
   item, the date of that notice, whether a draft awaits review, and whether a promise broke
   since (which escalates);
4. per policy, the oldest eligible days past due and the notice total of each level, then
   :func:`choice.choose_level` on those columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from receivables.domain.dunning.choice import (
    NO_ITEMS,
    REASONS,
    level_now,
    minimums_minor,
    qualifying_level,
    reached_level,
    reason_code,
    target_level,
)
from receivables.domain.dunning.items import eligible, in_bundle
from receivables.domain.dunning.notices import NoticeStatus
from receivables.domain.dunning.policy import DunningPolicy, PolicyBook
from receivables.domain.dunning.promises import PromiseState
from receivables.domain.money import Currency
from receivables.dunning.problems import Problem

EPOCH = date(1970, 1, 1)
HISTORY_COLUMNS = ("last_level", "days_since_last", "pending_review", "escalate")
DECISION_SCHEMA: dict[str, pl.DataType] = {
    "customer_id": pl.Int64(),
    "policy": pl.String(),
    "level": pl.Int32(),
    "reason": pl.String(),
    "last_level": pl.Int32(),
}


@dataclass(frozen=True)
class RunInputs:
    """Everything the decision reads, loaded once (see :mod:`receivables.dunning.state`)."""

    as_of: date
    company: Currency
    items: pl.DataFrame
    customers: pl.DataFrame
    disputed_ids: pl.DataFrame
    promised_ids: pl.DataFrame
    broken: pl.DataFrame
    notices: pl.DataFrame
    notice_items: pl.DataFrame


def assign_policies(
    book: PolicyBook, customers: pl.DataFrame
) -> tuple[pl.DataFrame, list[Problem]]:
    """Add the ``policy`` column; an override naming an unknown policy is a problem."""
    known = list(book.policies)
    unknown = customers.filter(
        pl.col("policy_override").is_not_null() & ~pl.col("policy_override").is_in(known)
    )
    reason = "unknown policy {!r}; the customer follows its risk class, segment or the default"
    problems = [
        Problem(row["customer_code"], "policy override", reason.format(row["policy_override"]))
        for row in unknown.iter_rows(named=True)
    ]
    override = pl.when(pl.col("policy_override").is_in(known)).then(pl.col("policy_override"))
    by_class = pl.col("risk_class").replace_strict(dict(book.by_risk_class), default=None)
    by_segment = pl.col("segment").replace_strict(dict(book.by_segment), default=None)
    policy = pl.coalesce(override, by_class, by_segment, pl.lit(book.default))
    return customers.with_columns(policy.cast(pl.String).alias("policy")), problems


def eligible_items(inputs: RunInputs, customers: pl.DataFrame) -> pl.DataFrame:
    """Return the open items dunning may chase, with their customer's policy."""
    held = (pl.col("hold_until") >= inputs.as_of).fill_null(False)
    disputed = pl.col("disputed") | pl.col("document_id").is_in(
        inputs.disputed_ids["document_id"].implode()
    )
    promised = pl.col("document_id").is_in(inputs.promised_ids["document_id"].implode())
    flags = eligible(disputed * 1, promised * 1, held * 1)
    return (
        inputs.items.join(customers.select("customer_id", "policy", "hold_until"), on="customer_id")
        .filter(flags == 1)
        .drop("hold_until")
    )


def contact_history(inputs: RunInputs) -> pl.DataFrame:
    """Return per customer: last_level, days_since_last, pending_review and escalate (0/1)."""
    active_ids = (
        inputs.notice_items.join(inputs.items.select("document_id"), on="document_id", how="semi")
        .select("notice_id")
        .unique()
    )
    active = inputs.notices.join(active_ids, on="notice_id", how="semi")
    last = active.group_by("customer_id").agg(
        pl.col("level").max().alias("last_level"),
        pl.col("notice_date")
        .filter(pl.col("level") == pl.col("level").max())
        .max()
        .alias("last_date"),
        (pl.col("status") == NoticeStatus.DRAFT.value).any().cast(pl.Int32).alias("pending_review"),
    )
    broken = (
        inputs.broken.filter(
            (pl.col("state") == PromiseState.BROKEN.value) & (pl.col("closed_on") <= inputs.as_of)
        )
        .group_by("customer_id")
        .agg(pl.col("closed_on").max().alias("broken_on"))
    )
    day = pl.lit((inputs.as_of - EPOCH).days, pl.Int32)
    return last.join(broken, on="customer_id", how="full", coalesce=True).select(
        "customer_id",
        pl.col("last_level").fill_null(0).cast(pl.Int32),
        (day - pl.col("last_date").cast(pl.Int32)).fill_null(0).alias("days_since_last"),
        pl.col("pending_review").fill_null(0),
        (pl.col("broken_on") > pl.col("last_date"))
        .fill_null(pl.col("broken_on").is_not_null())
        .cast(pl.Int32)
        .alias("escalate"),
    )


def decide_policy(
    policy: DunningPolicy,
    company: Currency,
    items: pl.DataFrame,
    history: pl.DataFrame,
    customer_ids: pl.DataFrame,
) -> pl.DataFrame:
    """Apply the level choice to the customers of one policy."""
    totals = [
        (pl.col("open_company") * in_bundle(pl.col("days_past_due"), level.bundle_from_days))
        .sum()
        .alias(f"total_{number}")
        for number, level in enumerate(policy.levels, start=1)
    ]
    aggregates = items.group_by("customer_id").agg(
        pl.col("days_past_due").max().alias("oldest"), *totals
    )
    frame = (
        customer_ids.join(aggregates, on="customer_id", how="left")
        .join(history, on="customer_id", how="left")
        .with_columns(
            pl.col("oldest").fill_null(NO_ITEMS),
            *[pl.col(f"total_{n}").fill_null(0) for n in range(1, policy.top + 1)],
            *[pl.col(name).fill_null(0) for name in HISTORY_COLUMNS],
        )
    )
    minimums = minimums_minor(policy, company)
    totals = [pl.col(f"total_{n}") for n in range(1, policy.top + 1)]
    contact = (
        pl.col("last_level"),
        pl.col("days_since_last"),
        pl.col("escalate"),
        pl.col("pending_review"),
    )
    # One step per column, so no rule's expression is copied into the next.
    frame = frame.with_columns(
        reached_level(policy, pl.col("oldest")).alias("reached"),
        qualifying_level(policy, pl.col("oldest"), totals, minimums).alias("chosen"),
    )
    target = target_level(policy, pl.col("chosen"), pl.col("last_level"), pl.col("escalate"))
    frame = frame.with_columns(target.alias("target"))
    steps = (pl.col("reached"), pl.col("chosen"), pl.col("target"))
    frame = frame.with_columns(reason_code(policy, *steps, contact).alias("reason_code"))
    level = level_now(pl.col("target"), pl.col("reason_code"))
    reason = pl.col("reason_code")
    names = {code: reason.value for code, reason in enumerate(REASONS)}
    return frame.select(
        "customer_id",
        pl.lit(policy.name).alias("policy"),
        level.cast(pl.Int32).alias("level"),
        reason.replace_strict(names, return_dtype=pl.String).alias("reason"),
        pl.col("last_level").cast(pl.Int32),
    )


def decide(
    book: PolicyBook, inputs: RunInputs
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, list[Problem]]:
    """Return the decision per customer with open items, the eligible items and the customers."""
    customers, problems = assign_policies(book, inputs.customers)
    items = eligible_items(inputs, customers)
    history = contact_history(inputs)
    with_items = customers.join(
        inputs.items.select("customer_id").unique(), on="customer_id", how="semi"
    )
    parts = [
        decide_policy(
            book.get(name),
            inputs.company,
            items.filter(pl.col("policy") == name),
            history,
            with_items.filter(pl.col("policy") == name).select("customer_id"),
        )
        for name in sorted(book.policies)
    ]
    decisions = pl.concat(parts) if parts else pl.DataFrame(schema=DECISION_SCHEMA)
    return decisions, items, customers, problems
