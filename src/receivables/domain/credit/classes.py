"""Risk classes A (best) to E (worst) and the minimum scores that give them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from receivables.domain.credit.errors import CreditConfigError


class RiskClass(StrEnum):
    A = "A"
    B = "B"
    C = "C"
    D = "D"
    E = "E"

    @property
    def rank(self) -> int:
        """0 for A to 4 for E: a higher rank is a worse class."""
        return CLASS_ORDER.index(self)


CLASS_ORDER = (RiskClass.A, RiskClass.B, RiskClass.C, RiskClass.D, RiskClass.E)


def worse(first: RiskClass, second: RiskClass) -> RiskClass:
    """The worse of two classes."""
    return first if first.rank >= second.rank else second


@dataclass(frozen=True, slots=True)
class ClassThresholds:
    """The minimum score of classes A to D; a score below the D minimum is class E."""

    minimums: tuple[Decimal, Decimal, Decimal, Decimal]

    def __post_init__(self) -> None:
        values = list(self.minimums)
        if values != sorted(values, reverse=True) or len(set(values)) != len(values):
            raise CreditConfigError(
                "scorecard.classes", f"minimum scores {values} must fall strictly from A to D"
            )
        if not all(Decimal(0) < value <= Decimal(100) for value in values):
            raise CreditConfigError(
                "scorecard.classes", "minimum scores must lie above 0 and at most 100"
            )

    def classify(self, score: Decimal) -> RiskClass:
        """The best class whose minimum ``score`` reaches."""
        for risk_class, minimum in zip(CLASS_ORDER, self.minimums, strict=False):
            if score >= minimum:
                return risk_class
        return RiskClass.E
