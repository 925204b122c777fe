"""Warning signs of a customer going bad, and when a customer is due for review.

Warning signs on ``as_of``:

- ``days_late_trending_up``: the weighted days late of the recent window exceed those of the
  months before by at least ``trend_warning_days``;
- ``limit_use_high``: exposure exceeds ``usage_warning_percent`` (90 by default) of the approved
  limit;
- ``new_bureau_event``: a bureau event dated after the previous review (or, at the first
  review, in the event window);
- ``broken_promise``: a promise to pay was broken in the history window;
- ``zone_dropped``: the latest statement's Altman zone is worse than the previous one's.

A customer is due for review when the review date of its approved limit has come, when it has
exposure but no approved limit, or when its class got worse in this review.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from receivables.domain.credit.classes import RiskClass
from receivables.domain.credit.policy import CreditPolicy
from receivables.domain.credit.rounding import percent_half_up


class WarningSign(StrEnum):
    DAYS_LATE_TRENDING_UP = "days_late_trending_up"
    LIMIT_USE_HIGH = "limit_use_high"
    NEW_BUREAU_EVENT = "new_bureau_event"
    BROKEN_PROMISE = "broken_promise"
    ZONE_DROPPED = "zone_dropped"


@dataclass(frozen=True, slots=True)
class MonitoringInputs:
    """One customer's figures for the warning signs; amounts in company minor units."""

    trend_change: Decimal | None
    exposure_minor: int
    limit_minor: int | None
    new_bureau_events: int
    broken_promises: int | None
    zone_dropped: bool


def usage_percent(exposure_minor: int, limit_minor: int) -> Decimal | None:
    """Exposure as a percentage of a positive limit, rounded half-up to two decimals."""
    return percent_half_up(exposure_minor, limit_minor) if limit_minor > 0 else None


def limit_use_high(
    exposure_minor: int, limit_minor: int | None, threshold_percent: Decimal
) -> bool:
    """Whether exposure exceeds ``threshold_percent`` of the approved limit (exactly, unrounded)."""
    if limit_minor is None or exposure_minor <= 0:
        return False
    return Decimal(exposure_minor) * 100 > threshold_percent * limit_minor


def warning_signs(inputs: MonitoringInputs, policy: CreditPolicy) -> list[WarningSign]:
    """The warning signs that hold for one customer, in the order of :class:`WarningSign`."""
    signs = []
    if inputs.trend_change is not None and inputs.trend_change >= policy.trend_warning_days:
        signs.append(WarningSign.DAYS_LATE_TRENDING_UP)
    if limit_use_high(inputs.exposure_minor, inputs.limit_minor, policy.usage_warning_percent):
        signs.append(WarningSign.LIMIT_USE_HIGH)
    if inputs.new_bureau_events > 0:
        signs.append(WarningSign.NEW_BUREAU_EVENT)
    if inputs.broken_promises:
        signs.append(WarningSign.BROKEN_PROMISE)
    if inputs.zone_dropped:
        signs.append(WarningSign.ZONE_DROPPED)
    return signs


def review_reason(
    as_of: date,
    review_date: date | None,
    limit_minor: int | None,
    exposure_minor: int,
    old_class: RiskClass | None,
    new_class: RiskClass,
) -> str | None:
    """Why the customer is due for review on ``as_of``, or ``None`` when it is not."""
    if review_date is not None and review_date <= as_of:
        return f"review date {review_date} reached"
    if limit_minor is None and exposure_minor > 0:
        return "exposure without an approved limit"
    if old_class is not None and new_class.rank > old_class.rank:
        return f"class fell from {old_class.value} to {new_class.value}"
    return None
