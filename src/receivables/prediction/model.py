"""The payment model: two histogram gradient-boosting models from scikit-learn on ``FEATURES``.

- a regressor of the days from the snapshot to the payment, with the absolute-error loss, so it
  predicts a median and is fitted to the MAE it is judged by. Targets are clipped to
  ``TARGET_RANGE`` days. Counting from the snapshot rather than from the due date keeps an item
  that is already long overdue from being predicted to pay in the past. Days late are then the
  predicted days plus the snapshot's days past due;
- a classifier of late (1) against on time (0), whose probability is ``p_late``.

Both learn from the ``MAX_TRAINING_ROWS`` most recent labelled rows (see
:func:`receivables.prediction.rows.with_labels`); the classifier only from those whose late flag
is known. Training needs at least
``MIN_TRAINING_ITEMS`` items paid by the cutoff, else :class:`NotEnoughHistoryError`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date

import numpy as np
import polars as pl
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from threadpoolctl import threadpool_limits

from receivables.prediction.errors import NotEnoughHistoryError
from receivables.prediction.features import FEATURES, training_matrix

MIN_TRAINING_ITEMS = 200
# The most recent labelled rows train the model, at most this many: enough for stable trees, and it
# bounds the training time of large ledgers (docs/benchmarks.md, section Prediction).
MAX_TRAINING_ROWS = 400_000
SAMPLE_ROWS = 1_000
TARGET_RANGE = (0.0, 730.0)
DAYS_TO_DUE = FEATURES.index("days_to_due")
# Fixed settings: small enough to train a million rows in seconds on two cores, and a fixed seed
# so a run is repeatable. Early stopping holds out 10% of the rows once there are over 10,000.
PARAMETERS = {"max_iter": 150, "learning_rate": 0.1, "max_leaf_nodes": 31, "min_samples_leaf": 40,
              "random_state": 7}  # fmt: skip


def _threads() -> int:
    """Return the OpenMP threads scikit-learn may use: OMP_NUM_THREADS when set, else 1.

    Its OpenMP threads wait by spinning. On two cores shared with other work, one thread trained
    4 to 15 times faster than two in our measurements, so one is the default.
    """
    configured = os.environ.get("OMP_NUM_THREADS", "")
    return int(configured) if configured.isdigit() and int(configured) > 0 else 1


@dataclass(frozen=True, eq=False)
class PaymentModel:
    """A fitted regressor of days late and a classifier of late; ``late_rate`` when one class only."""

    regressor: HistGradientBoostingRegressor
    classifier: HistGradientBoostingClassifier | None
    late_rate: float
    trained_on: int
    sample: np.ndarray
    """Up to ``SAMPLE_ROWS`` rows of the training matrix, for the explanations."""

    def predict_remaining(self, matrix: np.ndarray) -> np.ndarray:
        """Return the predicted days from each row's snapshot to its payment."""
        with threadpool_limits(_threads(), user_api="openmp"):
            return np.asarray(self.regressor.predict(matrix), dtype=np.float64)

    def predict_days(self, matrix: np.ndarray) -> np.ndarray:
        """Return the predicted days late: days to the payment minus the days to the due date."""
        return np.asarray(self.predict_remaining(matrix) - matrix[:, DAYS_TO_DUE], dtype=np.float64)

    def predict_late(self, matrix: np.ndarray) -> np.ndarray:
        if self.classifier is None:
            return np.full(len(matrix), self.late_rate)
        with threadpool_limits(_threads(), user_api="openmp"):
            return np.asarray(self.classifier.predict_proba(matrix)[:, 1], dtype=np.float64)


def paid_count(labelled: pl.DataFrame) -> int:
    """Return the number of distinct items with an exact outcome among ``labelled`` rows."""
    return labelled.filter(pl.col("exact"))["document_id"].n_unique()


def train(labelled: pl.DataFrame, cutoff: date) -> PaymentModel:
    """Fit both models on the labelled rows seen on or before ``cutoff``."""
    rows = labelled.filter(pl.col("target_days").is_not_null())
    paid = paid_count(rows)
    if paid < MIN_TRAINING_ITEMS:
        raise NotEnoughHistoryError(cutoff, paid, MIN_TRAINING_ITEMS)
    # A full sort key: the rows arrive in the order of joins and group-bys, which varies between
    # runs, and the trees' early-stopping split follows the row order.
    rows = rows.sort(["snapshot", "document_id", "row_kind"]).tail(MAX_TRAINING_ROWS)
    target = rows["target_remaining"].to_numpy().clip(*TARGET_RANGE)
    known = rows.filter(pl.col("late").is_not_null())
    late = known["late"].to_numpy()
    late_rate = float(late.mean()) if len(late) else 0.0
    regressor = HistGradientBoostingRegressor(loss="absolute_error", **PARAMETERS)
    classifier = None
    matrix = training_matrix(rows)
    with threadpool_limits(_threads(), user_api="openmp"):
        regressor.fit(matrix, target)
        if 0 < late.sum() < len(late):
            classifier = HistGradientBoostingClassifier(**PARAMETERS)
            classifier.fit(training_matrix(known), late)
    picked = np.random.default_rng(7).choice(len(matrix), size=min(SAMPLE_ROWS, len(matrix)), replace=False)
    return PaymentModel(regressor, classifier, late_rate, paid, matrix[np.sort(picked)])


def pay_dates(frame: pl.DataFrame, days_late: np.ndarray) -> pl.DataFrame:
    """Add ``predicted_pay_date`` and ``predicted_days_late`` from raw days late per row.

    The pay date is the due date plus the days rounded to whole days, and never before the row's
    ``earliest`` possible pay date. ``predicted_days_late`` is then recomputed from that date.
    """
    rounded = pl.Series("raw_days", np.rint(days_late).astype(np.int64))
    due_plus = (pl.col("due_date") + pl.duration(days=pl.col("raw_days"))).cast(pl.Date)
    return (
        frame.with_columns(rounded)
        .with_columns(pl.max_horizontal(due_plus, pl.col("earliest")).alias("predicted_pay_date"))
        .with_columns(
            (pl.col("predicted_pay_date") - pl.col("due_date")).dt.total_days().cast(pl.Float64)
            .alias("predicted_days_late")
        )
        .drop("raw_days")
    )  # fmt: skip
