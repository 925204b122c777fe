"""The entry points other packages use: predictions of the open items and the weekly forecast.

``predict_open_items(engine, as_of)`` returns a :class:`PredictionResult` whose ``frame`` has one
row per item open at the end of ``as_of``, with at least the columns document_id, customer_id,
customer_code, due_date, open_minor (company-currency minor units), predicted_days_late (float),
predicted_pay_date, p_late (0 to 1), method ("model", "baseline_customer_average" or
"baseline_due_date") and spread_days (the error scale the forecast uses). ``factors`` lists each
prediction's main factors when explanations were asked for.

``weekly_forecast(predictions, as_of, weeks)`` sums such a frame into weeks; see
:mod:`receivables.prediction.forecast` for its columns and intervals.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl
from sqlalchemy import Engine

from receivables.analytics.frames import STORED_CURRENCY_KEY, load_ledger
from receivables.domain.money import Currency
from receivables.prediction.errors import PredictionError
from receivables.prediction.forecast import weekly_forecast
from receivables.prediction.history import PaymentHistory, load_history
from receivables.prediction.predict import OUTPUT_COLUMNS, predict_open
from receivables.prediction.validation import ValidationReport, validate
from receivables.storage.database import get_setting

__all__ = [
    "PredictionResult",
    "load_payment_history",
    "predict_history",
    "predict_open_items",
    "weekly_forecast",
]


@dataclass(frozen=True, eq=False)
class PredictionResult:
    """Predictions of the open items on ``as_of``, in ``currency`` minor units.

    ``validation`` holds the time-ordered validation of model and baselines, or None when it was
    not run or there was too little history. ``fallback_reason`` says why the baselines replaced
    the model, or is None when the model made every prediction.
    """

    as_of: date
    currency: Currency
    frame: pl.DataFrame
    validation: ValidationReport | None
    fallback_reason: str | None


def load_payment_history(engine: Engine, currency: str | Currency | None = None) -> PaymentHistory:
    """Load the ledger, risk classes and disputes of ``engine`` in the company currency."""
    code = currency or get_setting(engine, STORED_CURRENCY_KEY)
    if not code:
        raise PredictionError(
            "no company currency is set: import a ledger first or pass the currency, such as EUR"
        )
    company = code if isinstance(code, Currency) else Currency.of(code)
    return load_history(engine, load_ledger(engine, company), company)


def predict_history(history: PaymentHistory, as_of: date, *, validation: bool = True) -> PredictionResult:
    """Validate by time (unless ``validation`` is False), train up to ``as_of`` and predict its open items."""
    report = validate(history, as_of) if validation else None
    spreads = report.spreads() if report is not None else None
    prediction = predict_open(history, as_of, spreads)
    columns = [name for name in OUTPUT_COLUMNS if name in prediction.frame.columns]
    return PredictionResult(
        as_of, history.currency, prediction.frame.select(columns), report, prediction.fallback_reason
    )


def predict_open_items(
    engine: Engine, as_of: date, *, currency: str | None = None, validation: bool = True
) -> PredictionResult:
    """Predict the pay date of every item open at the end of ``as_of`` from the ledger in ``engine``.

    ``currency`` is the company currency (the stored one by default). Too little history gives
    baseline predictions with ``fallback_reason`` set, not an error.
    """
    return predict_history(load_payment_history(engine, currency), as_of, validation=validation)
