"""Exact division with half-up rounding: the one rounding rule of every credit ratio and score.

Ratios of amounts are computed from integer minor units, so the quotient is exact before it is
rounded once, half away from zero (``ROUND_HALF_UP``), to a fixed number of decimals. The batch
paths do the same integer arithmetic on 128-bit columns, so both give the same digits.
"""

from __future__ import annotations

from decimal import Decimal

RATIO_DECIMALS = 2


def divide_half_up(numerator: int, denominator: int, decimals: int = RATIO_DECIMALS) -> Decimal:
    """Return ``numerator / denominator`` rounded half away from zero to ``decimals`` places.

    >>> divide_half_up(5, 8)
    Decimal('0.63')
    >>> divide_half_up(-5, 8)
    Decimal('-0.63')
    """
    if denominator == 0:
        raise ZeroDivisionError("divide_half_up needs a non-zero denominator")
    scale = 10**decimals
    magnitude = (2 * abs(numerator) * scale + abs(denominator)) // (2 * abs(denominator))
    negative = (numerator < 0) != (denominator < 0)
    return Decimal(-magnitude if negative else magnitude).scaleb(-decimals)


def percent_half_up(part: int, whole: int, decimals: int = RATIO_DECIMALS) -> Decimal:
    """Return ``part / whole * 100`` rounded half away from zero: the share in percent."""
    return divide_half_up(part * 100, whole, decimals)
