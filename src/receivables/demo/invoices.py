"""Invoices of the synthetic company: who is billed, when, how much, and which are disputed.

Amounts are integer minor units. All generated currencies (EUR, USD, GBP) have two decimals, so
one minor unit is a cent everywhere.

Due dates follow each customer's payment term. An invoice on ``50% net30, net60`` becomes two
open items, its instalments: the first takes half the amount rounded half up and its share of
the tax, rounded the same way, the second the rest. That is the split the importer makes from
the term, so the items the generator pays are the instalments the import stores.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from receivables.demo.calendar import Calendar
from receivables.demo.customers import TERM_END_OF_MONTH, TERM_INSTALMENTS, CustomerBook, behaviour_array

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
    instalment: Ints
    """The instalment number: 1, or 2 for the second half of an invoice on instalments."""

    @property
    def size(self) -> int:
        return int(self.customer.shape[0])

    def take(self, order: npt.NDArray[np.int64]) -> Items:
        return Items(
            self.customer[order], self.day[order], self.due[order],
            self.amount[order], self.tax[order], self.disputed[order], self.instalment[order],
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
    """Draw exactly ``count`` invoices, sorted by date; return their open items (instalments).

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
    due = _due_dates(day, book.terms[customer], book.term_rule[customer])
    ones = np.ones(count, dtype=np.int64)
    items = Items(customer, day, due, net + tax, tax, disputed, ones)
    return _instalments(items.take(np.lexsort((customer, day))), book)


def _due_dates(day: Ints, terms: npt.NDArray[np.int32], rule: Ints) -> Ints:
    """Return the due date of each invoice (of its first instalment on instalment terms)."""
    month_end = (day.astype("datetime64[D]").astype("datetime64[M]") + 1).astype("datetime64[D]")
    end_of_month = month_end.astype(np.int64) - 1 + 30
    first_half = day + 30
    due = np.where(rule == TERM_END_OF_MONTH, end_of_month, day + terms)
    return np.where(rule == TERM_INSTALMENTS, first_half, due).astype(np.int64)


def _instalments(invoices: Items, book: CustomerBook) -> Items:
    """Split each invoice on instalment terms into its two instalments, kept next to each other."""
    split = book.term_rule[invoices.customer] == TERM_INSTALMENTS
    order = np.repeat(np.arange(invoices.size), np.where(split, 2, 1))
    items = invoices.take(order)
    second = np.zeros(order.shape[0], dtype=np.bool_)
    second[1:] = order[1:] == order[:-1]
    halves = split[order]
    first_part = (items.amount + 1) // 2
    first_tax = (2 * items.tax * first_part + items.amount) // (2 * items.amount)
    amount = np.where(halves, np.where(second, items.amount - first_part, first_part), items.amount)
    tax = np.where(halves, np.where(second, items.tax - first_tax, first_tax), items.tax)
    return Items(
        items.customer, items.day, np.where(second, items.day + 60, items.due), amount, tax,
        items.disputed, np.where(second, 2, 1).astype(np.int64),
    )  # fmt: skip


def proportional_tax(amount: Ints, item_amount: Ints, item_tax: Ints) -> Ints:
    """Return the tax part of ``amount`` out of an item, in proportion, rounded half up."""
    return (2 * amount * item_tax + item_amount) // (2 * item_amount)
