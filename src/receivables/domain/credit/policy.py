"""The credit policy: what each risk class gets, and the settings of the limit methods.

Per risk class: the default payment terms (text the terms engine parses, such as ``net30``), a
cap on the credit limit in the company currency (none when unset), the grace days an item may be
past due before new orders are held, how often the customer is reviewed, the share of each order
to be paid in advance (100 % is prepayment), and whether orders on credit are blocked at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from receivables.domain.credit.classes import RiskClass
from receivables.domain.credit.errors import CreditConfigError
from receivables.domain.term_errors import InvalidTermError
from receivables.domain.terms import PaymentTerm

HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class ClassPolicy:
    """What one risk class gets."""

    risk_class: RiskClass
    payment_terms: str
    limit_cap: Decimal | None
    grace_days: int
    review_months: int
    deposit_percent: Decimal = Decimal(0)
    block_orders: bool = False

    def __post_init__(self) -> None:
        key = f"policy.classes.{self.risk_class.value}"
        try:
            PaymentTerm.parse(self.payment_terms)
        except InvalidTermError as error:
            raise CreditConfigError(f"{key}.payment_terms", str(error)) from error
        if self.limit_cap is not None and self.limit_cap < 0:
            raise CreditConfigError(f"{key}.limit_cap", f"{self.limit_cap} must not be negative")
        if self.grace_days < 0:
            raise CreditConfigError(f"{key}.grace_days", f"{self.grace_days} must not be negative")
        if self.review_months < 1:
            raise CreditConfigError(
                f"{key}.review_months", f"{self.review_months} must be at least 1"
            )
        if not Decimal(0) <= self.deposit_percent <= HUNDRED:
            raise CreditConfigError(
                f"{key}.deposit_percent", f"{self.deposit_percent} must lie in 0..100"
            )

    @property
    def prepayment(self) -> bool:
        """Whether orders must be paid in full in advance."""
        return self.deposit_percent == HUNDRED

    @property
    def term(self) -> PaymentTerm:
        return PaymentTerm.parse(self.payment_terms)


@dataclass(frozen=True, slots=True)
class LimitSettings:
    """The percentages and periods of the limit methods, and the step limits round down to."""

    net_worth_percent: Decimal = Decimal(10)
    working_capital_percent: Decimal = Decimal(20)
    purchase_months: Decimal = Decimal(2)
    history_months: int = 12
    own_sales_percent: Decimal = Decimal(5)
    step: Decimal = Decimal(100)

    def __post_init__(self) -> None:
        for name in ("net_worth_percent", "working_capital_percent", "own_sales_percent"):
            value: Decimal = getattr(self, name)
            if not Decimal(0) < value <= HUNDRED:
                raise CreditConfigError(
                    f"policy.limits.{name}", f"{value} must lie above 0 and at most 100"
                )
        if self.purchase_months <= 0:
            raise CreditConfigError("policy.limits.purchase_months", "must be positive")
        if not 1 <= self.history_months <= 60:
            raise CreditConfigError("policy.limits.history_months", "must lie in 1..60")
        if self.step <= 0:
            raise CreditConfigError("policy.limits.step", "must be positive")


@dataclass(frozen=True)
class CreditPolicy:
    """The policy of every class, the class of customers not yet scored, and the limit settings."""

    classes: Mapping[RiskClass, ClassPolicy]
    unrated_class: RiskClass
    limits: LimitSettings
    usage_warning_percent: Decimal = Decimal(90)
    trend_warning_days: Decimal = Decimal(10)

    def __post_init__(self) -> None:
        missing = [item.value for item in RiskClass if item not in self.classes]
        if missing:
            raise CreditConfigError("policy.classes", f"no policy for classes {', '.join(missing)}")

    def for_class(self, risk_class: RiskClass) -> ClassPolicy:
        return self.classes[risk_class]
