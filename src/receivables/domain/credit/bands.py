"""Point bands: how a factor's value turns into scorecard points.

A factor's bands are ascending thresholds, each with the points a value at or above it earns; a
value below the first threshold earns ``below``, and a missing value earns ``missing``::

    below = 10, steps = [(5, 0), (15, -10), (30, -25)]
    value 3 -> 10, value 5 -> 0, value 29.99 -> -10, value 30 -> -25, no value -> missing

Thresholds have at most two decimals, the precision of every feature, so the batch path compares
integer hundredths and gets the same points.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from receivables.domain.credit.errors import CreditConfigError

THRESHOLD_QUANTUM = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Bands:
    """A factor's points: ``below`` the first step, then from each threshold on its points."""

    below: int
    steps: tuple[tuple[Decimal, int], ...]
    missing: int = 0

    @staticmethod
    def build(
        key: str, below: int, steps: Sequence[tuple[Decimal, int]], missing: int = 0
    ) -> Bands:
        """Check and build bands; ``key`` names the setting in errors."""
        thresholds = [threshold for threshold, _ in steps]
        if not steps:
            raise CreditConfigError(key, "needs at least one step [threshold, points]")
        if thresholds != sorted(thresholds) or len(set(thresholds)) != len(thresholds):
            raise CreditConfigError(
                key, f"thresholds {[str(t) for t in thresholds]} must rise strictly"
            )
        for threshold in thresholds:
            if threshold != threshold.quantize(THRESHOLD_QUANTUM):
                raise CreditConfigError(key, f"threshold {threshold} has more than two decimals")
        return Bands(below, tuple(steps), missing)

    def points(self, value: Decimal | None) -> int:
        """The points ``value`` earns."""
        if value is None:
            return self.missing
        earned = self.below
        for threshold, points in self.steps:
            if value < threshold:
                break
            earned = points
        return earned
