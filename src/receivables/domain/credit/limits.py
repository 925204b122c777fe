"""The recommended credit limit: five named methods, the lowest of those that apply binds.

============================  ==============================================================
method                        amount
============================  ==============================================================
``net_worth``                 equity * net_worth_percent / 100 (0 when equity is negative)
``working_capital``           (current assets - current liabilities) * working_capital_percent
                              / 100 (0 when working capital is negative)
``average_purchases``         average monthly purchases * purchase_months
``risk_class_cap``            the cap of the customer's risk class in the policy
``own_sales_share``           our own credit sales over the history * own_sales_percent / 100
============================  ==============================================================

A method without its data (no current statement, no purchases, no cap for the class) does not
apply and says why. Average monthly purchases are the customer's net credit sales of the last
``history_months`` months divided by the months it was a customer in that window (at least 1),
so a new customer is not diluted by months before its first invoice.

Each method's amount is rounded half-up to the company currency's minor unit; the recommended
limit, the lowest of them, is then rounded down to a whole multiple of ``step`` (100 by default),
the one place where a limit rounds down, so a recommendation never exceeds what a method allows.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from enum import StrEnum

from receivables.domain.credit.classes import RiskClass
from receivables.domain.credit.policy import HUNDRED, CreditPolicy
from receivables.domain.money import Currency, Money


class LimitMethod(StrEnum):
    NET_WORTH = "net_worth"
    WORKING_CAPITAL = "working_capital"
    AVERAGE_PURCHASES = "average_purchases"
    RISK_CLASS_CAP = "risk_class_cap"
    OWN_SALES_SHARE = "own_sales_share"


@dataclass(frozen=True, slots=True)
class LimitInputs:
    """The figures the methods need, all in the company currency; ``None`` when unknown.

    ``statement_note`` says why equity and working capital are unknown, when they are.
    """

    currency: Currency
    risk_class: RiskClass
    equity: Money | None = None
    working_capital: Money | None = None
    statement_note: str | None = None
    purchases: Money | None = None
    purchase_months: int = 0
    own_sales: Money | None = None


@dataclass(frozen=True, slots=True)
class MethodResult:
    """One method's amount, or ``None`` with the reason it does not apply."""

    method: LimitMethod
    amount: Money | None
    basis: str


@dataclass(frozen=True)
class LimitRecommendation:
    """The recommended limit, the method that binds it, and every method's result."""

    amount: Money | None
    binding: LimitMethod | None
    methods: list[MethodResult]


def _share(base: Money, percent: Decimal) -> Money:
    return Money(base.amount * percent / HUNDRED, base.currency).rounded()


def _statement_method(
    method: LimitMethod, base: Money | None, percent: Decimal, name: str, note: str | None
) -> MethodResult:
    if base is None:
        return MethodResult(method, None, note or "no current financial statement")
    if base.amount < 0:
        return MethodResult(method, Money.zero(base.currency), f"{name} {base} is negative")
    return MethodResult(method, _share(base, percent), f"{percent}% of {name} {base}")


def _purchases_method(inputs: LimitInputs, months: Decimal) -> MethodResult:
    method = LimitMethod.AVERAGE_PURCHASES
    if inputs.purchases is None or inputs.purchase_months < 1 or inputs.purchases.amount <= 0:
        return MethodResult(
            method, None, "no net credit sales to the customer in the history window"
        )
    monthly = Money(inputs.purchases.amount / inputs.purchase_months, inputs.currency)
    amount = Money(monthly.amount * months, inputs.currency).rounded()
    basis = f"{months} months of {inputs.purchases} bought over {inputs.purchase_months} months"
    return MethodResult(method, amount, basis)


def _cap_method(inputs: LimitInputs, policy: CreditPolicy) -> MethodResult:
    cap = policy.for_class(inputs.risk_class).limit_cap
    if cap is None:
        return MethodResult(
            LimitMethod.RISK_CLASS_CAP, None, f"class {inputs.risk_class} has no cap"
        )
    amount = Money(cap, inputs.currency).rounded()
    return MethodResult(LimitMethod.RISK_CLASS_CAP, amount, f"cap of class {inputs.risk_class}")


def _own_sales_method(inputs: LimitInputs, percent: Decimal) -> MethodResult:
    method = LimitMethod.OWN_SALES_SHARE
    if inputs.own_sales is None or inputs.own_sales.amount <= 0:
        return MethodResult(method, None, "no own credit sales in the history window")
    return MethodResult(
        method, _share(inputs.own_sales, percent), f"{percent}% of our sales {inputs.own_sales}"
    )


def round_down_to_step(amount: Money, step: Decimal) -> Money:
    """``amount`` rounded down to a whole multiple of ``step``; never below zero."""
    steps = (amount.amount / step).to_integral_value(rounding=ROUND_FLOOR)
    return Money(max(Decimal(0), steps * step), amount.currency).rounded()


def recommend_limit(inputs: LimitInputs, policy: CreditPolicy) -> LimitRecommendation:
    """Run every method and recommend the lowest amount among those that apply."""
    settings = policy.limits
    results = [
        _statement_method(
            LimitMethod.NET_WORTH,
            inputs.equity,
            settings.net_worth_percent,
            "equity",
            inputs.statement_note,
        ),
        _statement_method(
            LimitMethod.WORKING_CAPITAL,
            inputs.working_capital,
            settings.working_capital_percent,
            "working capital",
            inputs.statement_note,
        ),
        _purchases_method(inputs, settings.purchase_months),
        _cap_method(inputs, policy),
        _own_sales_method(inputs, settings.own_sales_percent),
    ]
    applicable = [(result.amount, result.method) for result in results if result.amount is not None]
    if not applicable:
        return LimitRecommendation(None, None, results)
    # min() keeps the first of equal amounts, so ties go to the method listed first.
    amount, method = min(applicable, key=lambda pair: pair[0].amount)
    return LimitRecommendation(round_down_to_step(amount, settings.step), method, results)
