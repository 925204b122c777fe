"""Business days: weekends, public holidays and the conventions that move a date off them.

A :class:`BusinessCalendar` tells whether a day is a business day. Country calendars take their
weekend and public holidays from the ``holidays`` package (its data, computed in memory, no I/O):
``BusinessCalendar.of("DE")`` for Germany, ``BusinessCalendar.of("DE-BY")`` for Bavaria, and
``BusinessCalendar.of("weekends")`` for Saturday and Sunday only.

The conventions are the usual ones of payment and banking calendars:

- ``following``: the next business day on or after the date;
- ``preceding``: the last business day on or before the date;
- ``modified_following``: the following business day, unless that falls in the next month, then
  the preceding one;
- ``none``: the date stays as it is.

>>> from datetime import date
>>> adjust(date(2024, 12, 25), BusinessDayConvention.FOLLOWING, BusinessCalendar.of("DE"))
datetime.date(2024, 12, 27)
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache

import holidays

from receivables.domain.errors import ReceivablesError

WEEKENDS_ONLY = "weekends"
SATURDAY_SUNDAY = frozenset({5, 6})
# A calendar whose every day in a whole year is closed is broken; stop looking after that.
_MAX_SEARCH_DAYS = 366


class UnknownCalendarError(ReceivablesError, ValueError):
    """The calendar code names no country or subdivision known to the ``holidays`` package."""

    def __init__(self, code: str, reason: str) -> None:
        self.code = code
        super().__init__(
            f"unknown holiday calendar {code!r}: {reason}; use an ISO 3166 country code such as "
            f"DE, a subdivision such as DE-BY, or {WEEKENDS_ONLY!r}"
        )


class BusinessDayConvention(StrEnum):
    NONE = "none"
    FOLLOWING = "following"
    PRECEDING = "preceding"
    MODIFIED_FOLLOWING = "modified_following"


class BusinessCalendar:
    """Weekend days and holidays of a country or subdivision, plus optional company closing days."""

    def __init__(
        self,
        code: str,
        weekend: Iterable[int] = SATURDAY_SUNDAY,
        holiday_lookup: holidays.HolidayBase | None = None,
        closing_days: Iterable[date] = (),
    ) -> None:
        self.code = code
        self.weekend = frozenset(weekend)
        self._holidays = holiday_lookup
        self.closing_days = frozenset(closing_days)

    @staticmethod
    def of(code: str, closing_days: Iterable[date] = ()) -> BusinessCalendar:
        """Return the calendar for ``"DE"``, ``"DE-BY"`` or ``"weekends"`` (case-insensitive)."""
        normalized = normalize_calendar_code(code)
        if normalized == WEEKENDS_ONLY:
            return BusinessCalendar(WEEKENDS_ONLY, closing_days=closing_days)
        lookup = _country_holidays(normalized)
        return BusinessCalendar(normalized, lookup.weekend, lookup, closing_days)

    def holiday_name(self, day: date) -> str | None:
        """The name of the public holiday on ``day``, or None."""
        if self._holidays is None:
            return None
        name = self._holidays.get(day)
        return None if name is None else str(name)

    def is_business_day(self, day: date) -> bool:
        if day.weekday() in self.weekend or day in self.closing_days:
            return False
        return self._holidays is None or day not in self._holidays

    def __repr__(self) -> str:
        return f"BusinessCalendar({self.code!r})"


def normalize_calendar_code(code: str) -> str:
    """Upper-case a country code and its subdivision (``de-by`` -> ``DE-BY``); keep ``weekends``."""
    text = code.strip()
    if text.lower() == WEEKENDS_ONLY:
        return WEEKENDS_ONLY
    country, _, subdivision = text.partition("-")
    if not country.isalpha() or len(country) not in (2, 3):
        raise UnknownCalendarError(code, "the country part must be a two- or three-letter code")
    return f"{country.upper()}-{subdivision.upper()}" if subdivision else country.upper()


@lru_cache(maxsize=64)
def _country_holidays(code: str) -> holidays.HolidayBase:
    country, _, subdivision = code.partition("-")
    try:
        return holidays.country_holidays(country, subdiv=subdivision or None)
    except NotImplementedError as error:
        raise UnknownCalendarError(code, str(error)) from error


def adjust(day: date, convention: BusinessDayConvention, calendar: BusinessCalendar) -> date:
    """Move ``day`` to a business day of ``calendar`` by ``convention``."""
    if convention is BusinessDayConvention.NONE:
        return day
    if convention is BusinessDayConvention.PRECEDING:
        return _step_to_business_day(day, calendar, -1)
    following = _step_to_business_day(day, calendar, 1)
    if convention is BusinessDayConvention.MODIFIED_FOLLOWING and following.month != day.month:
        return _step_to_business_day(day, calendar, -1)
    return following


def _step_to_business_day(day: date, calendar: BusinessCalendar, step: int) -> date:
    candidate = day
    for _ in range(_MAX_SEARCH_DAYS):
        if calendar.is_business_day(candidate):
            return candidate
        candidate += timedelta(days=step)
    raise UnknownCalendarError(calendar.code, f"no business day within a year of {day}")
