"""Early-payment discounts: tiers, the offers frozen at invoicing, and the discount a payment earns.

A :class:`DiscountTier` is part of a payment term: "2/10" is 2 % if paid within 10 days of the
invoice date. When the invoice is issued, each tier becomes a :class:`DiscountOffer` with a fixed
deadline and amount, so a later change of the customer's term does not move it.

The discount base decides what the percentage applies to:

- ``gross``: the amount including tax. The discount is split into a net part and a tax part in
  the proportion of the instalment's net amount and tax, because the seller corrects the output
  tax on the discount (cash discount rules in the EU VAT directive, German "Skonto").
- ``net``: the amount excluding tax. The tax is not discountable and stays payable in full, so
  the discount has no tax part (sales tax in several US states).

A payment on or before a deadline earns that tier's discount. A payment that settles the open
amount earns the discount on the open amount. A partial payment earns a proportional discount: it
settles ``payment + discount`` of the open amount, so ``discount = payment / (1 - e) * e`` where
``e`` is the rate on the gross amount (the percentage for a gross base, the percentage times the
net share for a net base). The discount never exceeds the discount on the open amount.

A payment after the last deadline earns nothing. If the customer still deducted the discount,
the deduction stays open on the instalment as a short payment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from receivables.domain.errors import InvalidAmountError
from receivables.domain.money import Money, to_decimal
from receivables.domain.term_errors import InvalidTermError

if TYPE_CHECKING:
    from receivables.domain.schedules import Instalment

HUNDRED = Decimal(100)


class DiscountBase(StrEnum):
    GROSS = "gross"
    NET = "net"


def format_decimal(value: Decimal) -> str:
    """Write a decimal without exponent or trailing zeros: ``Decimal("2.50")`` -> ``"2.5"``."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


@dataclass(frozen=True, slots=True)
class DiscountTier:
    """``percent`` off when paid within ``days`` days of the invoice date, deadline included."""

    percent: Decimal
    days: int

    def __post_init__(self) -> None:
        if not Decimal(0) < self.percent < HUNDRED:
            raise InvalidTermError(
                f"discount {format_decimal(self.percent)}% must lie above 0 and below 100"
            )
        if isinstance(self.days, bool) or not isinstance(self.days, int):
            raise InvalidTermError(f"discount days {self.days!r} must be a whole number")
        if self.days < 0:
            raise InvalidTermError(
                f"discount period of {self.days} days is negative; use 0 or more days"
            )

    @staticmethod
    def of(percent: str | int | Decimal, days: int) -> DiscountTier:
        return DiscountTier(to_decimal(percent), days)

    @property
    def rate(self) -> Decimal:
        """The percentage as a fraction: 0.02 for 2 %."""
        return self.percent / HUNDRED

    def to_text(self) -> str:
        return f"{format_decimal(self.percent)}/{self.days}"

    def to_dict(self) -> dict[str, Any]:
        return {"percent": format_decimal(self.percent), "days": self.days}


def check_tier_order(tiers: tuple[DiscountTier, ...]) -> None:
    """Raise unless later tiers have longer periods and smaller percentages ("2/10 1/20")."""
    for earlier, later in pairwise(tiers):
        if later.days <= earlier.days or later.percent >= earlier.percent:
            raise InvalidTermError(
                f"discount tiers {earlier.to_text()} and {later.to_text()} are out of order: each "
                "later tier needs more days and a smaller percentage"
            )


@dataclass(frozen=True, slots=True)
class DiscountOffer:
    """A discount tier applied to one instalment at invoicing: dated and priced, never recomputed.

    ``amount`` is the discount for paying the whole instalment by ``deadline``; ``net`` and ``tax``
    are its parts (``tax`` is zero for a net base).
    """

    percent: Decimal
    deadline: date
    base: DiscountBase
    amount: Money
    net: Money
    tax: Money

    @property
    def rate(self) -> Decimal:
        return self.percent / HUNDRED

    def to_dict(self) -> dict[str, Any]:
        return {
            "percent": format_decimal(self.percent),
            "deadline": self.deadline.isoformat(),
            "base": self.base.value,
            "amount": str(self.amount.amount),
            "net": str(self.net.amount),
            "tax": str(self.tax.amount),
        }

    @staticmethod
    def from_dict(values: dict[str, Any], currency: str) -> DiscountOffer:
        return DiscountOffer(
            percent=to_decimal(values["percent"]),
            deadline=date.fromisoformat(values["deadline"]),
            base=DiscountBase(values["base"]),
            amount=Money.of(values["amount"], currency),
            net=Money.of(values["net"], currency),
            tax=Money.of(values["tax"], currency),
        )


def effective_rate(percent: Decimal, amount: Money, tax: Money, base: DiscountBase) -> Decimal:
    """The discount as a fraction of the gross amount; on a net base, rate times net share."""
    rate = percent / HUNDRED
    if base is DiscountBase.GROSS:
        return rate
    return rate * (amount.amount - tax.amount) / amount.amount


def split_discount(
    discount: Money, amount: Money, tax: Money, base: DiscountBase
) -> tuple[Money, Money]:
    """Split a discount into net and tax parts in the proportion of ``amount`` and its ``tax``."""
    if base is DiscountBase.NET or not tax:
        return discount, Money.zero(discount.currency)
    tax_part = Money(discount.amount * tax.amount / amount.amount, discount.currency).rounded()
    return discount - tax_part, tax_part


def discount_on(
    value: Money, percent: Decimal, amount: Money, tax: Money, base: DiscountBase
) -> Money:
    """Return ``percent`` off ``value`` of an instalment of ``amount`` with ``tax``, rounded.

    On a net base the percentage applies to the net share of ``value``. One division at the end
    keeps the result exact whenever it is a finite decimal, so a half cent always rounds up.
    """
    if base is DiscountBase.GROSS:
        return (value * (percent / HUNDRED)).rounded()
    exact = value.amount * percent * (amount.amount - tax.amount) / (HUNDRED * amount.amount)
    return Money(exact, value.currency).rounded()


def price_offer(
    tier: DiscountTier, deadline: date, amount: Money, tax: Money, base: DiscountBase
) -> DiscountOffer:
    """Freeze ``tier`` for an instalment of ``amount`` (tax part ``tax``) due by ``deadline``."""
    discount = discount_on(amount, tier.percent, amount, tax, base)
    net, tax_part = split_discount(discount, amount, tax, base)
    return DiscountOffer(tier.percent, deadline, base, discount, net, tax_part)


@dataclass(frozen=True, slots=True)
class DiscountSettlement:
    """What a payment does to an open instalment.

    ``applied`` is the part of the payment allocated to the instalment, ``discount`` the discount
    to post as a credit document against it (``discount_net`` plus ``discount_tax``), ``residual``
    what stays open afterwards and ``overpayment`` the part of the payment left as unapplied credit.
    """

    payment_date: date
    payment: Money
    applied: Money
    discount: Money
    discount_net: Money
    discount_tax: Money
    offer: DiscountOffer | None
    residual: Money
    overpayment: Money

    @property
    def settles(self) -> bool:
        """Whether the instalment is closed after this payment and its discount."""
        return not self.residual


def applicable_offer(instalment: Instalment, payment_date: date) -> DiscountOffer | None:
    """The best offer with a deadline on or after ``payment_date``; None when all have passed."""
    eligible = [offer for offer in instalment.offers if payment_date <= offer.deadline]
    return max(eligible, key=lambda offer: offer.percent, default=None)


def discount_on_open(instalment: Instalment, open_amount: Money, offer: DiscountOffer) -> Money:
    """The discount for settling all of ``open_amount`` under ``offer``."""
    return discount_on(open_amount, offer.percent, instalment.amount, instalment.tax, offer.base)


def amount_to_settle(instalment: Instalment, open_amount: Money, payment_date: date) -> Money:
    """What the customer must pay on ``payment_date`` to close the instalment, after discount."""
    offer = applicable_offer(instalment, payment_date)
    if offer is None:
        return open_amount
    return open_amount - discount_on_open(instalment, open_amount, offer)


def settle_payment(
    instalment: Instalment, open_amount: Money, payment_date: date, payment: Money
) -> DiscountSettlement:
    """Apply ``payment`` received on ``payment_date`` to an instalment with ``open_amount`` open.

    Raises :class:`InvalidAmountError` for a payment that is not positive or not in the
    instalment's currency, or an open amount outside ``(0, instalment amount]``.
    """
    _check_settlement_amounts(instalment, open_amount, payment)
    zero = Money.zero(payment.currency)
    offer = applicable_offer(instalment, payment_date)
    discount = zero
    if offer is not None:
        cap = discount_on_open(instalment, open_amount, offer)
        if payment >= open_amount - cap:
            discount = min(cap, open_amount - payment) if payment < open_amount else zero
        else:
            rate = effective_rate(offer.percent, instalment.amount, instalment.tax, offer.base)
            discount = min(cap, (payment * (rate / (1 - rate))).rounded())
    applied = min(payment, open_amount - discount)
    net, tax = split_discount(discount, instalment.amount, instalment.tax, _base(offer))
    return DiscountSettlement(
        payment_date=payment_date,
        payment=payment,
        applied=applied,
        discount=discount,
        discount_net=net,
        discount_tax=tax,
        offer=offer if discount else None,
        residual=open_amount - applied - discount,
        overpayment=payment - applied,
    )


def _base(offer: DiscountOffer | None) -> DiscountBase:
    return DiscountBase.GROSS if offer is None else offer.base


def _check_settlement_amounts(instalment: Instalment, open_amount: Money, payment: Money) -> None:
    if payment.currency != instalment.amount.currency or open_amount.currency != payment.currency:
        raise InvalidAmountError(
            f"payment {payment} and open amount {open_amount} must be in the instalment's "
            f"currency {instalment.amount.currency}"
        )
    if payment.amount <= 0 or not payment.is_rounded():
        raise InvalidAmountError(f"payment {payment} must be positive and rounded to its currency")
    if not Decimal(0) < open_amount.amount <= instalment.amount.amount:
        raise InvalidAmountError(
            f"open amount {open_amount} must lie above 0 and at most the instalment amount "
            f"{instalment.amount}"
        )
