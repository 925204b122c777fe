"""Discount economics: annualized cost of a term and the offer simulator, worked by hand."""

from datetime import date
from decimal import Decimal

import pytest

from receivables.domain.discount_economics import (
    CustomerPaymentSummary,
    InvalidDiscountOfferError,
    annualized_cost_compound,
    annualized_cost_simple,
    simulate_discount_offer,
    term_costs,
)
from receivables.domain.discounts import DiscountTier
from receivables.domain.money import Money
from receivables.domain.terms import PaymentTerm


def percent(value: Decimal) -> Decimal:
    return (value * 100).quantize(Decimal("0.01"))


@pytest.mark.parametrize(
    ("offer", "simple", "compound"),
    [
        ((Decimal(2), 10, 30), "37.24", "44.59"),
        ((Decimal(1), 10, 30), "18.43", "20.13"),
        ((Decimal(2), 10, 60), "14.90", "15.89"),
        ((Decimal(3), 15, 45), "37.63", "44.86"),
    ],
)
def test_annualized_cost(offer, simple, compound):
    assert percent(annualized_cost_simple(*offer)) == Decimal(simple)
    assert percent(annualized_cost_compound(*offer)) == Decimal(compound)


@pytest.mark.parametrize(("days", "net_days"), [(30, 30), (40, 30), (-1, 30)])
def test_cost_needs_longer_net_period(days, net_days):
    with pytest.raises(InvalidDiscountOfferError):
        annualized_cost_simple(Decimal(2), days, net_days)


def test_term_costs_per_tier():
    costs = term_costs(PaymentTerm.parse("2/10 1/20 net30"))

    assert [percent(cost.simple) for cost in costs] == [Decimal("37.24"), Decimal("36.87")]


def test_term_costs_need_invoice_date():
    term = PaymentTerm.parse("2/10 eom+30")

    with pytest.raises(InvalidDiscountOfferError, match="depends on the invoice date"):
        term_costs(term)
    # Invoice of 2024-01-15 is due 2024-03-01: 46 days, so 36 days of credit are given up.
    assert term_costs(term, date(2024, 1, 15))[0].net_days == 46


SUMMARIES = [
    # A pays in 45 days on average; a fifth of its sales already within 10 days.
    CustomerPaymentSummary("A", Decimal(1_200_000), Decimal(45), Decimal("0.2")),
    CustomerPaymentSummary("B", Decimal(600_000), Decimal(30), Decimal(0)),
]


def test_simulated_offer_effects():
    # A: late sales pay after (45 - 0.2 * 10) / 0.8 = 53.75 days; half of them switch to day 10.
    # B: half of its sales switch from 30 to 10 days. DSO 40 -> 25 days.
    result = simulate_discount_offer(
        SUMMARIES, DiscountTier.of("2", 10), 30, Decimal(8), Decimal("0.5"), "EUR"
    )

    assert result.dso_before == Decimal("40.0")
    assert result.dso_after == Decimal("25.0")
    assert result.dso_change == Decimal("-15.0")
    # 2 % of 240,000 (already early) + 480,000 (A switching) + 300,000 (B switching)
    assert result.annual_discount_cost == Money.of("20400.00", "EUR")
    # 480,000 x 43.75 / 365 + 300,000 x 20 / 365 = 73,972.60 released, at 8 %
    assert result.receivables_released == Money.of("73972.60", "EUR")
    assert result.financing_benefit == Money.of("5917.81", "EUR")
    assert result.net_benefit == Money.of("-14482.19", "EUR")


def test_dso_change_matches_released_receivables():
    result = simulate_discount_offer(
        SUMMARIES, DiscountTier.of("2", 10), 30, Decimal(8), Decimal("0.3"), "EUR"
    )
    daily_sales = Decimal(1_800_000) / 365

    assert (result.dso_change * daily_sales).quantize(Decimal(1)) == -(
        result.receivables_released.amount.quantize(Decimal(1))
    )


def test_no_take_up_costs_only_free_riders():
    result = simulate_discount_offer(
        SUMMARIES, DiscountTier.of("2", 10), 30, Decimal(8), Decimal(0), "EUR"
    )

    assert result.dso_change == Decimal("0.0")
    assert result.annual_discount_cost == Money.of("4800.00", "EUR")


@pytest.mark.parametrize("share", [Decimal("-0.1"), Decimal("1.1")])
def test_early_share_out_of_range(share):
    with pytest.raises(InvalidDiscountOfferError):
        CustomerPaymentSummary("A", Decimal(1), Decimal(30), share)
