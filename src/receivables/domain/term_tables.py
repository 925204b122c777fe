"""The table form of a payment term, for TOML config files and JSON.

A term is a table with ``lines`` and an optional ``adjustment``; a table with only ``text`` is read
with the text grammar of :mod:`receivables.domain.term_text`. In TOML::

    [terms.split]
    adjustment = { calendar = "DE", convention = "following" }

    [[terms.split.lines]]
    percent = "50"
    due = { rule = "net", days = 30 }
    discounts = [{ percent = "2", days = 10 }]

    [[terms.split.lines]]                 # no share: the remainder
    due = { rule = "net", days = 60 }

Line shares are ``percent`` or ``amount`` (a fixed amount in the invoice currency), or neither
for the remainder. Due rules are ``net``, ``end_of_month_plus_days`` and
``days_then_end_of_month`` (with ``days``), and ``day_of_month`` (with ``day`` as 1-31 or
``"last"``, ``months`` and an optional ``cutoff``). Decimals are strings or whole numbers: TOML
floats are binary fractions and are rejected.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from receivables.domain.calendars import WEEKENDS_ONLY, BusinessCalendar, BusinessDayConvention
from receivables.domain.discounts import DiscountTier, format_decimal
from receivables.domain.due_dates import (
    DayOfMonth,
    DaysThenEndOfMonth,
    DueRule,
    EndOfMonthPlusDays,
    NetDays,
)
from receivables.domain.term_errors import InvalidTermError, TermSyntaxError
from receivables.domain.terms import (
    Adjustment,
    FixedAmount,
    PaymentTerm,
    Percent,
    Remainder,
    Share,
    TermLine,
)

_DAYS_RULES: dict[str, type[NetDays | EndOfMonthPlusDays | DaysThenEndOfMonth]] = {
    "net": NetDays,
    "end_of_month_plus_days": EndOfMonthPlusDays,
    "days_then_end_of_month": DaysThenEndOfMonth,
}


def term_to_dict(term: PaymentTerm) -> dict[str, Any]:
    """The table form of ``term``; :func:`term_from_dict` reads it back to an equal term."""
    result: dict[str, Any] = {"lines": [_line_to_dict(line) for line in term.lines]}
    if term.adjustment is not None:
        result["adjustment"] = {
            "calendar": term.adjustment.calendar,
            "convention": term.adjustment.convention.value,
        }
    return result


def _line_to_dict(line: TermLine) -> dict[str, Any]:
    result: dict[str, Any] = {}
    if isinstance(line.share, Percent):
        result["percent"] = format_decimal(line.share.value)
    elif isinstance(line.share, FixedAmount):
        result["amount"] = format_decimal(line.share.value)
    result["due"] = line.due.to_dict()
    if line.discounts:
        result["discounts"] = [tier.to_dict() for tier in line.discounts]
    return result


def term_from_dict(values: Mapping[str, Any]) -> PaymentTerm:
    """Read a term table; raise :class:`TermSyntaxError` naming the key at fault."""
    if not isinstance(values, Mapping):
        raise TermSyntaxError(repr(values), "a term table must be a mapping")
    if "text" in values:
        if set(values) != {"text"}:
            raise TermSyntaxError(
                repr(dict(values)), "a term table with 'text' takes no other keys"
            )
        return PaymentTerm.parse(str(values["text"]))
    try:
        _reject_unknown(values, {"lines", "adjustment"}, "term")
        lines = values.get("lines")
        if not isinstance(lines, list) or not lines:
            raise InvalidTermError("'lines' must be a non-empty list of line tables")
        parsed = tuple(_line_from_dict(line, index) for index, line in enumerate(lines, 1))
        adjustment = values.get("adjustment")
        return PaymentTerm(parsed, None if adjustment is None else _adjustment(adjustment))
    except TermSyntaxError:
        raise
    except InvalidTermError as error:
        raise TermSyntaxError(repr(dict(values)), str(error)) from error


def _line_from_dict(values: Any, index: int) -> TermLine:
    where = f"line {index}"
    if not isinstance(values, Mapping):
        raise InvalidTermError(f"{where} must be a table")
    _reject_unknown(values, {"percent", "amount", "due", "discounts"}, where)
    if "percent" in values and "amount" in values:
        raise InvalidTermError(f"{where} has both 'percent' and 'amount'; give one share")
    share: Share = Remainder()
    if "percent" in values:
        share = Percent(_decimal(values["percent"], f"{where} percent"))
    elif "amount" in values:
        share = FixedAmount(_decimal(values["amount"], f"{where} amount"))
    if "due" not in values:
        raise InvalidTermError(f"{where} has no 'due' rule")
    tiers = values.get("discounts", [])
    if not isinstance(tiers, list):
        raise InvalidTermError(f"{where} 'discounts' must be a list of tables")
    return TermLine(
        share, _due_from_dict(values["due"], where), tuple(_tier(t, where) for t in tiers)
    )


def _due_from_dict(values: Any, where: str) -> DueRule:
    if not isinstance(values, Mapping) or "rule" not in values:
        raise InvalidTermError(f"{where} 'due' must be a table with a 'rule'")
    rule = values["rule"]
    if rule in _DAYS_RULES:
        _reject_unknown(values, {"rule", "days"}, f"{where} due")
        return _DAYS_RULES[rule](_whole(values.get("days"), f"{where} due days"))
    if rule == "day_of_month":
        _reject_unknown(values, {"rule", "day", "months", "cutoff"}, f"{where} due")
        day = values.get("day")
        cutoff = values.get("cutoff")
        return DayOfMonth(
            day=None if day == "last" else _whole(day, f"{where} due day"),
            months=_whole(values.get("months"), f"{where} due months"),
            cutoff=None if cutoff is None else _whole(cutoff, f"{where} due cutoff"),
        )
    known = ", ".join([*_DAYS_RULES, "day_of_month"])
    raise InvalidTermError(f"{where} has unknown due rule {rule!r}; expected one of {known}")


def _tier(values: Any, where: str) -> DiscountTier:
    if not isinstance(values, Mapping):
        raise InvalidTermError(f"{where} discount must be a table with 'percent' and 'days'")
    _reject_unknown(values, {"percent", "days"}, f"{where} discount")
    return DiscountTier(
        _decimal(values.get("percent"), f"{where} discount percent"),
        _whole(values.get("days"), f"{where} discount days"),
    )


def _adjustment(values: Any) -> Adjustment:
    if not isinstance(values, Mapping):
        raise InvalidTermError("'adjustment' must be a table with 'calendar' and 'convention'")
    _reject_unknown(values, {"calendar", "convention"}, "adjustment")
    calendar = str(values.get("calendar", WEEKENDS_ONLY))
    convention = str(values.get("convention", BusinessDayConvention.FOLLOWING.value))
    if convention not in {c.value for c in BusinessDayConvention}:
        names = ", ".join(c.value for c in BusinessDayConvention)
        raise InvalidTermError(f"unknown convention {convention!r}; expected one of {names}")
    BusinessCalendar.of(calendar)
    return Adjustment(BusinessDayConvention(convention), calendar)


def _reject_unknown(values: Mapping[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(values) - allowed)
    if unknown:
        raise InvalidTermError(
            f"{where} has unknown keys {unknown}; allowed keys are {sorted(allowed)}"
        )


def _decimal(value: Any, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise InvalidTermError(
            f'{where} {value!r} must be a string or a whole number, e.g. "2.5" (floats are inexact)'
        )
    try:
        return Decimal(value.strip() if isinstance(value, str) else value)
    except InvalidOperation as error:
        raise InvalidTermError(f"{where} {value!r} is not a number") from error


def _whole(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidTermError(f"{where} {value!r} must be a whole number")
    return value
