"""The combined score of a sample customer under the shipped scorecard, worked by hand.

Behaviour (weight 50, base 70): weighted days late 6.00 -> 0, late share 40 % -> 0, longest
delay 20 days -> 0, disputed 20 % -> -10, no promises recorded -> 0, no 6-month trend -> 0:
sub-score 60.
Financial (weight 30, base 50): the sample statement under Z'' (3.47, safe): current ratio 1.60
-> +5, quick ratio 1.00 -> +5, debt to equity 1.50 -> +5, interest coverage 6.00 -> +5, net
margin 5.33 % -> +5, safe zone -> +15, no earlier year -> 0, equity positive -> 0: sub-score 90.
Bureau (weight 20, base 0): generic score 72 -> +70, no events: sub-score 70.

Score = (50 * 60 + 30 * 90 + 20 * 70) / 100 = 71.0, class B (65 to 80).
"""

from datetime import date
from decimal import Decimal

import pytest
from statements_book import statement
from test_credit_behaviour import AS_OF, ITEMS

from receivables.credit.config import load_credit_settings
from receivables.domain.credit.altman import AltmanModel
from receivables.domain.credit.behaviour import payment_behaviour
from receivables.domain.credit.bureau import BureauEvent, BureauReport, EventKind, bureau_features
from receivables.domain.credit.classes import RiskClass
from receivables.domain.credit.features import (
    behaviour_values,
    bureau_values,
    financial_values,
)
from receivables.domain.credit.scorecard import score_customer
from receivables.domain.credit.trend import evaluate_financials


@pytest.fixture(scope="module")
def settings():
    return load_credit_settings(environ={})


def sources(settings, events=(), with_financial=True, with_bureau=True):
    card = settings.scorecard
    behaviour = behaviour_values(
        payment_behaviour(ITEMS, AS_OF, 24), card.min_behaviour_items, card.trend_months
    )
    financial = evaluate_financials([statement(2023)], AS_OF, AltmanModel.Z_DOUBLE_PRIME, 24)
    reports = [BureauReport("generic", date(2024, 5, 1), Decimal(72))] if with_bureau else []
    bureau = bureau_features(reports, list(events), settings.providers, AS_OF, 12, 36)
    return [
        behaviour,
        financial_values(financial if with_financial else None),
        bureau_values(bureau),
    ]


def test_sample_customer_score(settings):
    score = score_customer(settings.scorecard, sources(settings))

    assert score.score == Decimal("71.0")
    assert score.risk_class is RiskClass.B


def test_sample_sub_scores(settings):
    score = score_customer(settings.scorecard, sources(settings))

    assert [source.sub_score for source in score.sources] == [60, 90, 70]


def test_factors_largest_first(settings):
    moved = score_customer(settings.scorecard, sources(settings)).moved_by()

    # bureau score 70 points * 20 % = 14.0; disputed -10 * 50 % = -5.0; safe zone 15 * 30 % = 4.5
    assert [(f.name, f.contribution) for f in moved[:3]] == [
        ("bureau_score", Decimal("14.0")),
        ("disputed_share_percent", Decimal("-5.0")),
        ("altman_zone", Decimal("4.5")),
    ]


def test_missing_source_reweights(settings):
    # Without statements: (50 * 60 + 20 * 70) / 70 = 62.857... -> 62.9, class C.
    score = score_customer(settings.scorecard, sources(settings, with_financial=False))

    assert score.score == Decimal("62.9")
    assert score.risk_class is RiskClass.C
    assert score.sources[1].note == "no financial statement"


def test_insolvency_knocks_out(settings):
    events = [BureauEvent("generic", EventKind.INSOLVENCY, date(2024, 6, 1))]

    score = score_customer(settings.scorecard, sources(settings, events=events))

    assert score.risk_class is RiskClass.E
    assert score.score_class is not RiskClass.E
    assert score.knockout == "insolvency on record: class E at best"


def test_no_source_gives_no_data_score(settings):
    card = settings.scorecard
    empty = [
        behaviour_values(None, card.min_behaviour_items, card.trend_months),
        financial_values(None),
        bureau_values(None),
    ]

    score = score_customer(card, empty)

    assert score.score == Decimal("50.0")
    assert score.risk_class is RiskClass.C
