"""Calendar-month arithmetic for credit windows, review dates and statement ages."""

from __future__ import annotations

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months (negative goes back); the 31st becomes the
    last day of a shorter month: ``add_months(date(2024, 3, 31), -1)`` is 2024-02-29."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def full_months_between(earlier: date, later: date) -> int:
    """Whole calendar months from ``earlier`` to ``later``; 0 when ``later`` is not after it."""
    if later <= earlier:
        return 0
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if add_months(earlier, months) > later:
        months -= 1
    return months
