"""Daily exchange rates of the foreign currencies against the company currency.

Each rate follows a geometric random walk on business days, as a reference rate published each
working day would. Rates are kept as integers of 1e-6 company-currency units per unit of the
foreign currency (``920000`` is 0.92 EUR per USD), so they turn into exact decimal strings.
A document takes the latest rate dated on or before its document date, the same rule the importer
applies when a document has no rate of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl

from receivables.demo.calendar import Calendar, business_days

RATE_SCALE = 1_000_000
RATE_DECIMALS = 6

# Starting rate (company-currency units per unit) and daily volatility of each foreign currency.
START_RATES = {"USD": (0.9210, 0.0042), "GBP": (1.1630, 0.0033)}


@dataclass(frozen=True)
class RatePath:
    """Business days and, per foreign currency, the rate in micro units on each of them."""

    days: npt.NDArray[np.int32]
    rates: dict[str, npt.NDArray[np.int64]]

    @staticmethod
    def draw(rng: np.random.Generator, calendar: Calendar) -> RatePath:
        # Start a week early so that a document on the first day, even a Sunday, finds a rate.
        days = business_days(calendar.first - 7, calendar.last)
        rates = {}
        for currency, (start, volatility) in START_RATES.items():
            steps = np.asarray(rng.normal(0.0, volatility, size=days.shape[0]))
            path = start * np.exp(np.cumsum(steps) - steps[0])
            rates[currency] = np.round(path * RATE_SCALE).astype(np.int64)
        return RatePath(days, rates)

    def micro_rates(
        self, currency: npt.NDArray[np.str_], days: npt.NDArray[np.integer]
    ) -> npt.NDArray[np.int64]:
        """Return the rate on or before each day for each currency; the company currency is 1."""
        index = np.searchsorted(self.days, days, side="right") - 1
        result = np.full(days.shape[0], RATE_SCALE, dtype=np.int64)
        for code, path in self.rates.items():
            chosen = currency == code
            result[chosen] = path[index[chosen]]
        return result

    def frame(self) -> pl.DataFrame:
        """Return the rates as ``currency, rate_date, rate`` rows with ``rate`` a decimal string."""
        parts = [
            pl.DataFrame({"currency": code, "rate_date": self.days, "rate_micro": path})
            for code, path in self.rates.items()
        ]
        rates = pl.concat(parts).with_columns(pl.col("rate_date").cast(pl.Date))
        return rates.select("currency", "rate_date", micro_to_decimal(pl.col("rate_micro")).alias("rate"))


def micro_to_decimal(micro: pl.Expr) -> pl.Expr:
    """Format a positive rate in micro units as a decimal string: ``920000`` becomes ``0.920000``."""
    whole = (micro // RATE_SCALE).cast(pl.String)
    fraction = (micro % RATE_SCALE).cast(pl.String).str.zfill(RATE_DECIMALS)
    return pl.concat_str([whole, pl.lit("."), fraction])
