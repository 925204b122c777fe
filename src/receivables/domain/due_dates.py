"""Due-date rules: how a payment term line turns an invoice date into a due date.

Four rules cover the terms found on European and American invoices. Days are calendar days; the
business-day adjustment is applied afterwards by the term (see :mod:`receivables.domain.calendars`).

=======================  ================  ===================================================
rule                     text              due date
=======================  ================  ===================================================
``NetDays``              ``net30``         invoice date + 30 days
``EndOfMonthPlusDays``   ``eom+30``        last day of the invoice month + 30 days
``DaysThenEndOfMonth``   ``30eom``         invoice date + 30 days, then the end of that month
``DayOfMonth``           ``day15+2m``      day 15 of the month after next
                         ``eom+1m``        last day of the next month
                         ``cutoff20:...``  invoices dated after the 20th move a month further
=======================  ================  ===================================================

A day of month beyond the month's length falls on its last day: ``day31+1m`` on an invoice of
2024-01-10 is due 2024-02-29. A cut-off day is inclusive: with ``cutoff20:eom+1m`` an invoice of
the 20th is due at the end of the next month, one of the 21st at the end of the month after.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from receivables.domain.term_errors import InvalidTermError


def end_of_month(day: date) -> date:
    """The last day of ``day``'s month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def day_in_month(year: int, month: int, months_later: int, day: int | None) -> date:
    """Day ``day`` (None for the last day) of the month ``months_later`` after ``year-month``.

    A day beyond the month's length gives the month's last day.
    """
    index = year * 12 + (month - 1) + months_later
    target_year, target_month = divmod(index, 12)
    length = calendar.monthrange(target_year, target_month + 1)[1]
    return date(target_year, target_month + 1, length if day is None else min(day, length))


def _check_days(days: int, rule: str) -> None:
    if isinstance(days, bool) or not isinstance(days, int):
        raise InvalidTermError(f"{rule}: the day count {days!r} must be a whole number")
    if days < 0:
        raise InvalidTermError(f"{rule}: the day count {days} is negative; use 0 or more days")


@dataclass(frozen=True, slots=True)
class NetDays:
    """Due ``days`` calendar days after the invoice date (``net0``: due on the invoice date)."""

    days: int

    def __post_init__(self) -> None:
        _check_days(self.days, "net days")

    def due_date(self, invoice_date: date) -> date:
        return invoice_date + timedelta(days=self.days)

    @property
    def fixed_days(self) -> int | None:
        """The number of days from invoice to due date, the same for every invoice date."""
        return self.days

    def to_text(self) -> str:
        return f"net{self.days}"

    def to_dict(self) -> dict[str, Any]:
        return {"rule": "net", "days": self.days}


@dataclass(frozen=True, slots=True)
class EndOfMonthPlusDays:
    """Due ``days`` calendar days after the last day of the invoice month."""

    days: int

    def __post_init__(self) -> None:
        _check_days(self.days, "end of month plus days")

    def due_date(self, invoice_date: date) -> date:
        return end_of_month(invoice_date) + timedelta(days=self.days)

    @property
    def fixed_days(self) -> int | None:
        return None

    def to_text(self) -> str:
        return "eom" if self.days == 0 else f"eom+{self.days}"

    def to_dict(self) -> dict[str, Any]:
        return {"rule": "end_of_month_plus_days", "days": self.days}


@dataclass(frozen=True, slots=True)
class DaysThenEndOfMonth:
    """Due at the end of the month in which the invoice date plus ``days`` falls."""

    days: int

    def __post_init__(self) -> None:
        _check_days(self.days, "days then end of month")

    def due_date(self, invoice_date: date) -> date:
        return end_of_month(invoice_date + timedelta(days=self.days))

    @property
    def fixed_days(self) -> int | None:
        return None

    def to_text(self) -> str:
        return f"{self.days}eom"

    def to_dict(self) -> dict[str, Any]:
        return {"rule": "days_then_end_of_month", "days": self.days}


@dataclass(frozen=True, slots=True)
class DayOfMonth:
    """Due on ``day`` (None: the last day) of the month ``months`` after the invoice month.

    With a ``cutoff`` day, invoices dated after it move one month further: ``DayOfMonth(None, 1,
    cutoff=20)`` is "invoices up to the 20th are due at the end of the next month".
    """

    day: int | None
    months: int
    cutoff: int | None = None

    def __post_init__(self) -> None:
        if self.day is not None and not 1 <= self.day <= 31:
            raise InvalidTermError(f"day of month {self.day} must lie between 1 and 31")
        _check_days(self.months, "month offset")
        if self.cutoff is not None and not 1 <= self.cutoff <= 31:
            raise InvalidTermError(f"cut-off day {self.cutoff} must lie between 1 and 31")
        # Day D of the invoice month precedes invoices dated after D unless a cut-off on or
        # before D moves those invoices to the next month.
        uncovered = self.cutoff is None or (self.day is not None and self.cutoff > self.day)
        if self.months == 0 and self.day is not None and uncovered:
            raise InvalidTermError(
                f"day {self.day} of the invoice month falls before invoices dated after it; "
                f"use a month offset of 1 or more, or a cut-off day of {self.day} or less"
            )

    def due_date(self, invoice_date: date) -> date:
        shift = 1 if self.cutoff is not None and invoice_date.day > self.cutoff else 0
        return day_in_month(invoice_date.year, invoice_date.month, self.months + shift, self.day)

    @property
    def fixed_days(self) -> int | None:
        return None

    def to_text(self) -> str:
        target = "eom" if self.day is None else f"day{self.day}"
        prefix = "" if self.cutoff is None else f"cutoff{self.cutoff}:"
        return f"{prefix}{target}+{self.months}m"

    def to_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            "rule": "day_of_month",
            "day": "last" if self.day is None else self.day,
            "months": self.months,
        }
        if self.cutoff is not None:
            result["cutoff"] = self.cutoff
        return result


DueRule = NetDays | EndOfMonthPlusDays | DaysThenEndOfMonth | DayOfMonth
