"""The pure dunning rules: level choice, promises, value at risk, next best action, config."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from receivables.domain.dunning.choice import (
    Reason,
    Situation,
    decide,
    level_now,
    qualifying_level,
    reached_level,
    reason_code,
    target_level,
)
from receivables.domain.dunning.errors import DunningConfigError, InvalidPromiseError
from receivables.domain.dunning.items import items_key
from receivables.domain.dunning.policy import Channel, DunningLevel, DunningPolicy, PolicyBook
from receivables.domain.dunning.policy_config import parse_policy_book
from receivables.domain.dunning.promises import Promise, PromiseState, evaluate
from receivables.domain.dunning.worklist import (
    Action,
    RiskWeights,
    item_weight,
    next_action,
    value_at_risk,
)
from receivables.dunning.config import default_table

POLICY = DunningPolicy(
    "test",
    (
        DunningLevel("reminder", -3, Channel.EMAIL, "reminder", wait_days=7),
        DunningLevel(
            "first", 7, Channel.EMAIL, "first_notice", minimum_amount=Decimal(10), wait_days=14
        ),
        DunningLevel(
            "second", 21, Channel.EMAIL, "second_notice", minimum_amount=Decimal(10), wait_days=14
        ),
        DunningLevel(
            "final", 35, Channel.LETTER, "final_notice", minimum_amount=Decimal(50), wait_days=10
        ),
    ),
)
MINIMUMS = (0, 1000, 1000, 5000)


def situation(oldest, total, last=0, since=0, escalate=False, pending=False):
    return Situation(oldest, (total,) * 4, last, since, escalate, pending)


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        (situation(-4, 5000), (0, Reason.NOTHING_DUE)),
        (situation(-3, 5000), (1, Reason.NOTICE)),
        (situation(0, 5000), (1, Reason.NOTICE)),
        (situation(3, 5000), (0, Reason.NOTHING_DUE)),
        (situation(7, 5000), (2, Reason.NOTICE)),
        (situation(40, 5000), (4, Reason.NOTICE)),
        (situation(40, 4999), (3, Reason.NOTICE)),
        (situation(10, 999), (0, Reason.BELOW_MINIMUM)),
        (situation(25, 5000, last=2, since=13), (0, Reason.WAITING)),
        (situation(25, 5000, last=2, since=14), (3, Reason.NOTICE)),
        (situation(25, 5000, last=3, since=30), (0, Reason.ALREADY_NOTIFIED)),
        (situation(10, 5000, last=2, since=3, escalate=True), (3, Reason.NOTICE)),
        (situation(40, 5000, last=4, since=3, escalate=True), (0, Reason.ALREADY_NOTIFIED)),
        (situation(40, 5000, last=2, since=20, pending=True), (0, Reason.AWAITING_REVIEW)),
    ],
)
def test_level_choice_table(case, expected):
    decision = decide(POLICY, case, MINIMUMS)

    assert (decision.level, decision.reason) == expected


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(-10, 90),
            st.integers(0, 20_000),
            st.integers(0, 4),
            st.integers(0, 40),
            st.booleans(),
            st.booleans(),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_batch_choice_equals_single_choice(rows):
    frame = pl.DataFrame(
        rows, schema=["oldest", "total", "last", "since", "escalate", "pending"], orient="row"
    ).with_columns(pl.col("escalate").cast(pl.Int32), pl.col("pending").cast(pl.Int32))
    totals = [pl.col("total")] * 4
    history = (pl.col("last"), pl.col("since"), pl.col("escalate"), pl.col("pending"))
    frame = frame.with_columns(
        reached_level(POLICY, pl.col("oldest")).alias("reached"),
        qualifying_level(POLICY, pl.col("oldest"), totals, MINIMUMS).alias("chosen"),
    ).with_columns(
        target_level(POLICY, pl.col("chosen"), pl.col("last"), pl.col("escalate")).alias("target")
    )
    frame = frame.with_columns(
        reason_code(POLICY, pl.col("reached"), pl.col("chosen"), pl.col("target"), history).alias(
            "reason"
        )
    ).with_columns(level_now(pl.col("target"), pl.col("reason")).alias("level"))

    single = [decide(POLICY, situation(*row), MINIMUMS) for row in rows]

    assert frame["level"].to_list() == [decision.level for decision in single]
    assert frame["reason"].to_list() == [decision.reason.code for decision in single]


def test_promise_kept_by_payment():
    promise = Promise(date(2024, 2, 8), date(2024, 2, 15), 50000, 80000, grace_days=3)

    assert evaluate(promise, 30000, date(2024, 2, 12)) is PromiseState.KEPT


def test_promise_open_within_grace():
    promise = Promise(date(2024, 2, 8), date(2024, 2, 15), 50000, 80000, grace_days=3)

    assert evaluate(promise, 80000, date(2024, 2, 18)) is PromiseState.OPEN


def test_promise_broken_after_grace():
    promise = Promise(date(2024, 2, 8), date(2024, 2, 15), 50000, 80000, grace_days=3)

    assert evaluate(promise, 40000, date(2024, 2, 19)) is PromiseState.BROKEN


def test_promise_before_made_on_rejected():
    with pytest.raises(InvalidPromiseError):
        Promise(date(2024, 2, 8), date(2024, 2, 1), 100, 100)


def test_value_at_risk_worked_example():
    """1,000.00 at 45 days past due (5 %), risk class D (150 %): 75.00."""
    weights = RiskWeights()
    weighted = item_weight(weights, 100000, 45)

    assert value_at_risk(weighted, weights.class_percent["D"]) == 7500


def test_next_action_priority():
    flags = dict.fromkeys(range(8), 0)
    flags[2] = flags[6] = 1

    assert next_action(*flags.values()) == Action.REVIEW_NOTICE.code


def test_next_action_none():
    assert next_action(0, 0, 0, 0, 0, 0, 0, 0) == Action.NONE.code


def test_items_key_ignores_order():
    assert items_key([3, 1, 2]) == items_key([1, 2, 3, 3])


def test_shipped_policies_parse():
    book = parse_policy_book(default_table())

    assert sorted(book.policies) == ["good_payers", "poor_payers", "standard"]
    assert book.policy_name_for(None, "D", None) == "poor_payers"
    assert book.policy_name_for("standard", "A", None) == "standard"


def test_policy_days_must_rise():
    with pytest.raises(DunningConfigError, match="rise strictly"):
        DunningPolicy(
            "bad",
            (DunningLevel("a", 7, Channel.EMAIL, "a"), DunningLevel("b", 7, Channel.EMAIL, "b")),
        )


def test_unknown_level_key_rejected():
    table = {
        "policies": {"p": {"levels": [{"name": "a", "days": 1, "channel": "email", "fees": "5"}]}}
    }

    with pytest.raises(DunningConfigError, match="unknown keys"):
        parse_policy_book(table)


def test_unknown_assignment_policy_rejected():
    with pytest.raises(DunningConfigError, match="unknown policy"):
        PolicyBook({"test": POLICY}, "other")
