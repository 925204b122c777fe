"""Statutory late-payment interest: a reference rate plus a margin, and a fixed compensation.

Built in, with the rules as the laws state them:

- ``eu``, EU Late Payment Directive 2011/7/EU (articles 2(6), 3 and 6) for business-to-business
  debts. The ECB main refinancing rate in force on 1 January applies from January to June, the
  rate in force on 1 July from July to December, plus 8 percentage points. A fixed compensation
  of EUR 40 is due per late invoice.
- ``uk``, Late Payment of Commercial Debts (Interest) Act 1998 with the Late Payment of
  Commercial Debts (Rate of Interest) (No. 3) Order 2002: the Bank of England base rate in force
  on the 31 December or 30 June before the day interest starts running, plus 8 %, fixed for the
  whole debt; a fixed sum of GBP 40 for debts below 1,000, GBP 70 for 1,000 to 9,999.99 and
  GBP 100 for 10,000 or more.

Both count ``ACT/365``. Other regimes (a member state's own reference rate or margin) are
:class:`StatutoryInterest` tables in the rates file, read by :meth:`RateBook.from_dict`; any other
object with the :class:`~receivables.domain.interest.InterestRegime` attributes works as well.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from receivables.domain.day_count import DayCount
from receivables.domain.discounts import format_decimal
from receivables.domain.errors import CurrencyMismatchError, ReceivablesError
from receivables.domain.interest import InvalidInterestError, RatePeriod
from receivables.domain.money import Money
from receivables.domain.reference_rates import ReferenceRateTable

ECB_TABLE = "ecb_mro"
BOE_TABLE = "boe_bank_rate"


class UnknownRegimeError(ReceivablesError, LookupError):
    """No interest regime or reference rate table of that name is known."""


class RateFixing(StrEnum):
    """The rule choosing the day whose reference rate applies to a day of interest."""

    HALF_YEAR = "half_year"
    FIXED_AT_START = "fixed_at_start"
    DAILY = "daily"


@dataclass(frozen=True, slots=True)
class CompensationScale:
    """A fixed sum by size of the debt: ``bands`` are (lowest debt, sum), lowest first."""

    currency: str
    bands: tuple[tuple[Decimal, Decimal], ...]

    def __post_init__(self) -> None:
        floors = [floor for floor, _ in self.bands]
        if not self.bands or floors[0] != 0 or floors != sorted(set(floors)):
            raise InvalidInterestError(
                "compensation bands must start at 0 and have increasing lower bounds"
            )

    def amount_for(self, debt: Money) -> Money:
        if debt.currency.code != self.currency:
            raise CurrencyMismatchError(debt.currency.code, self.currency)
        amount = next(value for floor, value in reversed(self.bands) if debt.amount >= floor)
        return Money.of(amount, self.currency).rounded()


@dataclass(frozen=True, slots=True)
class StatutoryInterest:
    """Reference rate of ``table`` plus ``margin`` percentage points, fixed by ``fixing``."""

    code: str
    name: str
    table: ReferenceRateTable
    margin: Decimal
    fixing: RateFixing
    day_count: DayCount = DayCount.ACT_365
    compensation: CompensationScale | None = None
    grace_days: int = 0
    minimum: Money | None = field(default=None)

    def rate_periods(
        self, interest_start: date, first_day: date, last_day: date
    ) -> list[RatePeriod]:
        if self.fixing is RateFixing.FIXED_AT_START:
            fixing_day = _reference_day_before(interest_start)
            return [self._period(first_day, last_day, fixing_day)]
        starts = [first_day, *self._change_days(first_day, last_day)]
        ends = [day - timedelta(days=1) for day in starts[1:]] + [last_day]
        fixing_days = [
            _half_year_start(start) if self.fixing is RateFixing.HALF_YEAR else start
            for start in starts
        ]
        return [
            self._period(start, end, fixing)
            for start, end, fixing in zip(starts, ends, fixing_days, strict=True)
        ]

    def fixed_compensation(self, debt: Money) -> Money | None:
        return None if self.compensation is None else self.compensation.amount_for(debt)

    def _change_days(self, first_day: date, last_day: date) -> list[date]:
        if self.fixing is RateFixing.HALF_YEAR:
            candidates = [
                date(year, month, 1)
                for year in range(first_day.year, last_day.year + 1)
                for month in (1, 7)
            ]
        else:
            candidates = [change.effective_from for change in self.table.changes]
        return [day for day in candidates if first_day < day <= last_day]

    def _period(self, first: date, last: date, fixing_day: date) -> RatePeriod:
        reference = self.table.rate_on(fixing_day)
        source = f"{self.table.code} {reference}% on {fixing_day} + {format_decimal(self.margin)}"
        return RatePeriod(first, last, reference + self.margin, source)

    @staticmethod
    def from_dict(
        code: str, values: Mapping[str, Any], tables: Mapping[str, ReferenceRateTable]
    ) -> StatutoryInterest:
        """Read a ``[regimes.CODE]`` table of the rates file."""
        try:
            table_code = str(values["table"])
            if table_code not in tables:
                raise UnknownRegimeError(
                    f"regime {code!r} uses the unknown rate table {table_code!r}; "
                    f"known tables: {', '.join(sorted(tables))}"
                )
            bands = values.get("compensation", [])
            scale = None
            if bands:
                scale = CompensationScale(
                    str(values["compensation_currency"]),
                    tuple((Decimal(str(b["from"])), Decimal(str(b["amount"]))) for b in bands),
                )
            return StatutoryInterest(
                code=code,
                name=str(values["name"]),
                table=tables[table_code],
                margin=Decimal(str(values["margin"])),
                fixing=RateFixing(values.get("fixing", RateFixing.HALF_YEAR.value)),
                day_count=DayCount(values.get("day_count", DayCount.ACT_365.value)),
                compensation=scale,
            )
        except KeyError as error:
            raise InvalidInterestError(
                f"regime {code!r} misses the key {error.args[0]!r}"
            ) from error
        except (InvalidOperation, ValueError) as error:
            raise InvalidInterestError(f"regime {code!r}: {error}") from error


def _half_year_start(day: date) -> date:
    return date(day.year, 1 if day.month <= 6 else 7, 1)


def _reference_day_before(day: date) -> date:
    """Return the last 30 June or 31 December before ``day``."""
    if day.month <= 6:
        return date(day.year - 1, 12, 31)
    return date(day.year, 6, 30)


def eu_late_payment(ecb_rates: ReferenceRateTable) -> StatutoryInterest:
    """EU Late Payment Directive: ECB rate on 1 January / 1 July + 8 points, EUR 40 per invoice."""
    return StatutoryInterest(
        code="eu",
        name="EU Late Payment Directive 2011/7/EU",
        table=ecb_rates,
        margin=Decimal(8),
        fixing=RateFixing.HALF_YEAR,
        compensation=CompensationScale("EUR", ((Decimal(0), Decimal(40)),)),
    )


def uk_late_payment(boe_rates: ReferenceRateTable) -> StatutoryInterest:
    """UK Late Payment of Commercial Debts (Interest) Act 1998: base rate + 8 %, GBP 40/70/100."""
    return StatutoryInterest(
        code="uk",
        name="Late Payment of Commercial Debts (Interest) Act 1998",
        table=boe_rates,
        margin=Decimal(8),
        fixing=RateFixing.FIXED_AT_START,
        compensation=CompensationScale(
            "GBP",
            (
                (Decimal(0), Decimal(40)),
                (Decimal(1000), Decimal(70)),
                (Decimal(10000), Decimal(100)),
            ),
        ),
    )


@dataclass(frozen=True, slots=True)
class RateBook:
    """The reference rate tables and statutory regimes of one rates file."""

    tables: Mapping[str, ReferenceRateTable]
    regimes: Mapping[str, StatutoryInterest]

    @staticmethod
    def from_dict(values: Mapping[str, Any]) -> RateBook:
        """Read ``[tables.*]`` and ``[regimes.*]``; ``eu`` and ``uk`` come with their tables."""
        tables = {
            code: ReferenceRateTable.from_dict(code, table)
            for code, table in values.get("tables", {}).items()
        }
        regimes: dict[str, StatutoryInterest] = {}
        if ECB_TABLE in tables:
            regimes["eu"] = eu_late_payment(tables[ECB_TABLE])
        if BOE_TABLE in tables:
            regimes["uk"] = uk_late_payment(tables[BOE_TABLE])
        for code, regime in values.get("regimes", {}).items():
            regimes[code] = StatutoryInterest.from_dict(code, regime, tables)
        return RateBook(tables, regimes)

    def regime(self, code: str) -> StatutoryInterest:
        try:
            return self.regimes[code]
        except KeyError:
            known = ", ".join(sorted(self.regimes)) or "none"
            raise UnknownRegimeError(
                f"unknown statutory regime {code!r}; known regimes: {known}"
            ) from None
