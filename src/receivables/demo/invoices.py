"""Invoices of the synthetic company: who is billed, when, how much, and which are disputed.

Amounts are integer minor units. All generated currencies (EUR, USD, GBP) have two decimals, so
one minor unit is a cent everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from receivables.demo.calendar import Calendar
from receivables.demo.customers import CustomerBook, behaviour_array

Ints = npt.NDArray[np.int64]

MIN_NET_MINOR = 5_000  # no invoice below 50.00


@dataclass(frozen=True)
class Items:
    """Open items (invoices or debit notes) as parallel arrays, one element per item."""

    customer: Ints
    day: Ints
    due: Ints
    amount: Ints
    tax: Ints
    disputed: npt.NDArray[np.bool_]

    @property
    def size(self) -> int:
        return int(self.customer.shape[0])

    def take(self, order: npt.NDArray[np.int64]) -> Items:
        return Items(
            self.customer[order], self.day[order], self.due[order],
            self.amount[order], self.tax[order], self.disputed[order],
        )  # fmt: skip


def active_windows(
    book: CustomerBook, calendar: Calendar
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Return the volume shares at which each customer starts and stops being invoiced.

    A defaulting customer is blocked, so it gets no invoice after the day it stopped paying.
    """
    last = np.minimum(book.default_day, calendar.last)
    return calendar.share_before(book.first_day), calendar.share_before(last + 1)


def make_invoices(rng: np.random.Generator, book: CustomerBook, count: int, calendar: Calendar) -> Items:
    """Draw exactly ``count`` invoices, sorted by date.

    Each customer's share of invoices is its size times the share of the period it traded in.
    Invoice dates follow the seasonal volume within that window. Net amounts are log-normal around
    the customer's median, and the VAT of its country is added, rounded half up.
    """
    low, high = active_windows(book, calendar)
    weights = book.volume * (high - low)
    customer = rng.choice(book.size, size=count, p=weights / weights.sum()).astype(np.int64)
    day = calendar.sample(rng, low[customer], high[customer]).astype(np.int64)

    net = np.maximum(
        np.round(book.median_net[customer] * 100 * rng.lognormal(0.0, 0.8, count)), MIN_NET_MINOR
    )
    net = net.astype(np.int64)
    tax = (net * book.vat_bp[customer] + 5_000) // 10_000
    disputed = rng.random(count) < behaviour_array("dispute")[book.profile[customer]]
    items = Items(customer, day, day + book.terms[customer], net + tax, tax, disputed)
    return items.take(np.lexsort((customer, day)))


def proportional_tax(amount: Ints, item_amount: Ints, item_tax: Ints) -> Ints:
    """Return the tax part of ``amount`` out of an item, in proportion, rounded half up."""
    return (2 * amount * item_tax + item_amount) // (2 * item_amount)
