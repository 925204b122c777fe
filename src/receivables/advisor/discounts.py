"""Recommendations about early-payment discounts: to whom an offer pays off, and to whom it does not.

Each customer with settled items in the year before ``as_of`` is simulated on its own with
:func:`receivables.domain.discount_economics.simulate_discount_offer` (its assumptions apply:
the take-up share of late-paid sales moves to the discount deadline, early payers take the
discount without paying sooner). An offer is worth making to the customers whose financing
benefit at the cost of capital exceeds the discount cost, and not to the others. The expected
cash of the first recommendation is the receivables released when all of them take it up.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from receivables.advisor.context import AdviceContext
from receivables.advisor.recommendation import Recommendation, figure
from receivables.analytics.payment_history import payment_history
from receivables.domain.advice import Effect
from receivables.domain.discount_economics import (
    CustomerPaymentSummary,
    DiscountSimulation,
    simulate_discount_offer,
)
from receivables.domain.discounts import DiscountTier
from receivables.domain.due_dates import NetDays
from receivables.domain.term_errors import InvalidTermError
from receivables.domain.terms import PaymentTerm


@dataclass(frozen=True)
class DiscountOffer:
    """The offer to test, such as 2 % within 10 days of a net-30 term, and the economics around it."""

    tier: DiscountTier
    net_days: int
    text: str
    cost_of_capital_percent: Decimal = Decimal(8)
    take_up: Decimal = Decimal("0.5")


def parse_offer(text: str) -> tuple[DiscountTier, int]:
    """Read an offer such as ``2/10 net30``: one discount tier and a net period in days.

    Raises :class:`InvalidTermError` naming the text when it is not a term or has more parts.
    """
    term = PaymentTerm.parse(text)
    line = term.lines[0]
    if len(term.lines) != 1 or len(line.discounts) != 1 or not isinstance(line.due, NetDays):
        raise InvalidTermError(f"offer {text!r} must be one discount and a net period, such as 2/10 net30")
    return line.discounts[0], line.due.days


def discount_recommendations(context: AdviceContext, offer: DiscountOffer) -> list[Recommendation]:
    summaries = payment_history(context.ledger, context.as_of, context.company, offer.tier.days)
    if not summaries:
        return []
    code = context.company.code
    worth: list[tuple[CustomerPaymentSummary, DiscountSimulation]] = []
    not_worth: list[tuple[CustomerPaymentSummary, DiscountSimulation]] = []
    for summary in summaries:
        result = simulate_discount_offer(
            [summary], offer.tier, offer.net_days, offer.cost_of_capital_percent, offer.take_up, code
        )
        (worth if result.net_benefit.amount > 0 else not_worth).append((summary, result))
    recommendations = []
    if worth:
        together = simulate_discount_offer(
            [summary for summary, _ in worth], offer.tier, offer.net_days,
            offer.cost_of_capital_percent, offer.take_up, code,
        )  # fmt: skip
        released = together.receivables_released.minor_units()
        evidence = _evidence(offer, together, len(worth))
        measure = f"Offer {offer.text} to the {len(worth)} customers for whom it pays off"
        codes = tuple(summary.customer_code for summary, _ in worth)
        recommendations.append(
            Recommendation("discount_offer", measure, context.effect(released), evidence, codes)
        )
    if not_worth:
        net = sum((result.net_benefit.amount for _, result in not_worth), Decimal(0))
        evidence = {
            "customers": len(not_worth),
            "net_benefit_if_offered": format(net, "f"),
            "cost_of_capital_percent": figure(offer.cost_of_capital_percent),
            "take_up": format(offer.take_up, "f"),
        }
        count = len(not_worth)
        measure = f"Do not offer {offer.text} to the {count} customers for whom it costs more than it gains"
        codes = tuple(summary.customer_code for summary, _ in not_worth)
        # Not offering keeps things as they are: no cash effect, only a cost avoided.
        recommendations.append(
            Recommendation("discount_not_worth", measure, Effect(0, None, None, None), evidence, codes)
        )
    return recommendations


def _evidence(offer: DiscountOffer, result: DiscountSimulation, customers: int) -> dict[str, object]:
    return {
        "customers": customers,
        "offer_cost_percent_a_year": figure(result.offer_cost_simple * 100),
        "cost_of_capital_percent": figure(offer.cost_of_capital_percent),
        "take_up": format(offer.take_up, "f"),
        "their_days_to_pay_before": format(result.dso_before, "f"),
        "their_days_to_pay_after": format(result.dso_after, "f"),
        "yearly_discount_cost": format(result.annual_discount_cost.amount, "f"),
        "yearly_financing_benefit": format(result.financing_benefit.amount, "f"),
        "yearly_net_benefit": format(result.net_benefit.amount, "f"),
    }
