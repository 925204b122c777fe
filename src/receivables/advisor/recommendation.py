"""One recommendation: a measure, the customers it concerns, its evidence and its expected effect."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from receivables.domain.advice import Effect
from receivables.domain.metrics import round_figure
from receivables.domain.money import Currency
from receivables.provisioning.result import money_text


@dataclass(frozen=True)
class Recommendation:
    """``evidence`` maps names to display values: amounts as fixed-place strings, days and
    percentages as strings with two decimals, counts as integers."""

    kind: str
    measure: str
    effect: Effect
    evidence: dict[str, Any]
    customers: tuple[str, ...] = field(default=())

    def to_dict(self, company: Currency) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "measure": self.measure,
            "customers": list(self.customers),
            "evidence": self.evidence,
            "expected_effect": {
                "cash": money_text(self.effect.cash_minor, company),
                "dso_days": figure(self.effect.dso_days),
                "turnover_before": figure(self.effect.turnover_before),
                "turnover_after": figure(self.effect.turnover_after),
            },
        }


def figure(value: Decimal | None) -> str | None:
    """Format a ratio or a number of days with two decimals, half-up; None stays None."""
    rounded = round_figure(value)
    return None if rounded is None else format(rounded, "f")


def hundredths(value: int | None) -> str | None:
    """Format a value stored in hundredths (days late, percentages of the credit package)."""
    return None if value is None else figure(Decimal(int(value)) / 100)
