"""Payment behaviour of a customer, read from our own ledger as of a date.

The items looked at are the customer's debit documents (invoices and debit notes) that fell due
in the history window: due on or before ``as_of`` and after ``as_of`` minus ``history_months``.
Items not yet due say nothing about payment behaviour and are left out.

An item's days late on ``as_of``: when it was fully settled on or before ``as_of``, the days from
its due date to the settling date (the date of its last allocation); when it is still open, the
days from its due date to ``as_of``, the least it will be late. Never below zero. Each item
weighs its gross amount in the company currency, converted at its own document's rate.

Features, amounts weighted, percentages and averages rounded half-up to two decimals:

- ``weighted_days_late``: sum(amount * days late) / sum(amount);
- ``late_share_percent``: the share of the amount that was (or is) paid late;
- ``max_days_late``: the longest delay of any item;
- ``disputed_share_percent``: the share of the amount in documents marked disputed;
- ``broken_promises``: promises to pay found broken in the window (see :func:`promise_window`),
  ``None`` when the caller does not know them;
- for each recent window of 3, 6 and 12 months: the weighted days late of the items due in the
  window against those due before it in the history, and the change between the two.

Both the single-customer path (:func:`payment_behaviour`) and the batch path add the same integer
sums (:class:`BehaviourSums`) and turn them into features with :func:`behaviour_from_sums`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from receivables.domain.credit.dates import add_months
from receivables.domain.credit.rounding import divide_half_up, percent_half_up

RECENT_WINDOWS = (3, 6, 12)


@dataclass(frozen=True, slots=True)
class ItemHistory:
    """One debit document: due date, gross amount in company minor units, settling date, dispute."""

    due_date: date
    amount_minor: int
    settled_on: date | None
    disputed: bool = False

    def days_late(self, as_of: date) -> int:
        """Days from the due date to settlement, or to ``as_of`` while still open; at least 0."""
        settled = self.settled_on is not None and self.settled_on <= as_of
        end = self.settled_on if settled and self.settled_on is not None else as_of
        return max(0, (end - self.due_date).days)


@dataclass(frozen=True, slots=True)
class WindowSums:
    """Amount and amount * days late of the items due in a recent window and before it."""

    months: int
    recent_amount: int = 0
    recent_weighted_days: int = 0
    prior_amount: int = 0
    prior_weighted_days: int = 0


@dataclass(frozen=True, slots=True)
class BehaviourSums:
    """The integer sums every behaviour feature is computed from."""

    items: int
    amount: int
    weighted_days: int
    late_amount: int
    disputed_amount: int
    max_days_late: int
    windows: tuple[WindowSums, ...]
    broken_promises: int | None = None


@dataclass(frozen=True, slots=True)
class WindowTrend:
    """Weighted days late of a recent window against the months before it."""

    months: int
    recent: Decimal | None
    prior: Decimal | None

    @property
    def change(self) -> Decimal | None:
        """``recent - prior`` in days: positive when the customer pays later than before."""
        if self.recent is None or self.prior is None:
            return None
        return self.recent - self.prior


@dataclass(frozen=True, slots=True)
class PaymentBehaviour:
    """The behaviour features of one customer; averages are ``None`` when no item fell due."""

    items: int
    weighted_days_late: Decimal | None
    late_share_percent: Decimal | None
    max_days_late: int | None
    disputed_share_percent: Decimal | None
    broken_promises: int | None
    trends: tuple[WindowTrend, ...]

    def trend(self, months: int) -> WindowTrend | None:
        """The trend of the window of ``months`` months, if it was computed."""
        return next((trend for trend in self.trends if trend.months == months), None)


def _average(weighted: int, amount: int) -> Decimal | None:
    return divide_half_up(weighted, amount) if amount > 0 else None


def behaviour_from_sums(sums: BehaviourSums) -> PaymentBehaviour:
    """Turn the sums of a customer's items into its features."""
    trends = tuple(
        WindowTrend(
            window.months,
            _average(window.recent_weighted_days, window.recent_amount),
            _average(window.prior_weighted_days, window.prior_amount),
        )
        for window in sums.windows
    )
    has_amount = sums.amount > 0
    return PaymentBehaviour(
        items=sums.items,
        weighted_days_late=_average(sums.weighted_days, sums.amount),
        late_share_percent=percent_half_up(sums.late_amount, sums.amount) if has_amount else None,
        max_days_late=sums.max_days_late if sums.items else None,
        disputed_share_percent=percent_half_up(sums.disputed_amount, sums.amount) if has_amount else None,
        broken_promises=sums.broken_promises,
        trends=trends,
    )


def history_start(as_of: date, history_months: int) -> date:
    """Items due after this date and on or before ``as_of`` are in the history window."""
    return add_months(as_of, -history_months)


def promise_window(as_of: date, history_months: int) -> tuple[date, date]:
    """The first and last day (both included) on which a broken promise counts in the window."""
    return history_start(as_of, history_months) + timedelta(days=1), as_of


def behaviour_sums(
    items: Iterable[ItemHistory],
    as_of: date,
    history_months: int,
    windows: tuple[int, ...] = RECENT_WINDOWS,
    broken_promises: int | None = None,
) -> BehaviourSums:
    """Add up the items due in the history window (one customer, single-item path)."""
    start = history_start(as_of, history_months)
    due = [item for item in items if start < item.due_date <= as_of]
    days = [item.days_late(as_of) for item in due]
    window_sums = []
    for months in windows:
        cut = add_months(as_of, -months)
        recent = [(item, late) for item, late in zip(due, days, strict=True) if item.due_date > cut]
        prior = [(item, late) for item, late in zip(due, days, strict=True) if item.due_date <= cut]
        window_sums.append(
            WindowSums(
                months,
                sum(item.amount_minor for item, _ in recent),
                sum(item.amount_minor * late for item, late in recent),
                sum(item.amount_minor for item, _ in prior),
                sum(item.amount_minor * late for item, late in prior),
            )
        )
    return BehaviourSums(
        items=len(due),
        amount=sum(item.amount_minor for item in due),
        weighted_days=sum(item.amount_minor * late for item, late in zip(due, days, strict=True)),
        late_amount=sum(item.amount_minor for item, late in zip(due, days, strict=True) if late > 0),
        disputed_amount=sum(item.amount_minor for item in due if item.disputed),
        max_days_late=max(days, default=0),
        windows=tuple(window_sums),
        broken_promises=broken_promises,
    )


def payment_behaviour(
    items: Iterable[ItemHistory],
    as_of: date,
    history_months: int,
    broken_promises: int | None = None,
) -> PaymentBehaviour:
    """The behaviour features of one customer's items as of ``as_of``."""
    return behaviour_from_sums(behaviour_sums(items, as_of, history_months, broken_promises=broken_promises))
