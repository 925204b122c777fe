"""Settlement of the open items: credit notes, disputes, cash discounts and payment lines.

Every decision is drawn for all items at once from the customer's behaviour. Documents dated after
the last day of the period are not created, so items settled later are still open on that day.
A defaulting customer pays nothing after the day it stopped paying.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from receivables.demo.calendar import Calendar, next_business_day, weekday
from receivables.demo.customers import PROFILE, CustomerBook, behaviour_array
from receivables.demo.invoices import Items, proportional_tax
from receivables.demo.parts import REASON, CreditBatch, LedgerParts

Ints = npt.NDArray[np.int64]

RETURN_RATE = 0.03  # share of undisputed items that get a return or price-correction credit note
UNAPPLIED_RETURN_RATE = 0.35  # share of those credit notes the customer leaves on account
DISCOUNT_TAKEN = 0.9  # how often a discount customer pays within the discount period
DISCOUNT_BP = 200  # 2 % cash discount for payment within 10 days
DISCOUNT_DAYS = 10
DEFAULT_LEAD_DAYS = 75  # items dated this close to a default stay unpaid, or get one part payment


@dataclass(frozen=True)
class Lines:
    """Payment lines: ``amount`` paid on item ``item`` on ``day``."""

    item: Ints
    day: Ints
    amount: Ints


def _mask_in_period(
    book: CustomerBook, customer: Ints, day: Ints, calendar: Calendar
) -> npt.NDArray[np.bool_]:
    return (day <= calendar.last) & (day <= book.default_day[customer])


def credit_notes(
    rng: np.random.Generator, items: Items, book: CustomerBook, calendar: Calendar, parts: LedgerParts
) -> Ints:
    """Issue return, correction and dispute credit notes; return each item's dispute resolution day.

    Half of the disputes end with a credit note applied to the item, a full one in 40 % of those.
    In the other half the customer pays in full after the resolution.
    """
    count = items.size
    resolution = items.day + rng.integers(20, 121, count)
    disputed_credit = items.disputed & (rng.random(count) < 0.5)
    returned = ~items.disputed & (rng.random(count) < RETURN_RATE)
    fraction = np.where(
        rng.random(count) < np.where(disputed_credit, 0.4, 0.15), 1.0, rng.uniform(0.05, 0.6, count)
    )
    day = next_business_day(np.where(disputed_credit, resolution, items.day + rng.integers(2, 46, count)))
    chosen = (disputed_credit | returned) & _mask_in_period(
        book, items.customer, day.astype(np.int64), calendar
    )

    target = np.flatnonzero(chosen)
    amount = np.maximum(np.floor(items.amount[target] * fraction[target]).astype(np.int64), 1)
    reason = np.where(
        disputed_credit[target], REASON["dispute settled"],
        np.where(rng.random(target.shape[0]) < 0.6, REASON["return of goods"], REASON["price correction"]),
    )  # fmt: skip
    batch = CreditBatch(
        customer=items.customer[target],
        day=day[target].astype(np.int64),
        amount=amount,
        tax=proportional_tax(amount, items.amount[target], items.tax[target]),
        reason=reason.astype(np.int64),
        first_item=target.astype(np.int64),
    )
    offset = parts.add_credits("credit_note", batch)
    applied = disputed_credit[target] | (rng.random(target.shape[0]) >= UNAPPLIED_RETURN_RATE)
    positions = offset + np.flatnonzero(applied)
    parts.allocate("credit_note", positions, target[applied], batch.day[applied], amount[applied])
    return resolution.astype(np.int64)


def _pay_days(
    rng: np.random.Generator, items: Items, book: CustomerBook, calendar: Calendar, resolution: Ints
) -> Ints:
    """Draw the day each item gets (first) paid from its customer's delay past the due date."""
    profile = book.profile[items.customer]
    progress = np.clip((items.day - calendar.first) / max(calendar.span, 1), 0.0, 1.0)
    mean = behaviour_array("delay_mean")[profile] + behaviour_array("deterioration")[profile] * progress**2
    delay = np.round(rng.normal(mean, behaviour_array("delay_sd")[profile])).astype(np.int64)
    day = items.due + delay
    day = np.where(items.disputed, np.maximum(day, resolution + rng.integers(3, 21, items.size)), day)
    paid: Ints = np.maximum(day, items.day + 1).astype(np.int64)
    return paid


def _take_discounts(
    rng: np.random.Generator,
    items: Items,
    book: CustomerBook,
    calendar: Calendar,
    open_amount: Ints,
    pay_day: Ints,
    parts: LedgerParts,
) -> tuple[Ints, Ints]:
    """Let discount customers pay early, less 2 %, with a discount document for the rest.

    The payment falls on a business day on or before the deadline, 10 days after the invoice
    date; the discount is 2 % of what is open, rounded half up, as the domain's settlement of a
    payment that closes the item gives.
    """
    count = items.size
    takes = (
        book.discount[items.customer]
        & ~items.disputed
        & (rng.random(count) < DISCOUNT_TAKEN)
        & (open_amount > 0)
    )
    early = next_business_day(items.day + rng.integers(4, DISCOUNT_DAYS + 1, count)).astype(np.int64)
    deadline = items.day + DISCOUNT_DAYS
    back = np.where(weekday(deadline) == 5, 1, np.where(weekday(deadline) == 6, 2, 0))
    early = np.where(early > deadline, deadline - back, early)
    pay_day = np.where(takes, early, pay_day)
    discount = np.where(takes, (open_amount * DISCOUNT_BP + 5_000) // 10_000, 0)

    # A discount taken after the period has no document yet; its payment line is dropped too.
    target = np.flatnonzero((discount > 0) & (pay_day <= calendar.last))
    amount = discount[target]
    batch = CreditBatch(
        customer=items.customer[target],
        day=pay_day[target],
        amount=amount,
        tax=proportional_tax(amount, items.amount[target], items.tax[target]),
        reason=np.full(target.shape[0], REASON["cash discount 2%"], dtype=np.int64),
        first_item=target.astype(np.int64),
    )
    offset = parts.add_credits("discount", batch)
    parts.allocate("discount", offset + np.arange(target.shape[0]), target, batch.day, amount)
    return open_amount - discount, pay_day


def _payable(
    rng: np.random.Generator, items: Items, book: CustomerBook, open_amount: Ints
) -> tuple[Ints, npt.NDArray[np.bool_]]:
    """Return what the customer will pay of each item and which items it short-pays.

    A short payment keeps back 1.00 to 25.00, as bank charges or a disputed freight line would.
    Items of a defaulter dated shortly before its default get nothing, or one part payment in 30 %
    of cases.
    """
    count = items.size
    profile = book.profile[items.customer]
    short = (rng.random(count) < behaviour_array("short_pay")[profile]) & (open_amount > 5_000)
    payable = open_amount - np.where(short, rng.integers(100, 2_501, count), 0)
    doomed = items.day > book.default_day[items.customer] - DEFAULT_LEAD_DAYS
    share = np.where(rng.random(count) < 0.3, rng.uniform(0.2, 0.5, count), 0.0)
    payable = np.where(doomed, np.floor(payable * share).astype(np.int64), payable)
    return payable, short & ~doomed


def _instalments(
    rng: np.random.Generator, items: Items, book: CustomerBook, payable: Ints, pay_day: Ints
) -> tuple[Lines, Ints]:
    """Split payments into 2 to 4 equal instalments for partial payers; return lines and last days."""
    count = items.size
    partial = rng.random(count) < behaviour_array("partial")[book.profile[items.customer]]
    parts_per_item = np.where(partial, rng.integers(2, 5, count), 1)
    gap = rng.integers(21, 41, count)
    item = np.repeat(np.arange(count, dtype=np.int64), parts_per_item)
    starts = np.cumsum(parts_per_item) - parts_per_item
    position = np.arange(item.shape[0]) - np.repeat(starts, parts_per_item)
    total = parts_per_item[item]
    amount = payable[item] * (position + 1) // total - payable[item] * position // total
    day = next_business_day(pay_day[item] + position * gap[item]).astype(np.int64)
    last_day = (pay_day + (parts_per_item - 1) * gap).astype(np.int64)
    return Lines(item, day, amount), last_day


def payment_lines(
    rng: np.random.Generator,
    items: Items,
    book: CustomerBook,
    calendar: Calendar,
    parts: LedgerParts,
    resolution: Ints,
) -> tuple[Lines, Ints, npt.NDArray[np.bool_]]:
    """Plan every payment of every item.

    Returns the payment lines dated within the period, each item's last planned payment day and
    which items are short-paid.
    """
    open_amount = items.amount - parts.allocated(items.size)
    pay_day = next_business_day(_pay_days(rng, items, book, calendar, resolution)).astype(np.int64)
    open_amount, pay_day = _take_discounts(rng, items, book, calendar, open_amount, pay_day, parts)
    payable, short = _payable(rng, items, book, open_amount)
    lines, last_day = _instalments(rng, items, book, payable, pay_day)
    customer = items.customer[lines.item]
    day = _payment_run_day(book, customer, lines.day)
    keep = (lines.amount > 0) & _mask_in_period(book, customer, day, calendar)
    return Lines(lines.item[keep], day[keep], lines.amount[keep]), last_day, short


def _payment_run_day(book: CustomerBook, customer: Ints, day: Ints) -> Ints:
    """Move the payments of customers with a weekly payment run to the next run day."""
    wait = (book.run_weekday[customer] - weekday(day)) % 7
    return np.where(book.batch[customer], day + wait, day).astype(np.int64)


def is_defaulter(book: CustomerBook, customer: Ints) -> npt.NDArray[np.bool_]:
    return np.asarray(book.profile[customer] == PROFILE["defaulter"], dtype=np.bool_)
