"""Branch-free building blocks for rules that run on one customer and on whole columns.

Each helper uses only comparisons, ``+``, ``-`` and ``*``, so it accepts plain integers as well
as Polars column expressions. A condition becomes a 0/1 flag with :func:`flag`; flags combine by
multiplication (and) and :func:`either` (or). Python's ``~`` and ``not`` are never used, because
``~True`` is ``-2`` on integers: :func:`negate` takes a flag and returns its complement.
"""

from __future__ import annotations

from typing import Any


def flag(condition: Any) -> Any:
    """Return 1 where ``condition`` is true and 0 elsewhere."""
    return condition * 1


def negate(value: Any) -> Any:
    """Return the complement of a 0/1 flag."""
    return 1 - value


def either(first: Any, second: Any) -> Any:
    """Return 1 where either 0/1 flag is set."""
    return first + second - first * second


def select(condition_flag: Any, if_true: Any, if_false: Any) -> Any:
    """Return ``if_true`` where the 0/1 flag is set, else ``if_false``."""
    return if_false + (if_true - if_false) * condition_flag


def maximum(first: Any, second: Any) -> Any:
    return select(flag(second > first), second, first)


def minimum(first: Any, second: Any) -> Any:
    return select(flag(second < first), second, first)


def first_match(flags: list[Any], values: list[int], default: int) -> Any:
    """Return the value of the first set 0/1 flag, else ``default``.

    Written as a sum of products, so each flag appears a bounded number of times. A nested chain
    of :func:`select` would copy the inner chain at every step, so a column expression would
    double in size with each flag.
    """
    result: Any = 0
    none_before: Any = 1
    for condition, value in zip(flags, values, strict=True):
        result = result + value * condition * none_before
        none_before = none_before * negate(condition)
    return result + default * none_before


def last_match(flags: list[Any], values: list[int], default: int) -> Any:
    """Return the value of the last set 0/1 flag, else ``default``."""
    return first_match(list(reversed(flags)), list(reversed(values)), default)
