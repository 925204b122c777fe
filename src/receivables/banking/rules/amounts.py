"""Amount fits: how a paid amount settles a set of open items.

The predicates use only arithmetic and comparison operators, so the same function works on
Python ints, NumPy arrays and Polars expressions; the batch candidate search and the single
decision therefore apply one definition. Amounts are integer minor units of the item currency.

Rounding happens at one named point: :func:`discount_amount`, half up to the minor unit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from receivables.banking.rules.proposals import OpenItem, Part
from receivables.banking.rules.settings import Fit, MatchSettings

BASIS = 10_000


def discount_amount(open_minor: Any, basis_points: int) -> Any:
    """The cash discount of ``basis_points`` (200 = 2 %) on an amount, rounded half up."""
    return (open_minor * basis_points + BASIS // 2) // BASIS


def is_exact(paid: Any, open_minor: Any) -> Any:
    return paid == open_minor


def is_discount(paid: Any, open_minor: Any, basis_points: int, tolerance: int) -> Any:
    """Whether ``paid`` is the amount less a discount of ``basis_points``, within ``tolerance``."""
    expected = open_minor - discount_amount(open_minor, basis_points)
    return (paid - expected <= tolerance) & (expected - paid <= tolerance) & (paid < open_minor)


def is_bank_charge(paid: Any, open_minor: Any, fee_tolerance: Any) -> Any:
    """Whether ``paid`` is short of the amount by no more than the bank-charge tolerance."""
    return (paid < open_minor) & (open_minor - paid <= fee_tolerance)


def within_rate(paid: Any, open_minor: Any, basis_points: int) -> Any:
    """Whether a converted amount lies within ``basis_points`` of the amount asked."""
    difference = paid - open_minor
    limit = open_minor * basis_points
    return (difference * BASIS <= limit) & (-difference * BASIS <= limit)


@dataclass(frozen=True)
class AmountFit:
    fit: Fit
    parts: tuple[Part, ...]
    unapplied: int
    detail: str


def in_discount_period(item: OpenItem, booking_date: date, settings: MatchSettings) -> bool:
    return booking_date <= item.document_date + timedelta(days=settings.discount_days)


def fit_amount(
    paid: int,
    items: Sequence[OpenItem],
    booking_date: date,
    settings: MatchSettings,
    fee_tolerance: int,
    converted: bool = False,
) -> AmountFit:
    """Decide how ``paid`` settles ``items`` (oldest due first); never over-allocates an item.

    Tried in order: exact, cash discount (every item in its discount period), bank charges,
    exchange-rate difference (only for converted payments), overpayment, partial payment.
    """
    ordered = sorted(items, key=lambda item: (item.due_date, item.document_id))
    asked = sum(item.open_minor for item in ordered)
    full = tuple(Part(item.document_id, item.open_minor) for item in ordered)
    if is_exact(paid, asked):
        return AmountFit(Fit.EXACT, full, 0, f"paid {paid} equals the {asked} open")
    if not converted:
        discounted = _discount_fit(paid, ordered, booking_date, settings)
        if discounted is not None:
            return discounted
    if is_bank_charge(paid, asked, fee_tolerance):
        parts = _short_on_last(full, asked - paid, "bank_charges")
        return AmountFit(
            Fit.BANK_CHARGES, parts, 0, f"{asked - paid} short of {asked}, within bank charges"
        )
    if converted and within_rate(paid, asked, settings.fx_tolerance_basis_points):
        if paid >= asked:
            return AmountFit(
                Fit.EXCHANGE_RATE, full, paid - asked, "converted amount within the rate tolerance"
            )
        parts = _short_on_last(full, asked - paid, "exchange_difference")
        return AmountFit(Fit.EXCHANGE_RATE, parts, 0, "converted amount within the rate tolerance")
    if paid > asked:
        return AmountFit(
            Fit.OVERPAYMENT,
            full,
            paid - asked,
            f"paid {paid}, {paid - asked} more than the {asked} open",
        )
    return AmountFit(
        Fit.PARTIAL, _fill_oldest(paid, ordered), 0, f"paid {paid} of the {asked} open"
    )


def _discount_fit(
    paid: int, ordered: Sequence[OpenItem], booking_date: date, settings: MatchSettings
) -> AmountFit | None:
    if not all(in_discount_period(item, booking_date, settings) for item in ordered):
        return None
    tolerance = settings.rounding_tolerance_minor * len(ordered)
    asked = sum(item.open_minor for item in ordered)
    for basis_points in settings.discount_basis_points:
        discounts = [discount_amount(item.open_minor, basis_points) for item in ordered]
        expected = asked - sum(discounts)
        if not (paid < asked and abs(paid - expected) <= tolerance):
            continue
        # The rounding difference goes to the last item's discount, so parts add up to paid.
        discounts[-1] -= paid - expected
        if discounts[-1] < 0:
            continue
        parts = tuple(
            Part(item.document_id, item.open_minor - discount, discount=discount)
            for item, discount in zip(ordered, discounts, strict=True)
        )
        percent = Decimal(basis_points) / 100
        return AmountFit(Fit.DISCOUNT, parts, 0, f"cash discount of {percent}% taken")
    return None


def _short_on_last(parts: tuple[Part, ...], short: int, field: str) -> tuple[Part, ...]:
    """Take ``short`` off the allocations from the last item backwards, booking it as ``field``."""
    result = list(parts)
    for index in range(len(result) - 1, -1, -1):
        if short <= 0:
            break
        part = result[index]
        taken = min(short, part.allocation)
        result[index] = Part(part.document_id, part.allocation - taken, **{field: taken})
        short -= taken
    return tuple(part for part in result)


def _fill_oldest(paid: int, ordered: Sequence[OpenItem]) -> tuple[Part, ...]:
    parts = []
    remaining = paid
    for item in ordered:
        allocation = min(remaining, item.open_minor)
        parts.append(Part(item.document_id, allocation, short=item.open_minor - allocation))
        remaining -= allocation
    return tuple(part for part in parts if part.allocation > 0 or part.short > 0)


def convert_minor(amount: int, rate: Decimal, source_unit: int, target_unit: int) -> int:
    """Convert minor units at ``rate`` target units per source unit, rounded half up."""
    value = Decimal(amount).scaleb(-source_unit) * rate
    return int(value.scaleb(target_unit).quantize(Decimal(1), rounding=ROUND_HALF_UP))
