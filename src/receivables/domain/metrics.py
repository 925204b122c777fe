"""Formulas of the receivables metrics, each defined once.

Every formula uses only arithmetic operators, so the same function computes one figure from
``Decimal`` values and a whole column of figures from vectorized expressions. Callers pass a
non-zero denominator; :func:`ratio_or_none` guards scalar calls.

Terms, all amounts in the report currency:

- ``ar_start``: receivables at the end of the day before the period;
- ``ar_end``: receivables at the end of the as-of date (open items, before unapplied credit);
- ``current_ar``: the part of ``ar_end`` not yet past due;
- ``credit_sales``: invoices plus debit notes minus credit notes dated in the period;
- ``days``: the length of the period in days.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeVar

N = TypeVar("N")

FIGURE_PLACES = Decimal("0.01")


def dso_simple(ar_end: N, credit_sales: N, days: Any) -> N:
    """Days sales outstanding: ``ar_end / credit_sales * days``."""
    return ar_end / credit_sales * days  # type: ignore[operator,no-any-return]


def best_possible_dso(current_ar: N, credit_sales: N, days: Any) -> N:
    """The DSO if every customer paid on the due date: ``current_ar / credit_sales * days``."""
    return current_ar / credit_sales * days  # type: ignore[operator,no-any-return]


def average_days_delinquent(dso: N, best_dso: N) -> N:
    """``dso - best_possible_dso``: the days that late payment adds to DSO."""
    return dso - best_dso  # type: ignore[operator,no-any-return]


def turnover(credit_sales: N, ar_start: N, ar_end: N) -> N:
    """AR turnover over the period: ``credit_sales / ((ar_start + ar_end) / 2)``."""
    return credit_sales / ((ar_start + ar_end) / 2)  # type: ignore[operator,no-any-return]


def turnover_days(days: Any, turnover_ratio: N) -> N:
    """``days / turnover``: the average days an amount stays in receivables during the period."""
    return days / turnover_ratio  # type: ignore[no-any-return]


def cei(ar_start: N, credit_sales: N, ar_end: N, current_ar_end: N) -> N:
    """Collection effectiveness index in percent.

    ``(ar_start + credit_sales - ar_end) / (ar_start + credit_sales - current_ar_end) * 100``:
    what was collected against what could have been collected in the period.
    """
    collectible = ar_start + credit_sales - current_ar_end  # type: ignore[operator]
    return (ar_start + credit_sales - ar_end) / collectible * 100  # type: ignore[operator,no-any-return]


@dataclass(frozen=True, slots=True)
class MonthSales:
    """Credit sales of one calendar month (or the month to date) and the days it spans."""

    sales: Decimal
    days: int


def dso_countback(ar_end: Decimal, months: Sequence[MonthSales]) -> Decimal:
    """DSO by the countback method.

    ``months`` run backwards from the as-of month, whose entry covers the month to date. Each month
    whose sales ``ar_end`` still covers adds all its days and is subtracted; the first month it does
    not cover adds the covered fraction of its days. When the history runs out first, the result is
    the days of all months given (a lower bound).

    >>> dso_countback(Decimal(150), [MonthSales(Decimal(100), 30), MonthSales(Decimal(100), 31)])
    Decimal('45.5')
    """
    remaining = ar_end
    result = Decimal(0)
    for month in months:
        if remaining <= 0:
            break
        if month.sales > 0 and remaining < month.sales:
            return result + remaining / month.sales * month.days
        remaining -= max(month.sales, Decimal(0))
        result += month.days
    return result


def ratio_or_none(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    """``numerator / denominator``, or None when the denominator is zero."""
    return None if denominator == 0 else numerator / denominator


def round_figure(value: Decimal | None) -> Decimal | None:
    """The named rounding point of reported figures: two decimals, ``ROUND_HALF_UP``."""
    return None if value is None else value.quantize(FIGURE_PLACES, rounding=ROUND_HALF_UP)
