"""Day-count conventions: how many days of interest a run of days counts, and over what year.

Interest for the days ``first`` to ``last`` (both included) is
``base * rate / 100 * days(first, last) / year_days``:

- ``ACT/360``: actual days over a 360-day year (money-market and many bank contracts);
- ``ACT/365``: actual days over a 365-day year, leap years included (UK statutory interest is
  the debt times the rate divided by 365 per day);
- ``30/360``: every month counts 30 days (ISDA 2006 section 4.16(f), bond basis): the start
  day 31 becomes 30, and the end day 31 becomes 30 when the start day is 30 or 31;
- ``30E/360``: the Eurobond basis, where any day 31 becomes 30.

The 30-day conventions count from the day before ``first`` to ``last``. Most whole months then
count 30 days, but the day before March 1 is February 28 or 29, which neither convention moves to
30: all of February 2024 counts 29 days, March 2024 counts 31 under 30E/360 and 32 under 30/360.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum


class DayCount(StrEnum):
    ACT_360 = "ACT/360"
    ACT_365 = "ACT/365"
    THIRTY_360 = "30/360"
    THIRTY_E_360 = "30E/360"

    @property
    def year_days(self) -> int:
        return 365 if self is DayCount.ACT_365 else 360

    def days(self, first: date, last: date) -> int:
        """The number of interest days from ``first`` to ``last``, both included."""
        if last < first:
            return 0
        if self in (DayCount.ACT_360, DayCount.ACT_365):
            return (last - first).days + 1
        start = first - timedelta(days=1)
        start_day = min(start.day, 30)
        end_day = last.day
        if self is DayCount.THIRTY_E_360 or start_day == 30:
            end_day = min(end_day, 30)
        return (
            360 * (last.year - start.year) + 30 * (last.month - start.month) + (end_day - start_day)
        )
