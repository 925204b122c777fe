"""Thresholds and tolerances of the matching engine, and the confidence of each rule.

Confidence is a number from 0 to 1. A proposal at or above ``auto_apply_confidence`` is applied
without review, one at or above ``suggest_confidence`` waits for review, anything lower leaves
the bank transaction as unapplied cash. The table below gives each rule's base confidence and
each amount fit's factor; a proposal's confidence is their product (and the customer's
confidence for rules that find the customer first).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class Rule(StrEnum):
    """How a proposal found its open items, in the order the engine tries them."""

    STRUCTURED_REFERENCE = "structured_reference"
    INVOICE_NUMBER = "invoice_number"
    NEAR_MISS = "near_miss"
    CUSTOMER_AMOUNT = "customer_amount"
    CUSTOMER_COMBINATION = "customer_combination"
    ON_ACCOUNT = "on_account"
    MANUAL = "manual"


class Fit(StrEnum):
    """How the paid amount relates to what the matched items ask."""

    EXACT = "exact"
    DISCOUNT = "discount"
    BANK_CHARGES = "bank_charges"
    EXCHANGE_RATE = "exchange_rate"
    OVERPAYMENT = "overpayment"
    PARTIAL = "partial"
    NONE = "none"


class Outcome(StrEnum):
    AUTO_APPLY = "auto_apply"
    SUGGEST = "suggest"
    UNMATCHED = "unmatched"


class ShortPayment(StrEnum):
    """What a short payment leaves: the residual open, or an open deduction flagged disputed."""

    RESIDUAL = "residual"
    DEDUCTION = "deduction"


RULE_CONFIDENCE = {
    Rule.STRUCTURED_REFERENCE: Decimal("0.99"),
    Rule.NEAR_MISS: Decimal("0.60"),
    Rule.MANUAL: Decimal("1"),
}
# The invoice-number rule's base confidence by the form in which the number was found.
NUMBER_KEY_CONFIDENCE = {
    "alnum": Decimal("0.95"),  # our number with other separators or case: INV2024000123
    "prefixed": Decimal("0.93"),  # same prefix, leading zeros dropped: INV 2024/123
    "groups": Decimal("0.90"),  # the digit groups alone: 2024-123
    "digits": Decimal("0.90"),  # all digits run together: 2024000123
}
LEARNED_PREFIX_BONUS = Decimal("0.02")
THIRD_PARTY_FACTOR = Decimal("0.98")
# A reference or number of another customer's item, when the payer is identified (by IBAN or
# name) as a customer and the amount does not fit that item.
CONTRADICTED_FACTOR = Decimal("0.90")
FIT_FACTOR = {
    Fit.EXACT: Decimal("1.00"),
    Fit.DISCOUNT: Decimal("0.98"),
    Fit.BANK_CHARGES: Decimal("0.98"),
    Fit.EXCHANGE_RATE: Decimal("0.97"),
    Fit.OVERPAYMENT: Decimal("0.95"),
    Fit.PARTIAL: Decimal("0.93"),
    Fit.NONE: Decimal("0.60"),
}
# Customer identification: a learned IBAN of one customer, a learned payer name, a fuzzy name.
IBAN_CONFIDENCE = Decimal("0.97")
SHARED_IBAN_CONFIDENCE = Decimal("0.75")
ALIAS_CONFIDENCE = Decimal("0.94")
NAME_CONFIDENCE = Decimal("0.92")
# The payer name has exactly the words of one customer's name once case, punctuation and legal
# form are set aside: as strong as a learned payer name, so one open item of exactly the amount
# is applied, a combination of items is only suggested. Two customers of the same name both get
# it, and the ambiguity cap applies.
SAME_NAME_CONFIDENCE = Decimal("0.94")
# Amounts alone, once the customer is known: one item, a combination, or nothing (on account).
AMOUNT_ONLY_FACTOR = Decimal("0.97")
COMBINATION_FACTOR = Decimal("0.95")
ON_ACCOUNT_FACTOR = Decimal("0.60")
AMBIGUITY_MARGIN = Decimal("0.05")
AMBIGUOUS_CAP = Decimal("0.75")


@dataclass(frozen=True)
class MatchSettings:
    """Settings of one matching run; ``docs/cash-application.md`` explains each one.

    Amount tolerances are in minor units of the open item's currency, except ``fee_tolerance``,
    which is in the company currency and converted at each item's exchange rate.
    """

    auto_apply_confidence: Decimal = Decimal("0.90")
    suggest_confidence: Decimal = Decimal("0.50")
    discount_rates: tuple[Decimal, ...] = (Decimal("2"), Decimal("3"))
    discount_days: int = 14
    rounding_tolerance_minor: int = 1
    fee_tolerance: Decimal = Decimal("5.00")
    fx_tolerance_percent: Decimal = Decimal("1.5")
    name_threshold: int = 85
    min_number_digits: int = 4
    subset_max_items: int = 60
    subset_max_size: int = 4
    short_payment: ShortPayment = ShortPayment.RESIDUAL

    @property
    def discount_basis_points(self) -> tuple[int, ...]:
        return tuple(int(rate * 100) for rate in self.discount_rates)

    @property
    def fx_tolerance_basis_points(self) -> int:
        return int(self.fx_tolerance_percent * 100)

    def outcome(self, confidence: Decimal) -> Outcome:
        if confidence >= self.auto_apply_confidence:
            return Outcome.AUTO_APPLY
        if confidence >= self.suggest_confidence:
            return Outcome.SUGGEST
        return Outcome.UNMATCHED
