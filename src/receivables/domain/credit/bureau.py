"""External credit records: bureau scores and ratings, and recorded events.

Providers report on their own scales (0 to 100 where higher is better, 100 to 600 where lower is
better, letter ratings). Each provider's scale is a setting; a report's score is normalized to 0
to 100, higher is better, rounded half-up to two decimals::

    higher is better:  (score - min) / (max - min) * 100
    lower is better:   (max - score) / (max - min) * 100

A report with a rating and no score takes the rating's normalized value from the provider's
``ratings`` table. A score outside the provider's scale, or a rating not in its table, is an
error: a number on an unknown scale cannot be compared.

The bureau features on ``as_of`` are the normalized score of the latest report dated on or before
``as_of`` (stale when older than ``max_age_months``, then it does not count) and the number of
events of each kind dated in the ``event_months`` before ``as_of``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from receivables.domain.credit.dates import add_months, full_months_between
from receivables.domain.credit.errors import CreditError
from receivables.domain.credit.rounding import divide_half_up
from receivables.domain.money import Money

HUNDREDTHS = 100


class EventKind(StrEnum):
    PAYMENT_DEFAULT = "payment_default"
    LEGAL_ACTION = "legal_action"
    INSOLVENCY = "insolvency"


class InvalidBureauRecordError(CreditError, ValueError):
    """A bureau record is off its provider's scale, names an unknown provider or rating."""


@dataclass(frozen=True, slots=True)
class ProviderScale:
    """How one provider scores: the range of its scores, their direction, and its ratings."""

    name: str
    minimum: Decimal = Decimal(0)
    maximum: Decimal = Decimal(100)
    higher_is_better: bool = True
    ratings: Mapping[str, Decimal] = field(default_factory=dict)

    def normalize(self, score: Decimal | None, rating: str | None) -> Decimal:
        """The 0-100 value of a report (higher is better), from its score, else its rating."""
        if score is not None:
            if not self.minimum <= score <= self.maximum:
                raise InvalidBureauRecordError(
                    f"score {score} of {self.name} lies outside its scale "
                    f"{self.minimum} to {self.maximum}"
                )
            return normalized_hundredths(
                to_hundredths(score),
                to_hundredths(self.minimum),
                to_hundredths(self.maximum),
                self.higher_is_better,
            )
        if rating is None:
            raise InvalidBureauRecordError(f"a report of {self.name} needs a score or a rating")
        key = rating.strip().upper()
        if key not in self.ratings:
            known = ", ".join(self.ratings) or "none configured"
            raise InvalidBureauRecordError(
                f"rating {rating!r} is not a rating of {self.name} ({known})"
            )
        return self.ratings[key]


def to_hundredths(value: Decimal) -> int:
    """``value`` in integer hundredths; raise when it has more than two decimals."""
    scaled = value * HUNDREDTHS
    if scaled != scaled.to_integral_value():
        raise InvalidBureauRecordError(f"score {value} has more than two decimals")
    return int(scaled)


def normalized_hundredths(
    score: int, minimum: int, maximum: int, higher_is_better: bool
) -> Decimal:
    """The normalized 0-100 value of a score given, like its scale, in integer hundredths."""
    distance = score - minimum if higher_is_better else maximum - score
    return divide_half_up(distance * 100, maximum - minimum)


@dataclass(frozen=True, slots=True)
class BureauReport:
    """A provider's score or rating of the customer on ``report_date``."""

    provider: str
    report_date: date
    score: Decimal | None
    rating: str | None = None


@dataclass(frozen=True, slots=True)
class BureauEvent:
    """A payment default, legal action or insolvency recorded by a provider."""

    provider: str
    kind: EventKind
    event_date: date
    amount: Money | None = None
    note: str | None = None


@dataclass(frozen=True)
class BureauFeatures:
    """What the scorecard reads from the bureau records on one date."""

    score: Decimal | None
    report: BureauReport | None
    stale: bool
    events: dict[EventKind, int]
    notes: list[str]

    def has_events(self) -> bool:
        return any(self.events.values())


def latest_report(reports: Iterable[BureauReport], as_of: date) -> BureauReport | None:
    """The latest report dated on or before ``as_of``; on a tie, the provider first by name."""
    known = sorted(
        (report for report in reports if report.report_date <= as_of),
        key=lambda report: report.provider,
    )
    return max(known, key=lambda report: report.report_date, default=None)


def bureau_features(
    reports: Iterable[BureauReport],
    events: Iterable[BureauEvent],
    scales: Mapping[str, ProviderScale],
    as_of: date,
    max_age_months: int,
    event_months: int,
) -> BureauFeatures:
    """The normalized score of the latest report and the count of recent events of each kind."""
    report = latest_report(reports, as_of)
    notes: list[str] = []
    score, stale = None, False
    if report is None:
        notes.append("no bureau report")
    else:
        scale = scales.get(report.provider)
        if scale is None:
            raise InvalidBureauRecordError(f"provider {report.provider!r} is not configured")
        age = full_months_between(report.report_date, as_of)
        stale = age > max_age_months
        if stale:
            notes.append(
                f"the bureau report of {report.report_date} is older than {max_age_months} months"
            )
        else:
            score = scale.normalize(report.score, report.rating)
    start = add_months(as_of, -event_months)
    counts = dict.fromkeys(EventKind, 0)
    for event in events:
        if start < event.event_date <= as_of:
            counts[event.kind] += 1
    return BureauFeatures(score, report, stale, counts, notes)
