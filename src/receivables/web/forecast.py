"""The cash forecast of the dashboard, computed in the background and kept for an hour.

Predicting the pay dates fits a model on the payment history, which takes from seconds to
minutes depending on the ledger and the machine. A request never waits for it: the first request
for an as-of date starts the computation in a thread and returns "computing", and the page
requests it again until the rows are there. A forecast older than :data:`MAX_AGE` is computed anew.

The prediction package is optional: :data:`prediction_api` is None when it is not installed,
and the dashboard then has no forecast section.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from types import ModuleType
from typing import Any

from sqlalchemy import Engine

from receivables.domain.errors import ReceivablesError
from receivables.domain.money import Currency, Money

prediction_api: ModuleType | None
try:
    from receivables.prediction import api as prediction_api
except ImportError:
    prediction_api = None

log = logging.getLogger(__name__)

WEEKS = 13
MAX_AGE = 3600.0


@dataclass
class Forecast:
    """One forecast: ``state`` is computing, ready or failed; ``rows`` are its weeks when ready."""

    as_of: date
    currency: str
    started: float = field(default_factory=time.monotonic)
    state: str = "computing"
    rows: list[dict[str, Any]] = field(default_factory=list)
    message: str = ""
    method_counts: dict[str, int] = field(default_factory=dict)


def _weeks(engine: Engine, as_of: date, currency: Currency) -> tuple[list[dict[str, Any]], dict[str, int]]:
    assert prediction_api is not None
    predictions = prediction_api.predict_open_items(engine, as_of, currency=currency.code)
    frame = prediction_api.weekly_forecast(predictions.frame, as_of, WEEKS)

    def amount(minor: int | None) -> str | None:
        return None if minor is None else str(Money.from_minor(int(minor), currency).amount)

    rows = [
        {
            "period": row["period"],
            "week_start": row["week_start"],
            "week_end": row["week_end"],
            "items": row["items"],
            "expected": amount(row["expected_minor"]),
            "low": amount(row["low_minor"]),
            "high": amount(row["high_minor"]),
        }
        for row in frame.iter_rows(named=True)
    ]
    methods = predictions.frame.group_by("method").len().iter_rows()
    return rows, {str(method): int(count) for method, count in methods}


class ForecastCache:
    """The forecasts of this process, one per database and as-of date."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[tuple[str, date], Forecast] = {}

    @staticmethod
    def _key(engine: Engine, as_of: date) -> tuple[str, date]:
        return (engine.url.render_as_string(hide_password=True), as_of)

    def peek(self, engine: Engine, as_of: date) -> Forecast | None:
        """Return the forecast for ``as_of`` if one was started, without starting one."""
        with self._lock:
            return self._entries.get(self._key(engine, as_of))

    def get(self, engine: Engine, as_of: date, currency: Currency) -> Forecast:
        """Return the forecast for ``as_of``, starting its computation when there is none yet."""
        key = self._key(engine, as_of)
        with self._lock:
            entry = self._entries.get(key)
            fresh = entry is not None and time.monotonic() - entry.started < MAX_AGE
            if entry is not None and (fresh or entry.state == "computing"):
                return entry
            entry = Forecast(as_of, currency.code)
            self._entries[key] = entry
        threading.Thread(target=self._compute, args=(entry, engine, currency), daemon=True).start()
        return entry

    @staticmethod
    def _compute(entry: Forecast, engine: Engine, currency: Currency) -> None:
        started = time.monotonic()
        try:
            entry.rows, entry.method_counts = _weeks(engine, entry.as_of, currency)
            entry.state = "ready"
            log.info("cash forecast as of %s computed in %.1f s", entry.as_of, time.monotonic() - started)
        except (ReceivablesError, ValueError) as error:
            entry.message = str(error)
            entry.state = "failed"
            log.warning("cash forecast as of %s failed: %s", entry.as_of, error)


FORECASTS = ForecastCache()
