"""Payment terms: the lines of a term, and the schedule of instalments a term gives an invoice.

A :class:`PaymentTerm` has one or more :class:`TermLine`. Each line takes a share of the invoice
total (a percentage, a fixed amount, or the remainder), has a due-date rule
(:mod:`receivables.domain.due_dates`) and may offer early-payment discount tiers
(:mod:`receivables.domain.discounts`). An optional business-day adjustment moves due dates and
discount deadlines off weekends and holidays (:mod:`receivables.domain.calendars`).

Rules of the shares:

- every line but the last names its share. The last line takes the remainder, so the
  instalments add up exactly to the invoice total in its currency's minor unit;
- when every line is a percentage, they add up to 100;
- percentage shares are rounded half-up to the minor unit on their running total (see
  :func:`split_cumulative`), so no instalment is ever negative; fixed amounts must already be in
  the minor unit and may not take more than the invoice total.

:meth:`PaymentTerm.schedule` turns a term into dated values (a :class:`PaymentSchedule`). Store
that schedule with the invoice: it is frozen, so changing the customer's term later moves no due
date and no discount deadline of an invoice already issued.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from receivables.domain.calendars import (
    WEEKENDS_ONLY,
    BusinessCalendar,
    BusinessDayConvention,
    adjust,
    normalize_calendar_code,
)
from receivables.domain.discounts import (
    HUNDRED,
    DiscountBase,
    DiscountTier,
    check_tier_order,
    format_decimal,
    price_offer,
)
from receivables.domain.due_dates import DueRule, NetDays
from receivables.domain.money import ROUNDING, Money
from receivables.domain.schedules import Instalment, PaymentSchedule
from receivables.domain.term_errors import InvalidTermError, ScheduleError


@dataclass(frozen=True, slots=True)
class Percent:
    """A share of the invoice total in percent."""

    value: Decimal

    def __post_init__(self) -> None:
        if not Decimal(0) < self.value <= HUNDRED:
            raise InvalidTermError(
                f"share {format_decimal(self.value)}% must lie above 0 and at most 100"
            )


@dataclass(frozen=True, slots=True)
class FixedAmount:
    """A fixed amount in the invoice's currency."""

    value: Decimal

    def __post_init__(self) -> None:
        if self.value <= 0:
            raise InvalidTermError(f"fixed amount {format_decimal(self.value)} must be positive")


@dataclass(frozen=True, slots=True)
class Remainder:
    """The share the other lines leave of the invoice total."""


Share = Percent | FixedAmount | Remainder


@dataclass(frozen=True, slots=True)
class TermLine:
    """One instalment rule: its share, its due-date rule and its discount tiers."""

    share: Share
    due: DueRule
    discounts: tuple[DiscountTier, ...] = ()

    def __post_init__(self) -> None:
        check_tier_order(self.discounts)
        if isinstance(self.due, NetDays):
            for tier in self.discounts:
                if tier.days > self.due.days:
                    raise InvalidTermError(
                        f"discount period {tier.to_text()} is longer than the {self.due.to_text()} "
                        "payment period"
                    )


@dataclass(frozen=True, slots=True)
class Adjustment:
    """Move due dates and discount deadlines off non-business days of ``calendar``."""

    convention: BusinessDayConvention = BusinessDayConvention.FOLLOWING
    calendar: str = WEEKENDS_ONLY

    def __post_init__(self) -> None:
        object.__setattr__(self, "calendar", normalize_calendar_code(self.calendar))

    def to_text(self) -> str:
        return f"@{self.calendar}-{self.convention.value}"


@dataclass(frozen=True, slots=True)
class LineDates:
    """The dates one term line gives an invoice: due date (adjusted and not) and deadlines.

    ``deadlines`` has one date per discount tier of ``line``, in the tiers' order; a deadline never
    falls after the due date.
    """

    number: int
    line: TermLine
    due_date: date
    unadjusted_due_date: date
    deadlines: tuple[date, ...]


@dataclass(frozen=True, slots=True)
class PaymentTerm:
    """A payment term: its lines and an optional business-day adjustment.

    >>> from datetime import date
    >>> term = PaymentTerm.parse("2/10 net30")
    >>> schedule = term.schedule(date(2024, 1, 31), Money.of("100", "EUR"))
    >>> [str(instalment.due_date) for instalment in schedule.instalments]
    ['2024-03-01']
    """

    lines: tuple[TermLine, ...]
    adjustment: Adjustment | None = None

    def __post_init__(self) -> None:
        check_shares(self.lines)

    @staticmethod
    def parse(text: str) -> PaymentTerm:
        """Read the text form, such as ``"2/10 net30"`` (grammar in :mod:`.term_text`)."""
        from receivables.domain.term_text import parse_term

        return parse_term(text)

    @staticmethod
    def from_dict(values: dict[str, Any]) -> PaymentTerm:
        """Read the table form of a config file (layout in :mod:`.term_tables`)."""
        from receivables.domain.term_tables import term_from_dict

        return term_from_dict(values)

    def to_text(self) -> str:
        from receivables.domain.term_text import format_term

        return format_term(self)

    def to_dict(self) -> dict[str, Any]:
        from receivables.domain.term_tables import term_to_dict

        return term_to_dict(self)

    def __str__(self) -> str:
        return self.to_text()

    @property
    def has_discount(self) -> bool:
        return any(line.discounts for line in self.lines)

    def with_calendar(self, code: str) -> PaymentTerm:
        """This term on the holiday calendar ``code``; the convention stays (default: following)."""
        convention = (
            self.adjustment.convention if self.adjustment else BusinessDayConvention.FOLLOWING
        )
        return replace(self, adjustment=Adjustment(convention, code))

    def schedule(
        self,
        invoice_date: date,
        amount: Money,
        tax: Money | None = None,
        calendar: BusinessCalendar | None = None,
        discount_base: DiscountBase = DiscountBase.GROSS,
    ) -> PaymentSchedule:
        """Freeze this term for an invoice of ``amount`` (tax part ``tax``) dated ``invoice_date``.

        ``calendar`` overrides the calendar named by the term's adjustment, for tests and for
        company closing days. Instalments whose share rounds to zero are left out; ``number``
        stays the line number. Raises :class:`ScheduleError` when the amount or tax is invalid
        or the fixed amounts exceed the total.
        """
        tax = Money.zero(amount.currency) if tax is None else tax
        _check_invoice_amounts(amount, tax)
        amounts = split_amount(self.lines, amount)
        taxes = _split_tax(tax, amounts)
        instalments = []
        for dates, part, tax_part in zip(
            self.line_dates(invoice_date, calendar), amounts, taxes, strict=True
        ):
            if part:
                instalments.append(_instalment(dates, part, tax_part, discount_base))
        return PaymentSchedule(
            invoice_date=invoice_date,
            term=self.to_text(),
            amount=amount,
            tax=tax,
            instalments=tuple(instalments),
        )

    def line_dates(
        self, invoice_date: date, calendar: BusinessCalendar | None = None
    ) -> list[LineDates]:
        """Return the due date and discount deadlines of every line for ``invoice_date``.

        The dates do not depend on the amount, so a batch of invoices needs them once per
        distinct invoice date; :meth:`schedule` prices them for one invoice.
        """
        resolved = self._calendar(calendar)
        result = []
        for number, line in enumerate(self.lines, 1):
            unadjusted = line.due.due_date(invoice_date)
            due = _business_day(unadjusted, invoice_date, resolved)
            deadlines = tuple(
                min(
                    _business_day(invoice_date + timedelta(days=tier.days), invoice_date, resolved),
                    due,
                )
                for tier in line.discounts
            )
            result.append(LineDates(number, line, due, unadjusted, deadlines))
        return result

    def _calendar(
        self, calendar: BusinessCalendar | None
    ) -> tuple[BusinessDayConvention, BusinessCalendar] | None:
        if self.adjustment is None or self.adjustment.convention is BusinessDayConvention.NONE:
            return None
        return self.adjustment.convention, calendar or BusinessCalendar.of(self.adjustment.calendar)


def check_shares(lines: tuple[TermLine, ...]) -> None:
    """Raise unless the shares of ``lines`` can always add up to the invoice total."""
    if not lines:
        raise InvalidTermError("a payment term needs at least one line")
    *named, last = lines
    if any(isinstance(line.share, Remainder) for line in named):
        raise InvalidTermError(
            "only the last line may take the remainder; give every other line a share"
        )
    if len(lines) == 1 and isinstance(last.share, FixedAmount):
        raise InvalidTermError(
            "a single-line term takes the whole total; leave out its fixed amount"
        )
    percents = [line.share.value for line in lines if isinstance(line.share, Percent)]
    total = sum(percents, Decimal(0))
    has_fixed = any(isinstance(line.share, FixedAmount) for line in lines)
    if isinstance(last.share, Percent):
        if has_fixed:
            raise InvalidTermError("with fixed amounts, the last line must take the remainder")
        if total != HUNDRED:
            raise InvalidTermError(f"percentages add up to {format_decimal(total)}%, not 100%")
    elif isinstance(last.share, FixedAmount):
        raise InvalidTermError(
            "the last line must take the remainder or a percentage, not a fixed amount"
        )
    elif len(lines) > 1 and total >= HUNDRED:
        raise InvalidTermError(
            f"percentages add up to {format_decimal(total)}%, leaving nothing for the last line"
        )


def split_amount(lines: tuple[TermLine, ...], amount: Money) -> list[Money]:
    """Split ``amount`` by the shares of ``lines``; the last part takes the remainder."""
    if all(not isinstance(line.share, FixedAmount) for line in lines):
        percents = [line.share.value for line in lines[:-1] if isinstance(line.share, Percent)]
        return split_cumulative(amount, [*percents, HUNDRED - sum(percents, Decimal(0))])
    parts = [_line_part(line.share, amount) for line in lines[:-1]]
    taken = sum((part.amount for part in parts), Decimal(0))
    if taken > amount.amount:
        raise ScheduleError(
            f"the fixed amounts and percentages take {taken} {amount.currency}, more than the "
            f"invoice total {amount}"
        )
    return [*parts, Money(amount.amount - taken, amount.currency)]


def split_cumulative(amount: Money, weights: list[Decimal]) -> list[Money]:
    """Split ``amount`` in proportion to ``weights`` (>= 0, positive sum) by cumulative rounding.

    Part i is the rounded running total up to weight i minus the rounded running total before
    it, so the last part takes the remainder, the parts add up exactly and none is negative.
    ``Money.split`` gives all rounding differences to the last part. Here a part whose weight is
    zero gets nothing, and a tax split by instalment amounts never gives an instalment more tax
    than its amount, because the running totals of tax stay below those of the amounts.
    """
    total_weight = sum(weights, Decimal(0))
    minor = amount.minor_units()
    running = Decimal(0)
    previous = 0
    parts = []
    for weight in weights:
        running += weight
        reached = int((minor * running / total_weight).quantize(Decimal(1), rounding=ROUNDING))
        parts.append(Money.from_minor(reached - previous, amount.currency))
        previous = reached
    return parts


def _line_part(share: Share, amount: Money) -> Money:
    if isinstance(share, Percent):
        return (amount * (share.value / HUNDRED)).rounded()
    assert isinstance(share, FixedAmount)  # check_shares leaves only these before the last line
    part = Money(share.value, amount.currency)
    if not part.is_rounded():
        raise ScheduleError(
            f"fixed amount {format_decimal(share.value)} has more decimals than "
            f"{amount.currency} allows"
        )
    return part.rounded()


def _split_tax(tax: Money, amounts: list[Money]) -> list[Money]:
    if not tax:
        return [tax for _ in amounts]
    return split_cumulative(tax, [Decimal(part.minor_units()) for part in amounts])


def _check_invoice_amounts(amount: Money, tax: Money) -> None:
    if amount.amount <= 0 or not amount.is_rounded():
        raise ScheduleError(f"invoice amount {amount} must be positive and rounded to its currency")
    if tax.currency != amount.currency:
        raise ScheduleError(f"tax {tax} is not in the invoice currency {amount.currency}")
    if not tax.is_rounded() or not Decimal(0) <= tax.amount <= amount.amount:
        raise ScheduleError(f"tax {tax} must be rounded and lie between 0 and the amount {amount}")


def _instalment(dates: LineDates, amount: Money, tax: Money, base: DiscountBase) -> Instalment:
    offers = tuple(
        price_offer(tier, deadline, amount, tax, base)
        for tier, deadline in zip(dates.line.discounts, dates.deadlines, strict=True)
    )
    return Instalment(dates.number, dates.due_date, amount, tax, offers, dates.unadjusted_due_date)


def _business_day(
    day: date, invoice_date: date, calendar: tuple[BusinessDayConvention, BusinessCalendar] | None
) -> date:
    # A date moved back before the invoice date (preceding convention) stays on the invoice date.
    if calendar is None:
        return day
    return max(adjust(day, *calendar), invoice_date)
