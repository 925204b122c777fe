"""Time-ordered validation: train on earlier months, test on later ones, model against baselines.

Each fold tests one calendar month. Its model trains on what was known at the end of the day
before the month: the rows seen by then, labelled with the outcomes known by then. It predicts the
month's rows, which are judged by the outcomes known on the as-of date. The test months are the
last ``FOLDS`` whole months that ended at least ``MATURITY_DAYS`` before the as-of date, so most
of their items have an outcome. Unpaid test items count for late/on-time when they are overdue,
and not for the MAE.

Two kinds of test rows are scored apart: ``issue`` rows (every item of the month, seen on its
document date) and ``month_end`` rows (the items open at the end of the month, seen then, the
situation of a forecast). Per kind and method:

- ``mae_days``: mean absolute difference between predicted and actual days late, paid items;
- ``within_7_days``: share of paid items predicted within 7 days of their pay date;
- ``accuracy``: share of items whose late/on-time outcome was predicted right. The model
  predicts late when ``p_late >= 0.5``, a baseline when it predicts more than 0 days late;
- ``auc``: area under the ROC curve of late against ``p_late`` (model) or predicted days late
  (baselines); None when the test rows hold only one outcome. The due-date baseline ranks every
  issue row alike, so its AUC there is 0.5.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
import polars as pl
from sklearn.metrics import roc_auc_score

from receivables.prediction import baselines
from receivables.prediction.errors import NotEnoughHistoryError
from receivables.prediction.features import add_features
from receivables.prediction.history import PaymentHistory
from receivables.prediction.model import PaymentModel, pay_dates, train
from receivables.prediction.predict import labelled_rows
from receivables.prediction.rows import issue_rows, month_end_rows, with_labels

log = logging.getLogger(__name__)

FOLDS = 3
MATURITY_DAYS = 90
WITHIN_DAYS = 7
ROW_KINDS = ("issue", "month_end")
SCORED_COLUMNS = [
    "row_kind", "method", "target_days", "late", "exact", "predicted_days_late", "score", "predicted_late",
]  # fmt: skip
METHODS = (baselines.MODEL, baselines.CUSTOMER_AVERAGE, baselines.DUE_DATE)


@dataclass(frozen=True)
class Fold:
    """One test month and what its model was trained on."""

    cutoff: date
    test_start: date
    test_end: date
    trained_items: int
    test_rows: int


@dataclass(frozen=True)
class MethodScore:
    """The figures of one method on one kind of test rows, pooled over the folds."""

    row_kind: str
    method: str
    rows: int
    paid_rows: int
    mae_days: float | None
    within_7_days: float | None
    accuracy: float | None
    auc: float | None


@dataclass(frozen=True)
class ValidationReport:
    """The folds and the pooled scores, or the reason no fold could be trained."""

    as_of: date
    folds: list[Fold] = field(default_factory=list)
    scores: list[MethodScore] = field(default_factory=list)
    skipped_reason: str | None = None

    def score(self, row_kind: str, method: str) -> MethodScore | None:
        return next((s for s in self.scores if s.row_kind == row_kind and s.method == method), None)

    def spreads(self) -> dict[str, float]:
        """The MAE of each method on month-end rows (else issue rows): the forecast's error scale."""
        spreads: dict[str, float] = {}
        for kind in reversed(ROW_KINDS):
            for score in self.scores:
                if score.row_kind == kind and score.mae_days is not None:
                    spreads.setdefault(score.method, max(score.mae_days, 1.0))
        return spreads

    def as_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "folds": [
                {
                    "cutoff": fold.cutoff.isoformat(), "test_start": fold.test_start.isoformat(),
                    "test_end": fold.test_end.isoformat(), "trained_items": fold.trained_items,
                    "test_rows": fold.test_rows,
                }
                for fold in self.folds
            ],
            "scores": [score.__dict__ for score in self.scores],
            "skipped_reason": self.skipped_reason,
        }  # fmt: skip


def test_months(as_of: date, folds: int = FOLDS) -> list[tuple[date, date]]:
    """Return the first and last day of each test month, oldest first."""
    last_end = as_of - timedelta(days=MATURITY_DAYS)
    month_start = last_end.replace(day=1)
    if (month_start + timedelta(days=32)).replace(day=1) - timedelta(days=1) > last_end:
        month_start = (month_start - timedelta(days=1)).replace(day=1)
    months = []
    for _ in range(folds):
        end = (month_start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        months.append((month_start, end))
        month_start = (month_start - timedelta(days=1)).replace(day=1)
    return months[::-1]


def _test_rows(history: PaymentHistory, start: date, end: date, as_of: date) -> pl.DataFrame:
    items = history.items
    issued = issue_rows(items, end).filter(pl.col("snapshot") >= start)
    open_at_end = month_end_rows(items, end).filter(pl.col("snapshot") == end)
    return with_labels(add_features(history, pl.concat([issued, open_at_end])), as_of)


def _method_columns(rows: pl.DataFrame, model: PaymentModel) -> pl.DataFrame:
    """Predictions of the three methods, one block of rows per method."""
    from receivables.prediction.features import feature_matrix

    matrix = feature_matrix(rows)
    blocks = []
    choices = {
        baselines.MODEL: (model.predict_days(matrix), model.predict_late(matrix)),
        baselines.CUSTOMER_AVERAGE: (baselines.customer_average_days(rows), None),
        baselines.DUE_DATE: (baselines.due_date_days(rows), None),
    }
    for method, (days, p_late) in choices.items():
        block = pay_dates(rows, days).with_columns(pl.lit(method).alias("method"))
        if p_late is None:
            block = block.with_columns(
                pl.col("predicted_days_late").alias("score"),
                (pl.col("predicted_days_late") > 0).alias("predicted_late"),
            )
        else:
            p = pl.Series("score", p_late, dtype=pl.Float64)
            block = block.with_columns(p).with_columns((pl.col("score") >= 0.5).alias("predicted_late"))
        blocks.append(block.select(SCORED_COLUMNS))
    return pl.concat(blocks)


def validate(history: PaymentHistory, as_of: date, folds: int = FOLDS) -> ValidationReport:
    """Run the time-ordered validation of the model and both baselines up to ``as_of``."""
    done: list[Fold] = []
    scored: list[pl.DataFrame] = []
    reason: str | None = None
    for start, end in test_months(as_of, folds):
        cutoff = start - timedelta(days=1)
        try:
            model = train(labelled_rows(history, cutoff), cutoff)
        except NotEnoughHistoryError as error:
            reason = (
                f"only {error.paid} items were paid on or before {cutoff.isoformat()}, the cutoff of the "
                f"test month {start:%Y-%m}, and training needs at least {error.required}"
            )
            continue
        rows = _test_rows(history, start, end, as_of)
        if rows.is_empty():
            continue
        done.append(Fold(cutoff, start, end, model.trained_on, rows.height))
        scored.append(_method_columns(rows, model))
    if not scored:
        message = reason or f"no items were issued in the test months before {as_of.isoformat()}"
        log.info("validation as of %s skipped: %s", as_of, message)
        return ValidationReport(as_of, skipped_reason=message)
    return ValidationReport(as_of, done, _scores(pl.concat(scored)))


def _scores(predictions: pl.DataFrame) -> list[MethodScore]:
    scores = []
    for kind in ROW_KINDS:
        for method in METHODS:
            part = predictions.filter((pl.col("row_kind") == kind) & (pl.col("method") == method))
            if part.height:
                scores.append(_score(kind, method, part))
    return scores


def _score(kind: str, method: str, part: pl.DataFrame) -> MethodScore:
    paid = part.filter(pl.col("exact"))
    error = np.abs(paid["predicted_days_late"].to_numpy() - paid["target_days"].to_numpy())
    known = part.filter(pl.col("late").is_not_null())
    late = known["late"].to_numpy()
    auc = None
    if 0 < late.sum() < len(late):
        auc = float(roc_auc_score(late, known["score"].to_numpy()))
    return MethodScore(
        row_kind=kind,
        method=method,
        rows=part.height,
        paid_rows=paid.height,
        mae_days=float(error.mean()) if paid.height else None,
        within_7_days=float((error <= WITHIN_DAYS).mean()) if paid.height else None,
        accuracy=float((known["predicted_late"].cast(pl.Int8).to_numpy() == late).mean())
        if len(late)
        else None,
        auc=auc,
    )
