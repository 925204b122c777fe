"""Each limit method and the binding one, worked by hand under the shipped policy.

Policy: 10 % of equity, 20 % of working capital, 2 months of average purchases, the class cap
(B: 250,000), 5 % of our own credit sales; the lowest rounds down to a multiple of 100.
"""

from decimal import Decimal

import pytest

from receivables.credit.config import load_credit_settings
from receivables.domain.credit.classes import RiskClass
from receivables.domain.credit.limits import LimitInputs, LimitMethod, recommend_limit
from receivables.domain.money import Currency, Money

EUR = Currency.of("EUR")


def money(amount: str) -> Money:
    return Money.of(amount, EUR)


@pytest.fixture(scope="module")
def policy():
    return load_credit_settings(environ={}).policy


def inputs(**changes):
    values = {
        "currency": EUR,
        "risk_class": RiskClass.B,
        "equity": money("400000"),
        "working_capital": money("150000"),
        "purchases": money("60000"),
        "purchase_months": 12,
        "own_sales": money("2000000"),
    }
    return LimitInputs(**{**values, **changes})


def amounts(recommendation):
    return {result.method: result.amount for result in recommendation.methods}


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        (LimitMethod.NET_WORTH, "40000.00"),  # 10 % of 400,000
        (LimitMethod.WORKING_CAPITAL, "30000.00"),  # 20 % of 150,000
        (LimitMethod.AVERAGE_PURCHASES, "10000.00"),  # 60,000 / 12 * 2
        (LimitMethod.RISK_CLASS_CAP, "250000.00"),  # cap of class B
        (LimitMethod.OWN_SALES_SHARE, "100000.00"),  # 5 % of 2,000,000
    ],
)
def test_each_method(policy, method, expected):
    assert amounts(recommend_limit(inputs(), policy))[method] == money(expected)


def test_lowest_method_binds(policy):
    recommendation = recommend_limit(inputs(), policy)

    assert recommendation.binding is LimitMethod.AVERAGE_PURCHASES
    assert recommendation.amount == money("10000")


def test_limit_rounds_down_to_step(policy):
    # 12,345.67 over 3 months * 2 = 8,230.4466... -> 8,230.45 -> 8,200
    recommendation = recommend_limit(inputs(purchases=money("12345.67"), purchase_months=3), policy)

    assert amounts(recommendation)[LimitMethod.AVERAGE_PURCHASES] == money("8230.45")
    assert recommendation.amount == money("8200")


def test_negative_equity_binds_at_zero(policy):
    recommendation = recommend_limit(inputs(equity=money("-50000")), policy)

    assert recommendation.binding is LimitMethod.NET_WORTH
    assert recommendation.amount == money("0")


def test_missing_statement_does_not_apply(policy):
    recommendation = recommend_limit(
        inputs(equity=None, working_capital=None, statement_note="no financial statement"), policy
    )
    net_worth = recommendation.methods[0]

    assert net_worth.amount is None
    assert net_worth.basis == "no financial statement"


def test_class_a_has_no_cap(policy):
    recommendation = recommend_limit(inputs(risk_class=RiskClass.A), policy)

    assert amounts(recommendation)[LimitMethod.RISK_CLASS_CAP] is None


def test_class_e_cap_is_zero(policy):
    recommendation = recommend_limit(inputs(risk_class=RiskClass.E), policy)

    assert recommendation.binding is LimitMethod.RISK_CLASS_CAP
    assert recommendation.amount == money("0")


def test_no_data_recommends_nothing(policy):
    bare = LimitInputs(EUR, RiskClass.A)

    recommendation = recommend_limit(bare, policy)

    assert recommendation.amount is None
    assert recommendation.binding is None


def test_step_is_configurable():
    assert load_credit_settings(environ={}).policy.limits.step == Decimal(100)
