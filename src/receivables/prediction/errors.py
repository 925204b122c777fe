"""Errors of the prediction: raised when a prediction or forecast cannot be made as asked."""

from __future__ import annotations

from datetime import date

from receivables.domain.errors import ReceivablesError


class PredictionError(ReceivablesError):
    """Base class of the errors of the prediction."""


class NotEnoughHistoryError(PredictionError):
    """Too few paid items before a date to train the model or to validate it."""

    def __init__(self, as_of: date, paid: int, required: int) -> None:
        self.as_of = as_of
        self.paid = paid
        self.required = required
        super().__init__(
            f"only {paid} items were paid on or before {as_of.isoformat()}, and training needs at "
            f"least {required}: predictions use the baselines instead"
        )


class InvalidForecastError(PredictionError, ValueError):
    """A forecast request with an impossible value, such as zero weeks."""
