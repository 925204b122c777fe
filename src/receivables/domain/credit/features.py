"""The scorecard's factor values, read from the three evaluations of a customer.

Every factor is a number with at most two decimals, or ``None`` when unknown. Categories become
numbers so one band mechanism scores them all: ``altman_zone`` is 0 (safe), 1 (grey) or 2
(distress); ``zone_dropped`` and ``negative_equity`` are 0 or 1.

A source counts in the score only when it is available:

- behaviour: at least ``min_items`` items fell due in the history window;
- financial: a statement is on file and not stale;
- bureau: a report that is not stale, or at least one recent event.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from receivables.domain.credit.behaviour import PaymentBehaviour
from receivables.domain.credit.bureau import BureauFeatures, EventKind
from receivables.domain.credit.trend import FinancialEvaluation


class Source(StrEnum):
    BEHAVIOUR = "behaviour"
    FINANCIAL = "financial"
    BUREAU = "bureau"


FACTORS: dict[Source, tuple[str, ...]] = {
    Source.BEHAVIOUR: (
        "weighted_days_late",
        "late_share_percent",
        "max_days_late",
        "disputed_share_percent",
        "broken_promises",
        "days_late_trend",
    ),
    Source.FINANCIAL: (
        "current_ratio",
        "quick_ratio",
        "cash_ratio",
        "debt_to_equity",
        "interest_coverage",
        "net_margin",
        "altman_zone",
        "zone_dropped",
        "negative_equity",
        "sales_growth_percent",
    ),
    Source.BUREAU: ("bureau_score", "payment_defaults", "legal_actions", "insolvencies"),
}

EVENT_FACTORS = {
    EventKind.PAYMENT_DEFAULT: "payment_defaults",
    EventKind.LEGAL_ACTION: "legal_actions",
    EventKind.INSOLVENCY: "insolvencies",
}

Values = dict[str, Decimal | None]


@dataclass(frozen=True)
class SourceValues:
    """A source's factor values, whether it counts, and why not when it does not."""

    source: Source
    available: bool
    values: Values
    note: str | None = None


def behaviour_values(
    behaviour: PaymentBehaviour | None, min_items: int, trend_months: int
) -> SourceValues:
    """The behaviour factors; unavailable with fewer than ``min_items`` items due."""
    if behaviour is None or behaviour.items < min_items:
        count = 0 if behaviour is None else behaviour.items
        note = f"{count} items fell due in the history window, fewer than the {min_items} needed"
        return SourceValues(Source.BEHAVIOUR, False, dict.fromkeys(FACTORS[Source.BEHAVIOUR]), note)
    trend = behaviour.trend(trend_months)
    values: Values = {
        "weighted_days_late": behaviour.weighted_days_late,
        "late_share_percent": behaviour.late_share_percent,
        "max_days_late": None
        if behaviour.max_days_late is None
        else Decimal(behaviour.max_days_late),
        "disputed_share_percent": behaviour.disputed_share_percent,
        "broken_promises": None
        if behaviour.broken_promises is None
        else Decimal(behaviour.broken_promises),
        "days_late_trend": None if trend is None else trend.change,
    }
    return SourceValues(Source.BEHAVIOUR, True, values)


def financial_values(evaluation: FinancialEvaluation | None) -> SourceValues:
    """The financial factors; unavailable without a statement or with a stale one."""
    if evaluation is None:
        return SourceValues(
            Source.FINANCIAL,
            False,
            dict.fromkeys(FACTORS[Source.FINANCIAL]),
            "no financial statement",
        )
    values: Values = {name: ratio.value for name, ratio in evaluation.ratios.items()}
    zone = evaluation.altman.zone
    values["altman_zone"] = None if zone is None else Decimal(zone.rank)
    trend = evaluation.trend
    values["zone_dropped"] = Decimal(int(trend.zone_dropped)) if trend is not None else None
    values["negative_equity"] = Decimal(int(evaluation.statement.equity.amount < 0))
    values["sales_growth_percent"] = trend.sales_growth_percent if trend is not None else None
    if evaluation.stale:
        year, age = evaluation.statement.fiscal_year, evaluation.age_months
        note = f"statement {year} is stale ({age} months old)"
        return SourceValues(Source.FINANCIAL, False, values, note)
    return SourceValues(Source.FINANCIAL, True, values)


def bureau_values(features: BureauFeatures | None) -> SourceValues:
    """The bureau factors; unavailable without a current report and without recent events."""
    if features is None:
        return SourceValues(
            Source.BUREAU, False, dict.fromkeys(FACTORS[Source.BUREAU]), "no bureau record"
        )
    values: Values = {"bureau_score": features.score}
    for kind, name in EVENT_FACTORS.items():
        values[name] = Decimal(features.events.get(kind, 0))
    available = features.score is not None or features.has_events()
    note = None if available else "; ".join(features.notes) or "no current bureau report"
    return SourceValues(Source.BUREAU, available, values, note)
