"""The scorecard: from the factor values of three sources to a 0-100 score and a risk class.

For each available source, its sub-score is ``base + sum of its factors' points``, clipped to 0 to
100 (whole numbers). The score is the weighted mean of the available sources' sub-scores with the
configured weights, rounded half-up to one decimal::

    score = sum(weight * sub_score) / sum(weight)      over the available sources

so a missing source neither helps nor hurts: its weight goes to the others. With no source
available the score is ``no_data_score``. The class comes from the score by
:class:`ClassThresholds`; a recent bureau event may then cap it (``knockouts``: an insolvency
makes the class at best E, for example).

Each factor's contribution to the score is ``points * weight / sum(weight)`` of its source, the
amount it moved the score before clipping. The explanation lists the factors that moved it,
largest first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from receivables.domain.credit.bands import Bands
from receivables.domain.credit.bureau import EventKind
from receivables.domain.credit.classes import ClassThresholds, RiskClass, worse
from receivables.domain.credit.features import EVENT_FACTORS, Source, SourceValues
from receivables.domain.credit.rounding import divide_half_up

SCORE_DECIMALS = 1
MAX_SUB_SCORE = 100
TENTH = Decimal("0.1")


@dataclass(frozen=True)
class SourceRules:
    """A source's weight in the score, its base sub-score, and the bands of its factors."""

    weight: int
    base: int
    factors: Mapping[str, Bands]


@dataclass(frozen=True)
class Scorecard:
    """Weights, bands, class thresholds and knockouts; see ``docs/credit.md`` for the defaults."""

    sources: Mapping[Source, SourceRules]
    classes: ClassThresholds
    no_data_score: Decimal
    knockouts: Mapping[EventKind, RiskClass] = field(default_factory=dict)
    min_behaviour_items: int = 3
    trend_months: int = 6


@dataclass(frozen=True, slots=True)
class Factor:
    """One factor of the explanation: its value, points, and how much it moved the score."""

    source: Source
    name: str
    value: Decimal | None
    points: int
    contribution: Decimal


@dataclass(frozen=True, slots=True)
class SourceScore:
    """A source's sub-score and its share of the score, or why it does not count."""

    source: Source
    available: bool
    sub_score: int | None
    weight_percent: Decimal
    note: str | None


@dataclass(frozen=True)
class CreditScore:
    """The score, its class, the class before knockouts, and the explanation."""

    score: Decimal
    risk_class: RiskClass
    score_class: RiskClass
    sources: list[SourceScore]
    factors: list[Factor]
    knockout: str | None = None

    def moved_by(self) -> list[Factor]:
        """The factors with points, largest contribution first."""
        moved = [factor for factor in self.factors if factor.points != 0]
        return sorted(moved, key=lambda factor: (-abs(factor.contribution), factor.name))


def source_points(rules: SourceRules, values: SourceValues) -> dict[str, int]:
    """The points of each factor of a source that has bands."""
    return {name: bands.points(values.values.get(name)) for name, bands in rules.factors.items()}


def sub_score(rules: SourceRules, points: Mapping[str, int]) -> int:
    """``base + sum(points)`` clipped to 0..100."""
    return max(0, min(MAX_SUB_SCORE, rules.base + sum(points.values())))


def _knockout(
    card: Scorecard, events: Mapping[str, Decimal | None]
) -> tuple[RiskClass | None, str | None]:
    worst: RiskClass | None = None
    reasons = []
    for kind, cap in card.knockouts.items():
        count = events.get(EVENT_FACTORS[kind])
        if count is not None and count > 0:
            worst = cap if worst is None else worse(worst, cap)
            reasons.append(f"{kind.value} on record: class {cap.value} at best")
    return worst, "; ".join(reasons) or None


def score_customer(card: Scorecard, inputs: list[SourceValues]) -> CreditScore:
    """Combine the sources' values into the score, the class and the explanation."""
    available = [
        values for values in inputs if values.available and card.sources[values.source].weight > 0
    ]
    total_weight = sum(card.sources[values.source].weight for values in available)
    sources, factors, weighted = [], [], 0
    for values in inputs:
        rules = card.sources[values.source]
        counts = values in available
        share = Decimal(rules.weight) / total_weight if counts else Decimal(0)
        points = source_points(rules, values) if counts else {}
        own = sub_score(rules, points) if counts else None
        if own is not None:
            weighted += rules.weight * own
        sources.append(
            SourceScore(
                values.source,
                counts,
                own,
                (share * 100).quantize(TENTH, ROUND_HALF_UP),
                values.note,
            )
        )
        factors += [
            Factor(
                values.source,
                name,
                values.values.get(name),
                value,
                (value * share).quantize(TENTH, ROUND_HALF_UP),
            )
            for name, value in points.items()
        ]
    if total_weight:
        score = divide_half_up(weighted, total_weight, SCORE_DECIMALS)
    else:
        score = card.no_data_score.quantize(TENTH, ROUND_HALF_UP)
    score_class = card.classes.classify(score)
    bureau = next((values for values in inputs if values.source is Source.BUREAU), None)
    cap, reason = _knockout(card, bureau.values if bureau else {})
    risk_class = score_class if cap is None else worse(score_class, cap)
    return CreditScore(score, risk_class, score_class, sources, factors, reason if cap else None)
