"""Partial-dependence factors on synthetic rows whose outcome depends on two features only.

Disputed items are paid 30 days after the snapshot and the others 5 days after, plus a day for
each day of the customer's mean lateness; no other feature matters.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl
import pytest

from receivables.prediction.errors import NotEnoughHistoryError
from receivables.prediction.explain import Explainer, baseline_factors, top_factors
from receivables.prediction.features import FEATURES, training_matrix
from receivables.prediction.model import train

CUTOFF = date(2025, 6, 30)


def _rows(count: int = 2_000) -> pl.DataFrame:
    generator = np.random.default_rng(3)
    columns = {name: generator.normal(size=count) for name in FEATURES}
    columns["disputed"] = (generator.random(count) < 0.3).astype(np.float64)
    columns["customer_mean_late"] = generator.integers(0, 10, count).astype(np.float64)
    columns["days_to_due"] = np.zeros(count)
    remaining = 5.0 + 25.0 * columns["disputed"] + columns["customer_mean_late"]
    return pl.DataFrame(columns).with_columns(
        pl.Series("document_id", np.arange(count)),
        pl.lit(CUTOFF).alias("snapshot"),
        pl.lit("issue").alias("row_kind"),
        pl.Series("target_remaining", remaining),
        pl.Series("target_days", remaining),
        pl.Series("late", (remaining > 0).astype(np.int8)),
        pl.lit(True).alias("exact"),
    )


def test_dispute_is_the_main_factor() -> None:
    rows = _rows()
    model = train(rows, CUTOFF)
    factors = top_factors(rows, Explainer(model)).to_list()
    disputed_rows = rows["disputed"].to_numpy() == 1
    first = [row[0] for row, flag in zip(factors, disputed_rows, strict=True) if flag]
    assert {factor["feature"] for factor in first} == {"disputed"}
    assert all(factor["days"] > 10 for factor in first)
    assert all(factor["value"] == 1.0 for factor in first)


def test_three_factors_largest_first() -> None:
    rows = _rows()
    factors = top_factors(rows.head(50), Explainer(train(rows, CUTOFF))).to_list()
    for row in factors:
        sizes = [abs(factor["days"]) for factor in row]
        assert len(row) == 3
        assert sizes == sorted(sizes, reverse=True)


def test_baseline_factor_is_customer_mean() -> None:
    frame = pl.DataFrame(
        {
            "customer_mean_late": [12.5, None, 3.0],
            "method": ["baseline_customer_average", "baseline_due_date", "baseline_due_date"],
        }
    )
    factors = baseline_factors(frame).to_list()
    assert factors[0] == [{"feature": "customer_mean_late", "value": 12.5, "days": 12.5}]
    assert factors[1] == []
    assert factors[2] == []


def test_row_order_does_not_change_the_model() -> None:
    # Over 10,000 rows the trees hold out rows for early stopping, chosen by their position.
    rows = _rows(12_000)
    shuffled = rows.sample(fraction=1.0, shuffle=True, seed=5)
    matrix = rows.head(200)

    first = train(rows, CUTOFF).predict_remaining(training_matrix(matrix))
    second = train(shuffled, CUTOFF).predict_remaining(training_matrix(matrix))

    assert np.array_equal(first, second)


def test_too_few_rows_raise() -> None:
    with pytest.raises(NotEnoughHistoryError, match="training needs at least 200"):
        train(_rows(150), CUTOFF)
