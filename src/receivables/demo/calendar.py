"""Day arithmetic of the generator: days as ``int32`` counts since 1970-01-01, business days, and
the seasonal, growing daily volume that invoice dates are drawn from.

Working on day numbers keeps every step a numpy array operation; dates become ``pl.Date`` only
when the frames are built.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

EPOCH = date(1970, 1, 1)

# Relative invoicing volume per calendar month: a quiet August and a strong year end, as in a
# typical European B2B seller.
MONTH_FACTORS = np.array([0.85, 0.95, 1.1, 1.0, 1.0, 1.05, 0.9, 0.7, 1.05, 1.1, 1.15, 1.2])

Days = npt.NDArray[np.int32]


def day_number(value: date) -> int:
    """Return the number of days from 1970-01-01 to ``value``."""
    return (value - EPOCH).days


def weekday(days: npt.NDArray[np.integer]) -> npt.NDArray[np.int64]:
    """Return the ISO weekday index of each day, Monday 0 to Sunday 6 (1970-01-01 was a Thursday)."""
    return (days.astype(np.int64) + 3) % 7


def next_business_day(days: npt.NDArray[np.integer]) -> Days:
    """Move days that fall on a Saturday or Sunday to the following Monday."""
    index = weekday(days)
    shift = np.where(index == 5, 2, np.where(index == 6, 1, 0))
    return (days + shift).astype(np.int32)


def business_days(first: int, last: int) -> Days:
    """Return every Monday-to-Friday day number from ``first`` to ``last`` inclusive."""
    days = np.arange(first, last + 1, dtype=np.int32)
    return days[weekday(days) < 5]


@dataclass(frozen=True)
class Calendar:
    """The generated period and the cumulative share of invoicing volume up to each of its days.

    ``cdf[i]`` is the share of all invoices dated on or before day ``first + i``. Weekends carry no
    volume. Each month's volume follows :data:`MONTH_FACTORS`, and the whole grows by
    ``annual_growth`` per year.
    """

    first: int
    last: int
    cdf: npt.NDArray[np.float64]

    @staticmethod
    def build(start: date, end: date, annual_growth: float) -> Calendar:
        first, last = day_number(start), day_number(end)
        days = np.arange(first, last + 1)
        months = (days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)) % 12
        growth = (1.0 + annual_growth) ** ((days - first) / 365.25)
        volume = MONTH_FACTORS[months] * growth * (weekday(days) < 5)
        cdf = np.cumsum(volume)
        return Calendar(first, last, cdf / cdf[-1])

    @property
    def span(self) -> int:
        return self.last - self.first

    def share_before(self, days: npt.NDArray[np.integer]) -> npt.NDArray[np.float64]:
        """Return the share of volume dated strictly before each day (0 before the period)."""
        index = np.clip(days.astype(np.int64) - self.first - 1, -1, self.last - self.first)
        shares = np.concatenate(([0.0], self.cdf))
        return shares[index + 1]

    def sample(
        self, rng: np.random.Generator, low: npt.NDArray[np.float64], high: npt.NDArray[np.float64]
    ) -> Days:
        """Draw one invoice day per element, between the volume shares ``low`` and ``high``.

        Inverse-CDF sampling, so days follow the seasonal volume within each element's window.
        """
        shares = low + rng.random(low.shape[0]) * (high - low)
        index = np.searchsorted(self.cdf, shares, side="left")
        return (self.first + np.minimum(index, self.span)).astype(np.int32)
