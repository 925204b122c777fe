"""The year-over-year trend of statements: gaps, staleness and a drop of zone."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

from statements_book import statement

from receivables.domain.credit.altman import AltmanModel
from receivables.domain.credit.trend import evaluate_financials

AS_OF = date(2025, 6, 30)


def test_no_statement_gives_none():
    assert evaluate_financials([], AS_OF, AltmanModel.Z_PRIME, 24) is None


def test_statement_after_as_of_unknown():
    assert evaluate_financials([statement(2025)], AS_OF, AltmanModel.Z_PRIME, 24) is None


def test_sales_growth_over_one_year():
    # Sales 1,500,000 in 2024 against 1,200,000 in 2023: +25 %.
    older = statement(2023, sales="1200000")

    evaluation = evaluate_financials([statement(2024), older], AS_OF, AltmanModel.Z_PRIME, 24)

    assert evaluation is not None and evaluation.trend is not None
    assert evaluation.trend.sales_growth_percent == Decimal("25.00")
    assert evaluation.trend.years_apart == 1


def test_missing_year_named():
    evaluation = evaluate_financials(
        [statement(2021), statement(2024)], AS_OF, AltmanModel.Z_PRIME, 48
    )

    assert evaluation is not None and evaluation.trend is not None
    assert evaluation.trend.previous_year == 2021
    assert "no statement for 2022, 2023: the trend compares with 2021" in evaluation.notes


def test_zone_drop_detected():
    # 2023 was safe under Z'' (3.47); 2024 falls to distress: EBIT -200,000, no retained earnings.
    worse = statement(2024, ebit="-200000", retained_earnings="0", net_income="-250000")

    evaluation = evaluate_financials(
        [statement(2023), worse], AS_OF, AltmanModel.Z_DOUBLE_PRIME, 24
    )

    assert evaluation is not None and evaluation.trend is not None
    assert evaluation.trend.previous_zone == "safe"
    assert evaluation.trend.zone_dropped


def test_old_statement_is_stale():
    # 2021 ended 2021-12-31, 42 months before 2025-06-30.
    evaluation = evaluate_financials([statement(2021)], AS_OF, AltmanModel.Z_PRIME, 24)

    assert evaluation is not None
    assert evaluation.stale
    assert evaluation.age_months == 42


def test_statement_at_age_limit_counts():
    # 2023-06-30 to 2025-06-30 is exactly 24 months: not older than the limit.
    young = replace(statement(2023), period_end=date(2023, 6, 30))

    evaluation = evaluate_financials([young], AS_OF, AltmanModel.Z_PRIME, 24)

    assert evaluation is not None
    assert not evaluation.stale
