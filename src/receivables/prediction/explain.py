"""Explanations of each prediction: the features that moved its predicted days late the most.

The method is partial dependence, made additive. For every feature ``j``, the regressor of the
days from the snapshot to the payment predicts
a sample of the training rows (``model.SAMPLE_ROWS``) again with ``j`` set to each value of a grid (the
feature's quantiles, plus missing); the mean prediction per grid value is the partial dependence
curve ``pd_j``. A row's contribution of ``j`` is ``pd_j(x_j)`` minus the mean of ``pd_j`` over
the sample: how many days later (positive) or earlier the model expects the payment, on average,
when the feature has this row's value rather than a typical one. Because it explains the days to
the payment, an item's days past due count only as far as the model learned that old items pay
later, not through the arithmetic that turns days to payment into days late. Values between grid points are
interpolated linearly.

The contributions are cheap (one grid of predictions per feature per training, then lookups) and
in days. They ignore interactions between features, so they need not add up to the prediction;
they name the main factors, they do not decompose the prediction exactly.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from receivables.prediction.features import FEATURES, feature_matrix
from receivables.prediction.model import PaymentModel

GRID_POINTS = 20
TOP_FACTORS = 3
FACTOR_TYPE = pl.List(pl.Struct({"feature": pl.String, "value": pl.Float64, "days": pl.Float64}))


class Explainer:
    """Partial dependence curves of one model's regressor, one per feature."""

    def __init__(self, model: PaymentModel) -> None:
        sample = model.sample
        take = len(sample)
        self.grids: list[np.ndarray] = []
        self.curves: list[np.ndarray] = []
        self.missing: list[float] = []
        self.centres: list[float] = []
        for column in range(sample.shape[1]):
            values = sample[:, column]
            known = values[~np.isnan(values)]
            grid = (
                np.unique(np.quantile(known, np.linspace(0, 1, GRID_POINTS))) if len(known) else np.zeros(1)
            )
            points = np.append(grid, np.nan)
            repeated = np.repeat(sample[None, :, :], len(points), axis=0)
            repeated[:, :, column] = points[:, None]
            flat = repeated.reshape(-1, sample.shape[1])
            predicted = model.predict_remaining(flat).reshape(len(points), take)
            curve = predicted.mean(axis=1)
            self.grids.append(grid)
            self.curves.append(curve[:-1])
            self.missing.append(float(curve[-1]))
            self.centres.append(float(self._lookup(column, values).mean()))

    def _lookup(self, column: int, values: np.ndarray) -> np.ndarray:
        inside = np.interp(np.nan_to_num(values), self.grids[column], self.curves[column])
        return np.where(np.isnan(values), self.missing[column], inside)

    def contributions(self, matrix: np.ndarray) -> np.ndarray:
        """Return rows x features: each feature's contribution in days (see the module docstring)."""
        columns = [self._lookup(j, matrix[:, j]) - self.centres[j] for j in range(matrix.shape[1])]
        return np.column_stack(columns) if columns else np.zeros((len(matrix), 0))


def top_factors(frame: pl.DataFrame, explainer: Explainer) -> pl.Series:
    """Return the ``TOP_FACTORS`` largest contributions of each row as a list of feature, value, days."""
    matrix = feature_matrix(frame)
    contributions = explainer.contributions(matrix)
    count = min(TOP_FACTORS, matrix.shape[1])
    order = np.argsort(-np.abs(contributions), axis=1)[:, :count]
    rows = np.arange(len(matrix))[:, None]
    columns: dict[str, np.ndarray] = {}
    for k in range(count):
        columns[f"feature_{k}"] = np.asarray(FEATURES)[order[:, k]]
        columns[f"value_{k}"] = matrix[rows[:, 0], order[:, k]]
        columns[f"days_{k}"] = np.round(contributions[rows[:, 0], order[:, k]], 1)
    parts = pl.DataFrame(columns).fill_nan(None)
    factors = [pl.struct(feature=f"feature_{k}", value=f"value_{k}", days=f"days_{k}") for k in range(count)]
    return parts.select(pl.concat_list(factors).cast(FACTOR_TYPE).alias("factors")).to_series()


def baseline_factors(frame: pl.DataFrame) -> pl.Series:
    """Factors of baseline predictions: the customer's mean days late, or none for the due date."""
    mean = pl.col("customer_mean_late").fill_nan(None).cast(pl.Float64)
    factor = pl.struct(feature=pl.lit("customer_mean_late"), value=mean, days=mean.round(1))
    uses_mean = (pl.col("method") == "baseline_customer_average") & mean.is_not_null()
    return frame.select(
        pl.when(uses_mean)
        .then(pl.concat_list(factor))
        .otherwise(pl.lit([], dtype=FACTOR_TYPE))
        .cast(FACTOR_TYPE)
        .alias("factors")
    ).to_series()
