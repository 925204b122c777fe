"""The compact text form of a payment term, for the command line and for invoice texts.

Grammar (keywords are case-insensitive, spaces around commas are optional)::

    term        = line { "," line } [ "@" adjustment ]
    line        = [ share ] { tier } due
    share       = NUMBER "%"            a percentage of the total, e.g. 50%
                | NUMBER                a fixed amount in the invoice currency, e.g. 500.00
    tier        = NUMBER "/" DAYS       discount percent within days of the invoice date, e.g. 2/10
    due         = "net" DAYS            net30: 30 days after the invoice date
                | "eom" [ "+" DAYS ]    eom+30: end of the invoice month plus 30 days
                | DAYS "eom"            30eom: 30 days, then the end of that month
                | [ "cutoff" DAY ":" ] ( "eom" | "day" DAY ) "+" MONTHS "m"
                                        day15+2m: day 15 of the month after next;
                                        cutoff20:eom+1m: invoices up to the 20th at the end of
                                        the next month, later ones a month later
    adjustment  = [ CALENDAR "-" ] CONVENTION | CALENDAR
                                        @DE-following, @DE-BY-modified_following, @preceding
                                        (weekends only), @DE (following)

A share glued to the next token is fine when it ends with ``%`` (``50%net30``); a fixed amount
needs a space (``500 net0, net30``). The last line takes the remainder when it has no share.
``net 30`` is read as ``net30``. The canonical form written by :func:`format_term` parses back to
an equal term: ``"50% 2/10 net30, net60 @DE-following"``.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from receivables.domain.calendars import (
    WEEKENDS_ONLY,
    BusinessCalendar,
    BusinessDayConvention,
    UnknownCalendarError,
)
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

_NUMBER = r"\d+(?:\.\d+)?"
_DAYS = r"-?\d+"
_NET = re.compile(rf"net({_DAYS})d?")
_EOM_PLUS_DAYS = re.compile(rf"eom(?:\+({_DAYS})d?)?")
_DAYS_THEN_EOM = re.compile(rf"({_DAYS})eom")
_DAY_OF_MONTH = re.compile(rf"(?:cutoff({_DAYS}):)?(eom|day({_DAYS}))\+({_DAYS})m")
_TIER = re.compile(rf"({_NUMBER})/({_DAYS})")
_PERCENT_SHARE = re.compile(rf"({_NUMBER})%(.*)")
_FIXED_SHARE = re.compile(_NUMBER)
_DUE_FORMS = "net30, eom, eom+30, 30eom, day15+2m, eom+1m or cutoff20:eom+1m"


def parse_term(text: str) -> PaymentTerm:
    """Read a term such as ``"2/10 1/20 net30 @DE-following"``; raise :class:`TermSyntaxError`."""
    if not isinstance(text, str) or not text.strip():
        raise TermSyntaxError(str(text), "the term is empty; write e.g. net30")
    body, at, adjustment_text = text.partition("@")
    if "@" in adjustment_text:
        raise TermSyntaxError(text, "only one @ adjustment is allowed")
    normalized = re.sub(r"\bnet\s+(-?\d)", r"net\1", body.strip().lower())
    try:
        lines = tuple(_parse_line(part, text) for part in normalized.split(","))
        adjustment = _parse_adjustment(adjustment_text.strip(), text) if at else None
        return PaymentTerm(lines, adjustment)
    except TermSyntaxError:
        raise
    except InvalidTermError as error:
        raise TermSyntaxError(text, str(error)) from error


def format_term(term: PaymentTerm) -> str:
    """Write the canonical text form of ``term``."""
    body = ", ".join(_format_line(line) for line in term.lines)
    return body if term.adjustment is None else f"{body} {term.adjustment.to_text()}"


def _format_line(line: TermLine) -> str:
    words = []
    if isinstance(line.share, Percent):
        words.append(f"{format_decimal(line.share.value)}%")
    elif isinstance(line.share, FixedAmount):
        words.append(format_decimal(line.share.value))
    words.extend(tier.to_text() for tier in line.discounts)
    words.append(line.due.to_text())
    return " ".join(words)


def _parse_line(part: str, text: str) -> TermLine:
    tokens = part.split()
    if not tokens:
        raise TermSyntaxError(text, "a line between commas is empty")
    share, tokens = _parse_share(tokens, text)
    *tier_tokens, due_token = tokens if tokens else [""]
    tiers = tuple(_parse_tier(token, text) for token in tier_tokens)
    return TermLine(share, _parse_due(due_token, text), tiers)


def _parse_share(tokens: list[str], text: str) -> tuple[Share, list[str]]:
    first, rest = tokens[0], tokens[1:]
    percent = _PERCENT_SHARE.fullmatch(first)
    if percent:
        glued = [percent.group(2)] if percent.group(2) else []
        remaining = glued + rest
        if not remaining:
            raise TermSyntaxError(text, f"share {first} has no due rule after it")
        return Percent(_decimal(percent.group(1), text)), remaining
    if _FIXED_SHARE.fullmatch(first):
        if not rest:
            raise TermSyntaxError(
                text, f"{first!r} is a fixed amount without a due rule; write e.g. {first} net30"
            )
        return FixedAmount(_decimal(first, text)), rest
    return Remainder(), tokens


def _parse_tier(token: str, text: str) -> DiscountTier:
    match = _TIER.fullmatch(token)
    if not match:
        raise TermSyntaxError(
            text, f"{token!r} is not a discount tier; write percent/days such as 2/10"
        )
    return DiscountTier(_decimal(match.group(1), text), int(match.group(2)))


def _parse_due(token: str, text: str) -> DueRule:
    if match := _NET.fullmatch(token):
        return NetDays(int(match.group(1)))
    if match := _EOM_PLUS_DAYS.fullmatch(token):
        return EndOfMonthPlusDays(int(match.group(1) or 0))
    if match := _DAYS_THEN_EOM.fullmatch(token):
        return DaysThenEndOfMonth(int(match.group(1)))
    if match := _DAY_OF_MONTH.fullmatch(token):
        cutoff, target, day, months = match.groups()
        return DayOfMonth(
            day=None if target == "eom" else int(day),
            months=int(months),
            cutoff=None if cutoff is None else int(cutoff),
        )
    if _TIER.fullmatch(token):
        raise TermSyntaxError(text, f"discount tier {token} needs a due rule after it, e.g. net30")
    raise TermSyntaxError(text, f"unknown due rule {token!r}; expected {_DUE_FORMS}")


def _parse_adjustment(spec: str, text: str) -> Adjustment:
    if not spec:
        raise TermSyntaxError(text, "@ needs a calendar or a convention, e.g. @DE-following")
    head, _, tail = spec.rpartition("-")
    conventions = {convention.value: convention for convention in BusinessDayConvention}
    if tail.lower() in conventions:
        convention, calendar = conventions[tail.lower()], head or WEEKENDS_ONLY
    elif spec.lower() in conventions:
        convention, calendar = conventions[spec.lower()], WEEKENDS_ONLY
    else:
        convention, calendar = BusinessDayConvention.FOLLOWING, spec
    try:
        BusinessCalendar.of(calendar)
    except UnknownCalendarError as error:
        names = ", ".join(conventions)
        raise TermSyntaxError(text, f"{error}; conventions are {names}") from error
    return Adjustment(convention, calendar)


def _decimal(number: str, text: str) -> Decimal:
    try:
        return Decimal(number)
    except InvalidOperation as error:
        raise TermSyntaxError(text, f"{number!r} is not a number") from error
