"""The financial evaluation of a customer: its latest usable statement, ratios, Z score and trend.

The latest statement is the one with the latest ``period_end`` on or before ``as_of``. It is stale
when its period ended more than ``max_age_months`` before ``as_of``; a stale statement is shown
but does not count in the score. The trend compares it with the statement of the latest earlier
fiscal year. When years are missing in between, the comparison still runs and the notes name the
missing years, so a gap never passes as a one-year change.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from receivables.domain.credit.altman import (
    ZONE_EDGES,
    AltmanModel,
    AltmanResult,
    ZoneEdges,
    altman_score,
)
from receivables.domain.credit.dates import full_months_between
from receivables.domain.credit.ratios import Ratio, financial_ratios
from receivables.domain.credit.rounding import percent_half_up
from receivables.domain.credit.statements import FinancialStatement


@dataclass(frozen=True, slots=True)
class YearOverYear:
    """How the latest statement compares with the previous one on file."""

    previous_year: int
    years_apart: int
    sales_growth_percent: Decimal | None
    z_change: Decimal | None
    zone_dropped: bool
    previous_zone: str | None


@dataclass(frozen=True)
class FinancialEvaluation:
    """Everything the scorecard and the limit methods read from a customer's statements."""

    statement: FinancialStatement
    ratios: dict[str, Ratio]
    altman: AltmanResult
    stale: bool
    age_months: int
    trend: YearOverYear | None
    notes: list[str] = field(default_factory=list)


def _year_over_year(
    latest: FinancialStatement,
    latest_z: AltmanResult,
    previous: FinancialStatement,
    model: AltmanModel,
    edges: ZoneEdges,
) -> tuple[YearOverYear, list[str]]:
    previous_z = altman_score(previous, model, edges)
    old_sales = previous.minor("sales")
    growth = None
    if old_sales > 0 and previous.currency == latest.currency:
        growth = percent_half_up(latest.minor("sales") - old_sales, old_sales)
    z_change = None
    if latest_z.score is not None and previous_z.score is not None:
        z_change = latest_z.score - previous_z.score
    dropped = (
        latest_z.zone is not None
        and previous_z.zone is not None
        and latest_z.zone.rank > previous_z.zone.rank
    )
    apart = latest.fiscal_year - previous.fiscal_year
    notes = []
    if apart > 1:
        missing = ", ".join(
            str(year) for year in range(previous.fiscal_year + 1, latest.fiscal_year)
        )
        notes.append(f"no statement for {missing}: the trend compares with {previous.fiscal_year}")
    if previous.currency != latest.currency:
        notes.append(f"{previous.fiscal_year} is in {previous.currency}: sales growth not compared")
    zone = previous_z.zone.value if previous_z.zone else None
    return YearOverYear(previous.fiscal_year, apart, growth, z_change, dropped, zone), notes


def evaluate_financials(
    statements: Iterable[FinancialStatement],
    as_of: date,
    model: AltmanModel,
    max_age_months: int,
    edges: ZoneEdges = ZONE_EDGES,
) -> FinancialEvaluation | None:
    """Evaluate the latest statement known on ``as_of``; ``None`` when there is none."""
    known = sorted(
        (item for item in statements if item.period_end <= as_of), key=lambda item: item.fiscal_year
    )
    if not known:
        return None
    latest = known[-1]
    result = altman_score(latest, model, edges)
    age = full_months_between(latest.period_end, as_of)
    notes = latest.notes()
    if result.note:
        notes.append(result.note)
    stale = age > max_age_months
    if stale:
        notes.append(
            f"the latest statement ended {latest.period_end}, {age} months before {as_of}; "
            f"older than {max_age_months} months, so it does not count in the score"
        )
    trend = None
    if len(known) > 1:
        trend, trend_notes = _year_over_year(latest, result, known[-2], model, edges)
        notes.extend(trend_notes)
    else:
        notes.append(f"only one statement ({latest.fiscal_year}): no trend")
    return FinancialEvaluation(latest, financial_ratios(latest), result, stale, age, trend, notes)
