"""What an early-payment discount costs, and what offering one is expected to gain.

Annualized cost of a discount of d (a fraction) for paying D days instead of N days after the
invoice date, the price of the N - D days of credit the customer gives up:

- simple: ``d / (1 - d) * 365 / (N - D)``; 2/10 net 30 costs 37.24 % a year;
- compounded: ``(1 + d / (1 - d)) ** (365 / (N - D)) - 1``; 2/10 net 30 costs 44.59 % a year.

:func:`simulate_discount_offer` estimates the effect of offering a discount to customers with a
known payment history. Its assumptions, which every result depends on:

1. Each customer's history is summarized by its yearly credit sales, the sales-weighted average
   days from invoice to payment, and the share of sales already paid within the discount period.
   The average days of that early share default to the discount deadline when unknown. That
   choice gives the smallest gain, so the estimate errs on the cautious side.
2. Sales already paid within the discount period keep their timing and now take the discount:
   a cost without a gain.
3. Of the other sales, the share ``take_up`` switches to paying on the discount deadline; the rest
   keeps its past average days. Take-up is an input, not something the history tells.
4. DSO is the sales-weighted average days to pay (steady state: receivables = daily sales times
   days to pay), and the discount applies to the whole invoice amount, as on a gross base.
5. The financing benefit is the receivables released times the yearly cost of capital. Bad-debt,
   handling and customer-relation effects are left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from receivables.domain.discounts import HUNDRED, DiscountTier
from receivables.domain.due_dates import NetDays
from receivables.domain.errors import ReceivablesError
from receivables.domain.money import Money
from receivables.domain.terms import PaymentTerm

YEAR_DAYS = 365
_RATE_PLACES = Decimal("0.0001")
_DAY_PLACES = Decimal("0.1")


class InvalidDiscountOfferError(ReceivablesError, ValueError):
    """The discount offer or a payment-history summary is out of range."""


def annualized_cost_simple(
    percent: Decimal, discount_days: int, net_days: int, year_days: int = YEAR_DAYS
) -> Decimal:
    """Return the simple yearly cost, as a fraction, of ``percent`` off by ``discount_days``."""
    rate = _check_offer(percent, discount_days, net_days)
    return rate / (1 - rate) * Decimal(year_days) / (net_days - discount_days)


def annualized_cost_compound(
    percent: Decimal, discount_days: int, net_days: int, year_days: int = YEAR_DAYS
) -> Decimal:
    """Return the compounded yearly cost, as a fraction, earning the discount every N - D days."""
    rate = _check_offer(percent, discount_days, net_days)
    periods = Decimal(year_days) / (net_days - discount_days)
    return (1 + rate / (1 - rate)) ** periods - 1


def _check_offer(percent: Decimal, discount_days: int, net_days: int) -> Decimal:
    if not Decimal(0) < percent < HUNDRED:
        raise InvalidDiscountOfferError(f"discount {percent}% must lie above 0 and below 100")
    if discount_days < 0 or net_days <= discount_days:
        raise InvalidDiscountOfferError(
            f"the net period of {net_days} days must be longer than the discount period of "
            f"{discount_days} days"
        )
    return percent / HUNDRED


@dataclass(frozen=True, slots=True)
class TierCost:
    """The yearly cost of one discount tier against the line's net period, as fractions."""

    instalment: int
    tier: DiscountTier
    net_days: int
    simple: Decimal
    compound: Decimal


def term_costs(term: PaymentTerm, invoice_date: date | None = None) -> list[TierCost]:
    """Compute the cost of every discount tier of ``term``.

    For ``net`` lines the net period is fixed. Other due rules depend on the invoice date, so
    ``invoice_date`` is required for them.
    """
    costs = []
    for number, line in enumerate(term.lines, 1):
        if not line.discounts:
            continue
        if isinstance(line.due, NetDays):
            net_days = line.due.days
        elif invoice_date is None:
            raise InvalidDiscountOfferError(
                f"due rule {line.due.to_text()} depends on the invoice date; give one"
            )
        else:
            net_days = (line.due.due_date(invoice_date) - invoice_date).days
        for tier in line.discounts:
            days = min(tier.days, net_days)
            simple = annualized_cost_simple(tier.percent, days, net_days)
            compound = annualized_cost_compound(tier.percent, days, net_days)
            costs.append(TierCost(number, tier, net_days, simple, compound))
    return costs


@dataclass(frozen=True, slots=True)
class CustomerPaymentSummary:
    """A customer's payment history in plain values; ``early_share`` is a fraction of sales."""

    customer_code: str
    annual_sales: Decimal
    average_days_to_pay: Decimal
    early_share: Decimal
    average_days_early: Decimal | None = None

    def __post_init__(self) -> None:
        if self.annual_sales < 0 or self.average_days_to_pay < 0:
            raise InvalidDiscountOfferError(
                f"customer {self.customer_code}: sales and days to pay must not be negative"
            )
        if not Decimal(0) <= self.early_share <= 1:
            raise InvalidDiscountOfferError(
                f"customer {self.customer_code}: early share {self.early_share} must lie in 0..1"
            )


@dataclass(frozen=True, slots=True)
class CustomerEffect:
    """The expected effect of the offer on one customer; days are sales-weighted averages."""

    customer_code: str
    discounted_sales: Decimal
    discount_cost: Decimal
    days_before: Decimal
    days_after: Decimal
    receivables_change: Decimal


@dataclass(frozen=True, slots=True)
class DiscountSimulation:
    """The expected yearly effect of a discount offer over all customers.

    ``dso_change`` is negative when DSO falls; ``net_benefit`` is the financing benefit minus the
    discount cost, negative when the offer costs more than it earns.
    """

    dso_before: Decimal
    dso_after: Decimal
    dso_change: Decimal
    annual_discount_cost: Money
    financing_benefit: Money
    net_benefit: Money
    receivables_released: Money
    offer_cost_simple: Decimal
    customers: tuple[CustomerEffect, ...]


def simulate_discount_offer(
    summaries: Sequence[CustomerPaymentSummary],
    offer: DiscountTier,
    net_days: int,
    cost_of_capital: Decimal,
    take_up: Decimal,
    currency: str,
) -> DiscountSimulation:
    """Estimate DSO change, discount cost and financing benefit of ``offer`` (module assumptions).

    ``cost_of_capital`` is a yearly rate in percent, ``take_up`` the fraction of late-paid sales
    expected to switch to the discount deadline, amounts are in ``currency``.
    """
    offer_cost = annualized_cost_simple(offer.percent, offer.days, net_days)
    if not Decimal(0) <= take_up <= 1:
        raise InvalidDiscountOfferError(f"take-up {take_up} must lie in 0..1")
    effects = tuple(_customer_effect(summary, offer, take_up) for summary in summaries)
    sales = sum((summary.annual_sales for summary in summaries), Decimal(0))
    if sales == 0:
        raise InvalidDiscountOfferError("the customers have no sales to simulate on")
    before = sum((s.annual_sales * e.days_before for s, e in zip(summaries, effects, strict=True)))
    after = sum((s.annual_sales * e.days_after for s, e in zip(summaries, effects, strict=True)))
    released = -sum((effect.receivables_change for effect in effects), Decimal(0))
    cost = sum((effect.discount_cost for effect in effects), Decimal(0))
    benefit = released * cost_of_capital / HUNDRED
    return DiscountSimulation(
        dso_before=(before / sales).quantize(_DAY_PLACES),
        dso_after=(after / sales).quantize(_DAY_PLACES),
        dso_change=((after - before) / sales).quantize(_DAY_PLACES),
        annual_discount_cost=Money.of(cost, currency).rounded(),
        financing_benefit=Money.of(benefit, currency).rounded(),
        net_benefit=Money.of(benefit - cost, currency).rounded(),
        receivables_released=Money.of(released, currency).rounded(),
        offer_cost_simple=offer_cost.quantize(_RATE_PLACES),
        customers=effects,
    )


def _customer_effect(
    summary: CustomerPaymentSummary, offer: DiscountTier, take_up: Decimal
) -> CustomerEffect:
    deadline = Decimal(offer.days)
    early = summary.early_share
    early_days = deadline if summary.average_days_early is None else summary.average_days_early
    if early < 1:
        late_days = max((summary.average_days_to_pay - early * early_days) / (1 - early), deadline)
    else:
        late_days = deadline
    switching = summary.annual_sales * (1 - early) * take_up
    discounted = summary.annual_sales * early + switching
    days_after = (
        summary.average_days_to_pay - (1 - early) * take_up * (late_days - deadline)
        if summary.annual_sales
        else summary.average_days_to_pay
    )
    return CustomerEffect(
        customer_code=summary.customer_code,
        discounted_sales=discounted,
        discount_cost=discounted * offer.rate,
        days_before=summary.average_days_to_pay,
        days_after=days_after,
        receivables_change=switching * (deadline - late_days) / YEAR_DAYS,
    )
