"""Payment documents, late-payment debit notes and write-offs built from the settlement plan.

A customer with a weekly payment run pays everything due in that run with one bank transfer, so
one payment document is allocated to several items. Other customers send one transfer per item.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from receivables.demo.calendar import Calendar, next_business_day
from receivables.demo.customers import PROFILE, CustomerBook, behaviour_array
from receivables.demo.invoices import Items, proportional_tax
from receivables.demo.parts import REASON, CreditBatch, LedgerParts
from receivables.demo.settlement import Lines, is_defaulter

Ints = npt.NDArray[np.int64]

OVERPAYMENT_RATE = 0.015  # share of transfers that pay too much and leave unapplied credit
INTEREST_BP_PER_YEAR = 900  # late-payment interest of 9 % a year
LATE_FEE_MINOR = 4_000  # flat 40.00 compensation per late-paid invoice
INTEREST_RATE = 0.25  # share of invoices paid over 30 days late that get an interest debit note
WRITE_OFF_AFTER_DEFAULT = 180  # days from a default to the write-off of its open items
SMALL_BALANCE_AFTER = 60  # days from the last payment to the write-off of a short-paid rest
SMALL_BALANCE_LIMIT = 2_500  # rests up to 25.00 are written off, larger ones stay open


def record_payments(
    rng: np.random.Generator, lines: Lines, items: Items, book: CustomerBook, parts: LedgerParts
) -> None:
    """Group payment lines into payment documents, add overpayments and allocate each line."""
    count = lines.item.shape[0]
    customer = items.customer[lines.item]
    key = np.where(
        book.batch[customer], customer * 100_000 + lines.day, -1 - np.arange(count, dtype=np.int64)
    )
    keys, first, group = np.unique(key, return_index=True, return_inverse=True)
    amount = np.zeros(keys.shape[0], dtype=np.int64)
    np.add.at(amount, group, lines.amount)

    over = rng.random(keys.shape[0]) < OVERPAYMENT_RATE
    extra = np.where(rng.random(keys.shape[0]) < 0.4, amount, rng.integers(100, 50_001, keys.shape[0]))
    batch = CreditBatch(
        customer=customer[first],
        day=lines.day[first],
        amount=amount + np.where(over, extra, 0),
        tax=np.zeros(keys.shape[0], dtype=np.int64),
        reason=np.full(keys.shape[0], REASON["bank transfer"], dtype=np.int64),
        first_item=lines.item[first],
    )
    offset = parts.add_credits("payment", batch)
    parts.allocate("payment", offset + group.astype(np.int64), lines.item, lines.day, lines.amount)


def first_payment_days(lines: Lines, item_count: int) -> Ints:
    """Return the day of each item's first payment line, or -1 for items without one."""
    days = np.full(item_count, -1, dtype=np.int64)
    items, first = np.unique(lines.item, return_index=True)
    days[items] = lines.day[first]
    return days


def interest_debit_notes(
    rng: np.random.Generator, items: Items, lines: Lines, book: CustomerBook, calendar: Calendar
) -> tuple[Items, Ints, Lines]:
    """Charge interest and the flat fee on invoices paid over 30 days late.

    Returns the debit notes, the invoice each one charges for, and the payment lines of the half
    that customers pay at their usual delay. The other half stay open.
    """
    paid = first_payment_days(lines, items.size)
    profile = book.profile[items.customer]
    slow = np.isin(profile, [PROFILE["late"], PROFILE["partial"], PROFILE["deteriorating"]])
    late_days = paid - items.due
    day = next_business_day(paid + 5).astype(np.int64)
    chosen = (
        slow
        & (paid >= 0)
        & (late_days > 30)
        & (rng.random(items.size) < INTEREST_RATE)
        & (day <= calendar.last)
    )
    source = np.flatnonzero(chosen).astype(np.int64)

    interest = items.amount[source] * INTEREST_BP_PER_YEAR * late_days[source] // (10_000 * 365)
    day = day[source]
    notes = Items(
        customer=items.customer[source],
        day=day,
        due=day + 14,
        amount=interest + LATE_FEE_MINOR,
        tax=np.zeros(source.shape[0], dtype=np.int64),
        disputed=np.zeros(source.shape[0], dtype=np.bool_),
        instalment=np.ones(source.shape[0], dtype=np.int64),
    )
    note_profile = book.profile[notes.customer]
    delay = np.maximum(rng.normal(behaviour_array("delay_mean")[note_profile], 5.0), 0).astype(np.int64)
    pay_day = next_business_day(notes.due + delay).astype(np.int64)
    pays = (rng.random(source.shape[0]) < 0.5) & (pay_day <= calendar.last)
    note_index = np.flatnonzero(pays).astype(np.int64) + items.size
    return notes, source, Lines(note_index, pay_day[pays], notes.amount[pays])


def write_offs(
    items: Items,
    book: CustomerBook,
    calendar: Calendar,
    parts: LedgerParts,
    last_day: Ints,
    short: npt.NDArray[np.bool_],
) -> None:
    """Write off what defaulters still owe 180 days after their default, and small short-paid rests.

    A defaulter's write-off is one document per customer allocated to each of its open items.
    """
    remaining = items.amount - parts.allocated(items.size)
    defaulter = is_defaulter(book, items.customer)
    customer_day = next_business_day(book.default_day.astype(np.int64) + WRITE_OFF_AFTER_DEFAULT).astype(
        np.int64
    )
    item_day = customer_day[items.customer]
    chosen = defaulter & (remaining > 0) & (item_day <= calendar.last) & (items.day <= item_day)
    target = np.flatnonzero(chosen).astype(np.int64)
    _, first, group = np.unique(items.customer[target], return_index=True, return_inverse=True)
    _write_off(
        parts,
        items,
        target,
        group.astype(np.int64),
        first,
        remaining,
        item_day,
        REASON["bad debt: customer insolvent"],
    )

    small_day = next_business_day(last_day + SMALL_BALANCE_AFTER).astype(np.int64)
    rest = remaining * (~chosen)
    small = short & ~defaulter & (rest > 0) & (rest <= SMALL_BALANCE_LIMIT) & (small_day <= calendar.last)
    target = np.flatnonzero(small).astype(np.int64)
    group = np.arange(target.shape[0], dtype=np.int64)
    _write_off(parts, items, target, group, group, remaining, small_day, REASON["small balance written off"])


def _write_off(
    parts: LedgerParts,
    items: Items,
    target: Ints,
    group: Ints,
    first: Ints,
    remaining: Ints,
    day: Ints,
    reason: int,
) -> None:
    """Add one write-off per group of ``target`` items, for the sum of their remaining amounts."""
    groups = first.shape[0]
    amount = np.zeros(groups, dtype=np.int64)
    tax = np.zeros(groups, dtype=np.int64)
    np.add.at(amount, group, remaining[target])
    np.add.at(tax, group, proportional_tax(remaining[target], items.amount[target], items.tax[target]))
    batch = CreditBatch(
        customer=items.customer[target[first]],
        day=day[target[first]],
        amount=amount,
        tax=tax,
        reason=np.full(groups, reason, dtype=np.int64),
        first_item=target[first],
    )
    offset = parts.add_credits("write_off", batch)
    parts.allocate("write_off", offset + group, target, day[target], remaining[target])
