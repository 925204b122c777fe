"""Late charges: which interest, compensation and dunning-fee debit notes a period's run generates.

:func:`plan_late_charges` is pure: it takes the overdue items, the customers' late-charge clauses,
the dunning notices sent and the keys of every charge already made, and returns the debit notes
to write. Each charge line has a :class:`ChargeKey`; storing the keys with the notes and passing
them back on the next run makes the run idempotent:

- interest is keyed by item and the days it covers. A run charges only the days of its period
  that no earlier interest key of the item covers, so re-running a period charges nothing and
  overlapping periods never charge a day twice;
- a fixed compensation (EUR 40 under the EU directive) is keyed by invoice and charged once, in
  the first run after the item became late; the instalments of one invoice share it, so it
  comes with the first of them that is late;
- a dunning fee is keyed by the dunning notice and charged once, in the run whose period contains
  the notice date.

Lines are grouped into one note per customer and currency. A contract's minimum interest applies
to the note's interest lines together: below it they are waived and listed in ``waived``. Items
that cannot be charged (a missing reference rate, a compensation in another currency) are listed
in ``problems`` and the rest of the run goes on.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from receivables.domain.errors import ReceivablesError
from receivables.domain.interest import (
    DatedPayment,
    InterestCalculation,
    InterestPeriod,
    InterestRegime,
    accrue_interest,
)
from receivables.domain.money import Money, total


class ChargeKind(StrEnum):
    INTEREST = "interest"
    COMPENSATION = "compensation"
    DUNNING_FEE = "dunning_fee"


@dataclass(frozen=True, slots=True)
class ChargeKey:
    """The identity of a charge: kind, item or notice, and for interest the days it covers."""

    kind: ChargeKind
    reference: str
    first_day: date | None = None
    last_day: date | None = None

    def __str__(self) -> str:
        if self.first_day is None or self.last_day is None:
            return f"{self.kind.value}:{self.reference}"
        return f"{self.kind.value}:{self.reference}:{self.first_day}:{self.last_day}"

    @staticmethod
    def parse(text: str) -> ChargeKey:
        """Read the form written by ``str()``: ``interest:INV-1:2024-01-01:2024-03-31``."""
        kind, _, rest = text.partition(":")
        if ChargeKind(kind) is not ChargeKind.INTEREST:
            return ChargeKey(ChargeKind(kind), rest)
        reference, first, last = rest.rsplit(":", 2)
        return ChargeKey(
            ChargeKind.INTEREST, reference, date.fromisoformat(first), date.fromisoformat(last)
        )


@dataclass(frozen=True, slots=True)
class OverdueItem:
    """An open item (an invoice or one instalment) with the payments and credits allocated to it.

    ``invoice`` names the invoice an instalment belongs to, the reference of its one fixed
    compensation; by default the item is a whole invoice and ``reference`` names it.
    """

    customer_code: str
    reference: str
    due_date: date
    amount: Money
    payments: tuple[DatedPayment, ...] = ()
    invoice: str | None = None


@dataclass(frozen=True, slots=True)
class DunningEvent:
    """A dunning notice of ``level`` sent to a customer on ``notice_date``."""

    customer_code: str
    notice: str
    level: int
    notice_date: date
    currency: str


@dataclass(frozen=True, slots=True)
class FeeSchedule:
    """A fixed fee per dunning level, e.g. ``{2: 5.00 EUR, 3: 10.00 EUR}``; other levels cost 0."""

    fees: Mapping[int, Money] = field(default_factory=dict)

    def fee_for(self, level: int) -> Money | None:
        return self.fees.get(level)


@dataclass(frozen=True, slots=True)
class LateChargeClause:
    """A customer's late-charge terms: an interest regime (or none) and dunning fees."""

    interest: InterestRegime | None = None
    fees: FeeSchedule = field(default_factory=FeeSchedule)


@dataclass(frozen=True, slots=True)
class ChargeLine:
    """One line of a late-charge debit note."""

    key: ChargeKey
    customer_code: str
    amount: Money
    calculation: InterestCalculation | None = None


@dataclass(frozen=True, slots=True)
class PlannedDebitNote:
    """The late charges of one customer in one currency for a period."""

    customer_code: str
    currency: str
    period: InterestPeriod
    lines: tuple[ChargeLine, ...]

    @property
    def total(self) -> Money:
        return total((line.amount for line in self.lines), self.currency)


@dataclass(frozen=True, slots=True)
class ChargeProblem:
    """An item or notice that could not be charged, and why."""

    customer_code: str
    reference: str
    reason: str


@dataclass(frozen=True, slots=True)
class ChargePlan:
    notes: tuple[PlannedDebitNote, ...]
    waived: tuple[ChargeLine, ...]
    problems: tuple[ChargeProblem, ...]


def plan_late_charges(
    items: Iterable[OverdueItem],
    period: InterestPeriod,
    clauses: Mapping[str, LateChargeClause],
    already_charged: Iterable[ChargeKey],
    dunning: Sequence[DunningEvent] = (),
) -> ChargePlan:
    """Decide the debit notes of ``period``; ``clauses`` maps customer codes to their clauses.

    Items of customers without a clause, or whose clause has no interest regime, bear no
    interest; ``already_charged`` contains the keys of every charge made by earlier runs.
    """
    charged = set(already_charged)
    lines: list[ChargeLine] = []
    problems: list[ChargeProblem] = []
    for item in items:
        clause = clauses.get(item.customer_code)
        if clause is not None and clause.interest is not None:
            try:
                lines.extend(_item_lines(item, period, clause.interest, charged))
            except ReceivablesError as error:
                problems.append(ChargeProblem(item.customer_code, item.reference, str(error)))
    for event in dunning:
        line = _fee_line(event, period, clauses.get(event.customer_code), charged, problems)
        if line is not None:
            lines.append(line)
    return _group(lines, period, clauses, problems)


def _item_lines(
    item: OverdueItem, period: InterestPeriod, regime: InterestRegime, charged: set[ChargeKey]
) -> list[ChargeLine]:
    lines = []
    covered = [
        (key.first_day, key.last_day)
        for key in charged
        if key.kind is ChargeKind.INTEREST
        and key.reference == item.reference
        and key.first_day is not None
        and key.last_day is not None
    ]
    calculation = None
    for first, last in uncovered_ranges(period.first_day, period.last_day, covered):
        calculation = accrue_interest(
            item.due_date, item.amount, item.payments, InterestPeriod(first, last), regime
        )
        if calculation.interest:
            key = ChargeKey(ChargeKind.INTEREST, item.reference, first, last)
            lines.append(ChargeLine(key, item.customer_code, calculation.interest, calculation))
    if calculation is None:
        calculation = accrue_interest(item.due_date, item.amount, item.payments, period, regime)
    compensation_key = ChargeKey(ChargeKind.COMPENSATION, item.invoice or item.reference)
    is_late = calculation.interest_start <= period.last_day
    if is_late and calculation.compensation and compensation_key not in charged:
        lines.append(ChargeLine(compensation_key, item.customer_code, calculation.compensation))
        charged.add(compensation_key)  # the invoice's later instalments share it
    return lines


def uncovered_ranges(
    first: date, last: date, covered: Iterable[tuple[date, date]]
) -> list[tuple[date, date]]:
    """Return the runs of days in ``first..last`` outside every ``(first, last)`` of ``covered``."""
    ranges = []
    cursor = first
    for start, end in sorted(covered):
        if end < cursor or start > last:
            continue
        if start > cursor:
            ranges.append((cursor, start - timedelta(days=1)))
        cursor = max(cursor, end + timedelta(days=1))
        if cursor > last:
            return ranges
    if cursor <= last:
        ranges.append((cursor, last))
    return ranges


def _fee_line(
    event: DunningEvent,
    period: InterestPeriod,
    clause: LateChargeClause | None,
    charged: set[ChargeKey],
    problems: list[ChargeProblem],
) -> ChargeLine | None:
    if clause is None or not period.first_day <= event.notice_date <= period.last_day:
        return None
    fee = clause.fees.fee_for(event.level)
    key = ChargeKey(ChargeKind.DUNNING_FEE, event.notice)
    if fee is None or not fee or key in charged:
        return None
    if fee.currency.code != event.currency:
        problems.append(
            ChargeProblem(
                event.customer_code,
                event.notice,
                f"dunning fee {fee} is not in the notice currency {event.currency}",
            )
        )
        return None
    return ChargeLine(key, event.customer_code, fee)


def _group(
    lines: list[ChargeLine],
    period: InterestPeriod,
    clauses: Mapping[str, LateChargeClause],
    problems: list[ChargeProblem],
) -> ChargePlan:
    grouped: dict[tuple[str, str], list[ChargeLine]] = defaultdict(list)
    for line in lines:
        grouped[(line.customer_code, line.amount.currency.code)].append(line)
    notes = []
    waived: list[ChargeLine] = []
    for (customer, currency), note_lines in sorted(grouped.items()):
        regime = clauses[customer].interest
        minimum = None if regime is None else regime.minimum
        kept = _apply_minimum(note_lines, minimum, waived, problems)
        if kept:
            notes.append(
                PlannedDebitNote(customer, currency, period, tuple(sorted(kept, key=_order)))
            )
    return ChargePlan(tuple(notes), tuple(waived), tuple(problems))


def _apply_minimum(
    lines: list[ChargeLine],
    minimum: Money | None,
    waived: list[ChargeLine],
    problems: list[ChargeProblem],
) -> list[ChargeLine]:
    interest = [line for line in lines if line.key.kind is ChargeKind.INTEREST]
    if minimum is None or not interest:
        return lines
    currency = interest[0].amount.currency
    if minimum.currency != currency:
        customer = interest[0].customer_code
        problems.append(
            ChargeProblem(
                customer,
                str(interest[0].key),
                f"minimum interest {minimum} cannot apply to a note in {currency}; charged in full",
            )
        )
        return lines
    if total((line.amount for line in interest), currency) >= minimum:
        return lines
    waived.extend(interest)
    return [line for line in lines if line.key.kind is not ChargeKind.INTEREST]


def _order(line: ChargeLine) -> tuple[str, str, str]:
    return (line.key.reference, line.key.kind.value, str(line.key.first_day or ""))
