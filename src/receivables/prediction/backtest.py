"""The forecast backtest: replay past as-of dates and compare each week's forecast with what came.

For each origin (an earlier as-of date), the model is trained on what was known at the end of that
day, the items open then are predicted and summed into weeks, and each week is compared with the
amounts actually allocated to those items in it. Actual amounts are allocations from payments,
credit notes and discounts (not write-offs), converted to the company currency at each item's own
rate, the same scope the forecast covers: the items open at the origin, not later invoices.

Origins lie ``step_weeks`` apart and end ``weeks`` weeks before the as-of date, so every week of
every replay has its actual amount. The error scale of each method (``spread_days``) comes from one
time-ordered validation as of the earliest origin, so no replay sees outcomes after its origin.

The same replay is scored with the due-date baseline (every item paid on its due date or the day
after the origin when overdue), so the model's forecast has a yardstick. Figures, over all weeks
of all origins: ``wape`` (sum of absolute errors / sum of actual amounts), ``bias`` (sum of
errors / sum of actual amounts, positive when the forecast was too high) and ``coverage`` (share
of weeks whose actual amount fell inside the 80% interval).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import polars as pl

from receivables.analytics.conversion import to_company_minor
from receivables.domain.documents import DocumentKind
from receivables.prediction import baselines
from receivables.prediction.errors import InvalidForecastError
from receivables.prediction.features import add_features
from receivables.prediction.forecast import weekly_forecast
from receivables.prediction.history import PaymentHistory
from receivables.prediction.predict import open_amounts, predict_frame, predict_open
from receivables.prediction.rows import open_rows
from receivables.prediction.validation import validate

MAX_ORIGINS = 52


@dataclass(frozen=True)
class BacktestScore:
    """Pooled figures of one method's forecasts over all replayed weeks."""

    method: str
    weeks: int
    actual_minor: int
    forecast_minor: int
    wape: float | None
    bias: float | None
    coverage: float | None


@dataclass(frozen=True)
class Backtest:
    """Every replayed week (``weeks``: origin, week, forecast, bounds, actual, per method) and scores."""

    as_of: date
    origins: list[date]
    weeks: pl.DataFrame
    scores: list[BacktestScore]

    def as_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "origins": [origin.isoformat() for origin in self.origins],
            "scores": [score.__dict__ for score in self.scores],
            "weeks": self.weeks.with_columns(pl.col(pl.Date).cast(pl.String)).to_dicts(),
        }


def origins_for(as_of: date, weeks: int, count: int, step_weeks: int) -> list[date]:
    """Return ``count`` origins ``step_weeks`` apart, the last ``weeks`` weeks before ``as_of``."""
    if not 1 <= count <= MAX_ORIGINS:
        raise InvalidForecastError(f"origins {count} must be between 1 and {MAX_ORIGINS}")
    if step_weeks < 1:
        raise InvalidForecastError(f"step_weeks {step_weeks} must be at least 1")
    last = as_of - timedelta(days=7 * weeks)
    return [last - timedelta(days=7 * step_weeks * k) for k in range(count)][::-1]


def actual_by_week(history: PaymentHistory, origin: date, weeks: int, items: pl.DataFrame) -> pl.DataFrame:
    """Return week and actual_minor: what was allocated to ``items`` in each week after ``origin``."""
    ledger = history.ledger
    write_offs = ledger.documents.filter(pl.col("kind") == DocumentKind.WRITE_OFF.value).select(
        pl.col("document_id").alias("source_id")
    )
    view = ledger.prepared.view(history.currency).documents.select(
        pl.col("document_id").alias("target_id"), "currency", "fx_rate_scaled", "unit_scale"
    )
    end = origin + timedelta(days=7 * weeks)
    allocated = (
        ledger.allocations.filter(pl.col("allocation_date").is_between(origin + timedelta(days=1), end))
        .join(items.select(pl.col("document_id").alias("target_id")), on="target_id", how="semi")
        .join(write_offs, on="source_id", how="anti")
        .join(view, on="target_id", how="left")
    )
    days = (pl.col("allocation_date") - pl.lit(origin)).dt.total_days()
    return (
        allocated.with_columns(
            ((days - 1) // 7 + 1).cast(pl.Int32).alias("week"),
            to_company_minor(pl.col("amount_minor"), history.currency).alias("actual_minor"),
        )
        .group_by("week")
        .agg(pl.col("actual_minor").sum())
    )


def _replay(history: PaymentHistory, origin: date, weeks: int, spreads: dict[str, float]) -> pl.DataFrame:
    prediction = predict_open(history, origin, spreads, explain=False)
    rows = add_features(history, open_rows(history.items, open_amounts(history, origin), origin))
    baseline = predict_frame(rows, None, spreads).with_columns(
        pl.col("due_date").alias("predicted_pay_date"),
        pl.lit(spreads.get(baselines.DUE_DATE)).alias("spread_days"),
    )
    actual = actual_by_week(history, origin, weeks, prediction.frame)
    parts = []
    for method, frame in ((baselines.MODEL, prediction.frame), (baselines.DUE_DATE, baseline)):
        forecast = weekly_forecast(frame, origin, weeks).filter(pl.col("period") == "week")
        parts.append(
            forecast.join(actual, on="week", how="left").with_columns(
                pl.col("actual_minor").fill_null(0),
                pl.lit(origin).alias("origin"),
                pl.lit(method).alias("method"),
            )
        )
    return pl.concat(parts)


def run_backtest(
    history: PaymentHistory, as_of: date, *, weeks: int = 13, origins: int = 6, step_weeks: int = 4
) -> Backtest:
    """Replay ``origins`` past as-of dates and score the forecasts of ``weeks`` weeks."""
    dates = origins_for(as_of, weeks, origins, step_weeks)
    report = validate(history, dates[0])
    spreads = report.spreads()
    table = pl.concat([_replay(history, origin, weeks, spreads) for origin in dates])
    table = table.select(
        "origin", "method", "week", "week_start", "week_end", "expected_minor", "low_minor", "high_minor",
        "actual_minor",
    )  # fmt: skip
    return Backtest(
        as_of, dates, table, [_score(table, method) for method in (baselines.MODEL, baselines.DUE_DATE)]
    )


def _score(table: pl.DataFrame, method: str) -> BacktestScore:
    part = table.filter(pl.col("method") == method)
    actual = int(part["actual_minor"].sum())
    forecast = int(part["expected_minor"].sum())
    error = part["expected_minor"] - part["actual_minor"]
    inside = part["actual_minor"].is_between(part["low_minor"], part["high_minor"])
    return BacktestScore(
        method=method,
        weeks=part.height,
        actual_minor=actual,
        forecast_minor=forecast,
        wape=float(error.abs().sum() / actual) if actual else None,
        bias=float(error.sum() / actual) if actual else None,
        coverage=float(inside.mean()) if part.height else None,  # type: ignore[arg-type]
    )
