"""Late interest on one open item: the regime's rates and the day-by-day accrual with its breakdown.

Days of delay run from the day after the due date (after the grace days, if any) up to and
including the day of payment, the usual legal count (days = payment date - due date). Each
interest day bears interest on what was still open at the end of the day before, so a payment
lowers the base from the day after its date. Payments dated on or before the due date leave
nothing to charge on what they paid.

Interest is simple interest, ``base * rate / 100 * days / year_days``, by the regime's day-count
convention (:mod:`receivables.domain.day_count`). The period is cut into sub-periods wherever
the base or the rate changes, and each sub-period's interest is rounded half-up to the minor unit,
so the breakdown printed on a debit note adds up to its total.

A regime is any object with the :class:`InterestRegime` attributes. :class:`ContractualInterest`
is a fixed rate agreed with the customer; statutory regimes live in
:mod:`receivables.domain.statutory`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Protocol

from receivables.domain.day_count import DayCount
from receivables.domain.discounts import HUNDRED, format_decimal
from receivables.domain.errors import InvalidAmountError, ReceivablesError
from receivables.domain.money import Money, total


class InvalidInterestError(ReceivablesError, ValueError):
    """An interest period, rate or regime setting is invalid."""


@dataclass(frozen=True, slots=True)
class DatedPayment:
    """An amount that reduced the open item on a date: a payment or an allocated credit note."""

    payment_date: date
    amount: Money


@dataclass(frozen=True, slots=True)
class InterestPeriod:
    """The days ``first_day`` to ``last_day`` (both included) that an interest run charges."""

    first_day: date
    last_day: date

    def __post_init__(self) -> None:
        if self.last_day < self.first_day:
            raise InvalidInterestError(
                f"interest period ends on {self.last_day}, before it starts on {self.first_day}"
            )

    def __str__(self) -> str:
        return f"{self.first_day}..{self.last_day}"


@dataclass(frozen=True, slots=True)
class RatePeriod:
    """``rate`` percent per year on the days ``first_day`` to ``last_day``, from ``source``."""

    first_day: date
    last_day: date
    rate: Decimal
    source: str


class InterestRegime(Protocol):
    """The attributes the accrual reads from a contractual or statutory interest regime."""

    @property
    def name(self) -> str: ...

    @property
    def day_count(self) -> DayCount: ...

    @property
    def grace_days(self) -> int: ...

    @property
    def minimum(self) -> Money | None: ...

    def rate_periods(
        self, interest_start: date, first_day: date, last_day: date
    ) -> list[RatePeriod]:
        """Return the rates on ``first_day..last_day``; interest began on ``interest_start``."""
        ...

    def fixed_compensation(self, debt: Money) -> Money | None:
        """Return the fixed sum due once per late item of ``debt``, or None if there is none."""
        ...


@dataclass(frozen=True, slots=True)
class ContractualInterest:
    """A fixed annual rate agreed in the contract.

    ``minimum`` is the smallest interest worth a debit note: a note whose interest is below it is
    waived. It is in the currency of the items it applies to.
    """

    annual_rate: Decimal
    day_count: DayCount = DayCount.ACT_365
    grace_days: int = 0
    minimum: Money | None = None
    name: str = "contract"

    def __post_init__(self) -> None:
        if self.annual_rate < 0:
            raise InvalidInterestError(f"interest rate {self.annual_rate}% must not be negative")
        if isinstance(self.grace_days, bool) or self.grace_days < 0:
            raise InvalidInterestError(f"grace days {self.grace_days} must be 0 or more")
        if self.minimum is not None and self.minimum.amount < 0:
            raise InvalidInterestError(f"minimum interest {self.minimum} must not be negative")

    def rate_periods(
        self, interest_start: date, first_day: date, last_day: date
    ) -> list[RatePeriod]:
        source = f"contract rate {format_decimal(self.annual_rate)}%"
        return [RatePeriod(first_day, last_day, self.annual_rate, source)]

    def fixed_compensation(self, debt: Money) -> Money | None:
        return None


@dataclass(frozen=True, slots=True)
class InterestRow:
    """Interest on a constant ``base`` at a constant ``rate`` for ``days`` interest days."""

    first_day: date
    last_day: date
    days: int
    base: Money
    rate: Decimal
    interest: Money
    source: str


@dataclass(frozen=True, slots=True)
class InterestCalculation:
    """The interest of one item for one period, with its breakdown.

    ``compensation`` is the regime's fixed sum for a late item (EUR 40 under the EU directive),
    or None when the regime has none or the item was paid in time. It does not depend on the
    period: charge it once per item.
    """

    regime: str
    due_date: date
    interest_start: date
    period: InterestPeriod
    rows: tuple[InterestRow, ...]
    interest: Money
    compensation: Money | None


def accrue_interest(
    due_date: date,
    amount: Money,
    payments: Sequence[DatedPayment],
    period: InterestPeriod,
    regime: InterestRegime,
) -> InterestCalculation:
    """Compute the interest on ``amount`` due on ``due_date`` for the days of ``period``."""
    _check_item(amount, payments)
    interest_start = due_date + timedelta(days=regime.grace_days + 1)
    first = max(period.first_day, interest_start)
    rows: list[InterestRow] = []
    if first <= period.last_day:
        for rate in regime.rate_periods(interest_start, first, period.last_day):
            rows.extend(_rows_at_rate(rate, amount, payments, regime.day_count))
    late_debt = _open_before(amount, payments, interest_start)
    compensation = regime.fixed_compensation(late_debt) if late_debt.amount > 0 else None
    return InterestCalculation(
        regime=regime.name,
        due_date=due_date,
        interest_start=interest_start,
        period=period,
        rows=tuple(rows),
        interest=total((row.interest for row in rows), amount.currency),
        compensation=compensation,
    )


def _rows_at_rate(
    rate: RatePeriod, amount: Money, payments: Sequence[DatedPayment], day_count: DayCount
) -> list[InterestRow]:
    # The base changes on the day after each payment.
    changes = sorted(
        {
            payment.payment_date + timedelta(days=1)
            for payment in payments
            if rate.first_day < payment.payment_date + timedelta(days=1) <= rate.last_day
        }
    )
    starts = [rate.first_day, *changes]
    ends = [day - timedelta(days=1) for day in changes] + [rate.last_day]
    rows = []
    for first, last in zip(starts, ends, strict=True):
        base = _open_before(amount, payments, first)
        if base.amount <= 0:
            continue
        days = day_count.days(first, last)
        exact = base.amount * rate.rate / HUNDRED * days / day_count.year_days
        interest = Money(exact, amount.currency).rounded()
        rows.append(InterestRow(first, last, days, base, rate.rate, interest, rate.source))
    return rows


def _open_before(amount: Money, payments: Sequence[DatedPayment], day: date) -> Money:
    """Return what was open at the end of the day before ``day``, never below zero."""
    paid = total((p.amount for p in payments if p.payment_date < day), amount.currency)
    remaining = amount - paid
    return remaining if remaining.amount > 0 else Money.zero(amount.currency)


def _check_item(amount: Money, payments: Sequence[DatedPayment]) -> None:
    if amount.amount <= 0 or not amount.is_rounded():
        raise InvalidAmountError(f"item amount {amount} must be positive and rounded")
    for payment in payments:
        if payment.amount.currency != amount.currency:
            raise InvalidAmountError(
                f"payment of {payment.amount} on {payment.payment_date} is not in the item "
                f"currency {amount.currency}"
            )
        if payment.amount.amount <= 0:
            raise InvalidAmountError(
                f"payment of {payment.amount} on {payment.payment_date} must be positive"
            )
