"""Recommendations: the thresholds that make a finding worth a measure, and the effect rules.

Every recommendation states its expected effect in the same three figures, so they can be
ordered by effect:

- ``cash``: receivables brought in earlier, or exposure taken off, in company minor units;
- ``dso_days``: ``cash / daily credit sales``, the days the simple DSO falls by;
- ``turnover``: the yearly receivables turnover ``365 / DSO`` before and after.

Steady-state rule behind most effects: receivables = daily credit sales * days to pay, so
``n`` days less to pay on sales ``s`` of a period of ``p`` days bring in ``s * n / p``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from receivables.domain.errors import ReceivablesError

YEAR_DAYS = 365
# Shorter terms still give the customer this many days to pay; cash in advance is another measure.
MIN_TERM_DAYS = 7


class InvalidAdvicePolicyError(ReceivablesError, ValueError):
    """A threshold of the advice policy is out of range."""


@dataclass(frozen=True, slots=True)
class AdvicePolicy:
    """The thresholds above which a finding becomes a recommendation.

    ``late_days``: weighted days late over the history that warrant shorter terms.
    ``segment_gap_days``: days later than the customer's segment that warrant a stricter segment.
    ``minimum_items``: items due in the history before a customer's behaviour counts.
    ``dispute_share_percent`` and ``dispute_items``: a customer with many disputes has both.
    ``worsening_days``: rise of the weighted days late of the last 3 months against the months
    before that marks a deteriorating customer.
    ``largest_share_percent`` and ``top5_share_percent``: concentration limits of the receivables.
    ``response_days``: days after a dunning notice in which a payment counts as its response.
    ``weak_response_ratio``: a level and channel responding at less than this share of the best
    channel of the same level does not work.
    ``top``: recommendations listed per kind, the largest effects first.
    """

    late_days: int = 15
    segment_gap_days: int = 10
    minimum_items: int = 5
    dispute_share_percent: Decimal = Decimal(10)
    dispute_items: int = 3
    worsening_days: int = 10
    largest_share_percent: Decimal = Decimal(10)
    top5_share_percent: Decimal = Decimal(40)
    response_days: int = 14
    weak_response_ratio: Decimal = Decimal("0.5")
    top: int = 10

    def __post_init__(self) -> None:
        for name in ("late_days", "minimum_items", "dispute_items", "worsening_days", "response_days", "top"):
            if getattr(self, name) < 1:
                raise InvalidAdvicePolicyError(
                    f"advice threshold {name} {getattr(self, name)} must be 1 or more"
                )
        if not Decimal(0) < self.weak_response_ratio <= 1:
            raise InvalidAdvicePolicyError(
                f"weak_response_ratio {self.weak_response_ratio} must lie in (0, 1], such as 0.5"
            )


@dataclass(frozen=True, slots=True)
class Effect:
    """The expected effect of a measure; ``cash`` in company minor units, days to two decimals."""

    cash_minor: int
    dso_days: Decimal | None
    turnover_before: Decimal | None
    turnover_after: Decimal | None


def cash_from_days(sales_minor: int, days: Decimal | int, period_days: int) -> int:
    """Receivables released when sales of the period are paid ``days`` days sooner, half-up."""
    value = Decimal(sales_minor) * Decimal(days) / period_days
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def effect_of_cash(cash_minor: int, sales_minor: int, period_days: int, dso: Decimal | None) -> Effect:
    """Turn cash brought in into DSO days and the yearly turnover before and after.

    ``sales_minor`` are the company's credit sales of the ``period_days`` days; without sales or
    DSO the days and turnover are None.
    """
    if sales_minor <= 0 or dso is None or dso <= 0:
        return Effect(cash_minor, None, None, None)
    days = Decimal(cash_minor) * period_days / Decimal(sales_minor)
    after = dso - days
    turnover_after = Decimal(YEAR_DAYS) / after if after > 0 else None
    return Effect(cash_minor, days, Decimal(YEAR_DAYS) / dso, turnover_after)


def shorter_terms_days(weighted_days_late: Decimal, term_days: int | None) -> int:
    """Return the days to shorten a late payer's terms by: its weighted days late, whole.

    A customer that keeps paying as many days after the due date then pays when it paid on time
    under the old terms. The shorter terms keep at least ``MIN_TERM_DAYS`` days, so a term of
    that length or less is not shortened. Without a known term the days late are used in full.
    """
    days = int(weighted_days_late)
    if term_days is None:
        return days
    return max(0, min(days, term_days - MIN_TERM_DAYS))


def shares_percent(amounts: Sequence[int]) -> list[Decimal]:
    """Return each amount's share of their total in percent; empty when the total is not positive."""
    total = sum(amounts)
    if total <= 0:
        return []
    return [Decimal(amount) * 100 / total for amount in amounts]


def herfindahl_index(amounts: Sequence[int]) -> Decimal | None:
    """Return the Herfindahl-Hirschman index: the sum of squared percent shares, 0 to 10,000."""
    shares = shares_percent(amounts)
    return sum((share * share for share in shares), Decimal(0)) if shares else None


def response_rate_percent(responded_minor: int, dunned_minor: int) -> Decimal | None:
    """Return the share of a dunned amount paid within the response days, in percent, or None."""
    return Decimal(responded_minor) * 100 / dunned_minor if dunned_minor > 0 else None
