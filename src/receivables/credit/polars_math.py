"""The credit rounding and band rules as Polars expressions, for the batch path.

Each function mirrors one rule of :mod:`receivables.domain.credit` on integer columns, so a batch
result has the same digits as the single-customer result (the tests check it):

- :func:`divide_half_up` is :func:`receivables.domain.credit.rounding.divide_half_up`, returning
  the quotient as an integer of ``10**-decimals`` units in 128-bit arithmetic;
- :func:`band_points` is :meth:`receivables.domain.credit.bands.Bands.points` on a column of
  hundredths.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import polars as pl

from receivables.domain.credit.bands import Bands
from receivables.domain.credit.rounding import RATIO_DECIMALS

HUNDREDTHS = 100


def divide_half_up(
    numerator: pl.Expr, denominator: pl.Expr, decimals: int = RATIO_DECIMALS
) -> pl.Expr:
    """``numerator / denominator`` in units of ``10**-decimals``, half away from zero; null when
    the denominator is zero or null."""
    top = numerator.cast(pl.Int128)
    bottom = denominator.cast(pl.Int128)
    scale = 10**decimals
    magnitude = ((2 * top.abs() * scale + bottom.abs()) // (2 * bottom.abs())).cast(pl.Int64)
    negative = (top < 0) != (bottom < 0)
    value = pl.when(negative).then(-magnitude).otherwise(magnitude)
    return pl.when(bottom != 0).then(value)


def percent_half_up(part: pl.Expr, whole: pl.Expr, decimals: int = RATIO_DECIMALS) -> pl.Expr:
    """``part / whole * 100`` in units of ``10**-decimals``."""
    return divide_half_up(part.cast(pl.Int128) * 100, whole, decimals)


def hundredths(value: Decimal) -> int:
    """A threshold of at most two decimals as integer hundredths."""
    return int(value * HUNDREDTHS)


def band_points(value: pl.Expr, bands: Bands) -> pl.Expr:
    """The points of each row's value, given in hundredths (null when unknown)."""
    expression: Any = pl.when(value.is_null()).then(pl.lit(bands.missing, pl.Int64))
    for threshold, points in reversed(bands.steps):
        expression = expression.when(value >= hundredths(threshold)).then(pl.lit(points, pl.Int64))
    earned: pl.Expr = expression.otherwise(pl.lit(bands.below, pl.Int64))
    return earned


def from_hundredths(value: int | None) -> Decimal | None:
    """Integer hundredths back to a ``Decimal`` with two decimals."""
    return None if value is None else Decimal(value).scaleb(-2)
