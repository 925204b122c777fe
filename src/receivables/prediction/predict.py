"""Predict the pay date of every open item on an as-of date, with the model or a baseline.

The model trains on everything known at the end of the as-of date: issue and month-end rows seen
on or before it, labelled with the outcomes known then. When there is too little history
(:class:`NotEnoughHistoryError`), each item gets the customer-average baseline if its customer
has paid items, else the due-date baseline, and the result carries the reason.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

import numpy as np
import polars as pl

from receivables.analytics.snapshot import Period, positions
from receivables.domain.aging import AgingBuckets
from receivables.domain.money import Currency
from receivables.prediction import baselines
from receivables.prediction.errors import NotEnoughHistoryError
from receivables.prediction.explain import Explainer, baseline_factors, top_factors
from receivables.prediction.features import add_features, feature_matrix
from receivables.prediction.history import PaymentHistory
from receivables.prediction.model import PaymentModel, pay_dates, train
from receivables.prediction.rows import open_rows, training_rows, with_labels

log = logging.getLogger(__name__)

# Error scale of a method when no validation measured one: days, an estimate for invoices on
# 30-day terms, used only for the forecast's intervals.
DEFAULT_SPREAD_DAYS = 10.0

OUTPUT_COLUMNS = [
    "document_id", "customer_id", "customer_code", "document_date", "due_date", "open_minor",
    "predicted_days_late", "predicted_pay_date", "p_late", "method", "spread_days", "factors",
]  # fmt: skip


@dataclass(frozen=True, eq=False)
class Prediction:
    """The open items with their predictions, the fitted model if any, and why it is missing."""

    frame: pl.DataFrame
    model: PaymentModel | None
    fallback_reason: str | None


def open_amounts(history: PaymentHistory, as_of: date) -> pl.DataFrame:
    """Return document_id and open_minor (company minor units) of each debit item open on ``as_of``."""
    if history.ledger.is_empty:
        return pl.DataFrame(schema={"document_id": pl.Int64, "open_minor": pl.Int64})
    prepared = history.ledger.prepared
    view = prepared.view(history.currency)
    frame = positions(view, prepared, Period(as_of, 1), AgingBuckets()).collect()
    return frame.filter(pl.col("is_debit") & (pl.col("open") > 0)).select(
        "document_id", pl.col("open").alias("open_minor")
    )


def labelled_rows(history: PaymentHistory, cutoff: date) -> pl.DataFrame:
    """Return the training rows seen on or before ``cutoff`` with features and labels known then."""
    return with_labels(add_features(history, training_rows(history.items, cutoff)), cutoff)


def fit(history: PaymentHistory, cutoff: date) -> PaymentModel:
    """Train the model on what was known at the end of ``cutoff``."""
    return train(labelled_rows(history, cutoff), cutoff)


def predict_frame(
    rows: pl.DataFrame, model: PaymentModel | None, spreads: dict[str, float] | None = None
) -> pl.DataFrame:
    """Add the prediction columns to featured ``rows`` with ``model``, or with the baselines without one."""
    spreads = spreads or {}
    if model is not None and rows.height:
        matrix = feature_matrix(rows)
        days, p_late = model.predict_days(matrix), model.predict_late(matrix)
        methods = np.full(rows.height, baselines.MODEL)
    else:
        known = baselines.has_customer_history(rows)
        days = baselines.customer_average_days(rows)
        p_late = baselines.customer_late_share(rows)
        methods = np.where(known, baselines.CUSTOMER_AVERAGE, baselines.DUE_DATE)
    frame = pay_dates(rows, days).with_columns(
        pl.Series("p_late", p_late, dtype=pl.Float64),
        pl.Series("method", methods, dtype=pl.String),
    )
    spread = pl.col("method").replace_strict(spreads, default=DEFAULT_SPREAD_DAYS, return_dtype=pl.Float64)
    return frame.with_columns(spread.alias("spread_days"))


def predict_open(
    history: PaymentHistory, as_of: date, spreads: dict[str, float] | None = None, *, explain: bool = True
) -> Prediction:
    """Train on the history up to ``as_of`` and predict every item open at its end.

    With ``explain``, each prediction gets its ``factors`` (see :mod:`receivables.prediction.explain`).
    """
    model: PaymentModel | None = None
    reason: str | None = None
    try:
        model = fit(history, as_of)
    except NotEnoughHistoryError as error:
        reason = str(error)
        log.info("prediction as of %s: %s", as_of, reason)
    rows = add_features(history, open_rows(history.items, open_amounts(history, as_of), as_of))
    frame = predict_frame(rows, model, spreads)
    if explain and model is not None and frame.height:
        frame = frame.with_columns(top_factors(frame, Explainer(model)))
    elif explain:
        frame = frame.with_columns(baseline_factors(frame))
    frame = frame.join(history.customers, on="customer_id", how="left").sort("due_date", "document_id")
    return Prediction(frame, model, reason)


def company_currency(code: str | Currency) -> Currency:
    return code if isinstance(code, Currency) else Currency.of(code)
