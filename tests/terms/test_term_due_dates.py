"""Due dates of every term rule, month ends, leap years, year ends, cut-off days and holidays."""

from datetime import date

import pytest

from receivables.domain.calendars import (
    BusinessCalendar,
    BusinessDayConvention,
    UnknownCalendarError,
    adjust,
)
from receivables.domain.money import Money
from receivables.domain.terms import PaymentTerm

EUR_100 = Money.of("100.00", "EUR")


def due_date(term: str, invoice_date: date) -> date:
    return PaymentTerm.parse(term).schedule(invoice_date, EUR_100).due_date


@pytest.mark.parametrize(
    ("term", "invoice_date", "expected"),
    [
        ("net30", date(2024, 1, 31), date(2024, 3, 1)),
        ("net30", date(2023, 1, 31), date(2023, 3, 2)),
        ("net0", date(2024, 5, 17), date(2024, 5, 17)),
        ("net30", date(2024, 12, 15), date(2025, 1, 14)),
        ("net 14", date(2024, 2, 28), date(2024, 3, 13)),
        ("eom", date(2024, 2, 10), date(2024, 2, 29)),
        ("eom", date(2023, 2, 10), date(2023, 2, 28)),
        ("eom+30", date(2024, 1, 15), date(2024, 3, 1)),
        ("eom+30", date(2023, 1, 15), date(2023, 3, 2)),
        ("eom+30", date(2024, 12, 1), date(2025, 1, 30)),
        ("eom+30", date(2024, 1, 31), date(2024, 3, 1)),
        ("30eom", date(2024, 1, 30), date(2024, 2, 29)),
        ("30eom", date(2024, 1, 31), date(2024, 3, 31)),
        ("30eom", date(2023, 1, 29), date(2023, 2, 28)),
        ("30eom", date(2024, 12, 2), date(2025, 1, 31)),
        ("eom+1m", date(2024, 1, 31), date(2024, 2, 29)),
        ("eom+1m", date(2023, 1, 28), date(2023, 2, 28)),
        ("eom+1m", date(2024, 12, 31), date(2025, 1, 31)),
        ("day15+2m", date(2024, 11, 30), date(2025, 1, 15)),
        ("day15+2m", date(2024, 1, 1), date(2024, 3, 15)),
        ("day31+1m", date(2024, 1, 10), date(2024, 2, 29)),
        ("day30+1m", date(2023, 1, 29), date(2023, 2, 28)),
        ("day31+1m", date(2024, 3, 31), date(2024, 4, 30)),
    ],
)  # fmt: skip
def test_due_date_rules(term, invoice_date, expected):
    assert due_date(term, invoice_date) == expected


@pytest.mark.parametrize(
    ("invoice_date", "expected"),
    [
        (date(2024, 1, 19), date(2024, 2, 29)),
        (date(2024, 1, 20), date(2024, 2, 29)),
        (date(2024, 1, 21), date(2024, 3, 31)),
        (date(2024, 11, 20), date(2024, 12, 31)),
        (date(2024, 11, 21), date(2025, 1, 31)),
        (date(2024, 12, 21), date(2025, 2, 28)),
    ],
)
def test_cutoff_end_of_next_month(invoice_date, expected):
    assert due_date("cutoff20:eom+1m", invoice_date) == expected


@pytest.mark.parametrize(
    ("invoice_date", "expected"),
    [
        (date(2024, 3, 15), date(2024, 3, 25)),
        (date(2024, 3, 16), date(2024, 4, 25)),
        (date(2024, 12, 31), date(2025, 1, 25)),
    ],
)
def test_cutoff_same_month_day(invoice_date, expected):
    assert due_date("cutoff15:day25+0m", invoice_date) == expected


@pytest.mark.parametrize(
    ("term", "invoice_date", "expected"),
    [
        ("net30 @DE-following", date(2024, 11, 25), date(2024, 12, 27)),
        ("net30 @DE-preceding", date(2024, 11, 25), date(2024, 12, 24)),
        ("net30 @DE-none", date(2024, 11, 25), date(2024, 12, 25)),
        ("eom @DE-modified_following", date(2024, 8, 1), date(2024, 8, 30)),
        ("eom @DE-following", date(2024, 8, 1), date(2024, 9, 2)),
        ("net30 @following", date(2024, 5, 2), date(2024, 6, 3)),
        ("net30 @GB-following", date(2024, 11, 25), date(2024, 12, 27)),
        ("net0 @DE-preceding", date(2024, 12, 25), date(2024, 12, 25)),
    ],
)
def test_business_day_adjustment(term, invoice_date, expected):
    assert due_date(term, invoice_date) == expected


def test_subdivision_holiday_moves_date():
    # Epiphany, 6 January, is a public holiday in Bavaria but not in Berlin.
    assert due_date("net6 @DE-BY", date(2025, 12, 31)) == date(2026, 1, 7)
    assert due_date("net6 @DE-BE", date(2025, 12, 31)) == date(2026, 1, 6)


def test_unadjusted_due_date_kept():
    schedule = PaymentTerm.parse("net30 @DE").schedule(date(2024, 11, 25), EUR_100)

    assert schedule.instalments[0].unadjusted_due_date == date(2024, 12, 25)
    assert schedule.instalments[0].due_date == date(2024, 12, 27)


def test_calendar_override_adds_closing_days():
    closing = BusinessCalendar.of("DE", closing_days=[date(2024, 12, 27)])
    schedule = PaymentTerm.parse("net30 @DE").schedule(
        date(2024, 11, 25), EUR_100, calendar=closing
    )

    assert schedule.due_date == date(2024, 12, 30)


def test_with_calendar_keeps_convention():
    term = PaymentTerm.parse("net30 @weekends-preceding").with_calendar("DE")

    assert term.to_text() == "net30 @DE-preceding"
    assert term.schedule(date(2024, 11, 25), EUR_100).due_date == date(2024, 12, 24)


def test_holiday_name_reported():
    assert BusinessCalendar.of("DE").holiday_name(date(2024, 12, 25)) == "Christmas Day"


def test_weekend_of_friday_saturday_country():
    # Saudi Arabia's weekend is Friday and Saturday.
    calendar = BusinessCalendar.of("SA")

    assert adjust(date(2024, 5, 10), BusinessDayConvention.FOLLOWING, calendar) == date(2024, 5, 12)


@pytest.mark.parametrize("code", ["XX", "DE-ZZ", "1", "Germany"])
def test_unknown_calendar_rejected(code):
    with pytest.raises(UnknownCalendarError):
        BusinessCalendar.of(code)
