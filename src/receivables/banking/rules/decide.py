"""The decision for one bank transaction: every rule's proposal, then the best one.

Rules, in the order of their base confidence:

1. structured reference: a creditor reference with valid check digits that we issued or that
   derives from an open item's number;
2. invoice number: our numbers in the remittance text, end-to-end id or reference;
3. near miss: one character away from an open item's number or reference (a typo or a
   transposition); never applied automatically;
4. customer by IBAN, learned payer name or fuzzy name, then one open item of exactly the amount
   (or less a discount or bank charges), else a combination of the customer's items that adds up
   (bounded subset sum), else the payment goes on account.

The proposal with the highest confidence wins. When another proposal for other items comes
within ``AMBIGUITY_MARGIN`` of it, the winner is capped below the automatic threshold.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

import numpy as np

from receivables.banking.rules.amounts import (
    AmountFit,
    discount_amount,
    fit_amount,
    in_discount_period,
    is_bank_charge,
    is_discount,
)
from receivables.banking.rules.proposals import OpenItem, Proposal
from receivables.banking.rules.settings import (
    ALIAS_CONFIDENCE,
    AMBIGUITY_MARGIN,
    AMBIGUOUS_CAP,
    AMOUNT_ONLY_FACTOR,
    COMBINATION_FACTOR,
    CONTRADICTED_FACTOR,
    FIT_FACTOR,
    LEARNED_PREFIX_BONUS,
    NUMBER_KEY_CONFIDENCE,
    ON_ACCOUNT_FACTOR,
    RULE_CONFIDENCE,
    THIRD_PARTY_FACTOR,
    Fit,
    MatchSettings,
    Rule,
)
from receivables.banking.rules.subset_sum import find_subsets

# Only the strongest customer guesses of a line are searched for amounts, and only the first
# for combinations, the costliest search.
MAX_GUESSES = 2
# (paid minor, from currency, to currency, date) -> (converted minor, rate) or None
Converter = Callable[[int, str, str, date], tuple[int, Decimal] | None]


@dataclass(frozen=True)
class CustomerGuess:
    customer_id: int
    confidence: Decimal
    evidence: str


@dataclass
class LineFacts:
    """The candidates the search found for one bank transaction."""

    transaction_id: int
    booking_date: date
    amount_minor: int
    currency: str
    references: list[tuple[OpenItem, str]] = field(default_factory=list)
    invalid_references: list[str] = field(default_factory=list)
    numbers: list[tuple[OpenItem, str, str]] = field(default_factory=list)
    near_misses: list[tuple[OpenItem, str]] = field(default_factory=list)
    customers: list[CustomerGuess] = field(default_factory=list)
    exact_items: list[OpenItem] = field(default_factory=list)


@dataclass(frozen=True)
class Context:
    settings: MatchSettings
    convert: Converter
    customer_items: Callable[[int], Sequence[OpenItem]]
    learned_prefixes: frozenset[tuple[int, str]]
    fee_tolerance: Callable[[str, date], int]


def decide(facts: LineFacts, context: Context) -> Proposal | None:
    """Choose the best proposal for the line and set its outcome; None when no rule applies."""
    proposals = [*_reference_proposals(facts, context), *_number_proposals(facts, context)]
    automatic = any(p.confidence >= context.settings.auto_apply_confidence for p in proposals)
    if not automatic:
        # The later rules run only when the references and numbers left the line unsure.
        proposals += _near_miss_proposals(facts, context)
        proposals += _customer_proposals(facts, context)
    if not proposals:
        return None
    proposals.sort(key=lambda proposal: (-proposal.confidence, proposal.rule != Rule.STRUCTURED_REFERENCE))
    best = proposals[0]
    if facts.invalid_references:
        reason = f"creditor reference {facts.invalid_references[0]} fails its check digits"
        best = best.capped(AMBIGUOUS_CAP, reason)
    rival = next((p for p in proposals[1:] if p.item_ids != best.item_ids), None)
    if rival is not None and best.confidence - rival.confidence < AMBIGUITY_MARGIN:
        numbers = ", ".join(str(i) for i in sorted(rival.item_ids)) or "no item"
        best = best.capped(AMBIGUOUS_CAP, f"ambiguous: {rival.rule} also fits (items {numbers})")
    return best.with_outcome(context.settings.outcome(best.confidence))


def _fit(
    facts: LineFacts, items: Sequence[OpenItem], context: Context
) -> tuple[AmountFit, int, Decimal | None] | None:
    """Fit the paid amount to items of one currency, converting the payment if needed."""
    currency = items[0].currency
    paid, rate, converted = facts.amount_minor, None, False
    if currency != facts.currency:
        conversion = context.convert(facts.amount_minor, facts.currency, currency, facts.booking_date)
        if conversion is None:
            return None
        paid, rate = conversion
        converted = True
    tolerance = context.fee_tolerance(currency, facts.booking_date)
    fit = fit_amount(paid, items, facts.booking_date, context.settings, tolerance, converted)
    return fit, paid, rate


def _proposal(
    facts: LineFacts,
    rule: Rule,
    confidence: Decimal,
    items: Sequence[OpenItem],
    context: Context,
    evidence: list[str],
) -> Proposal | None:
    fitted = _fit(facts, items, context)
    if fitted is None:
        return None
    fit, paid, rate = fitted
    customer_id = items[0].customer_id
    evidence = [*evidence, fit.detail]
    if rate is not None:
        evidence.append(f"{facts.currency} converted to {items[0].currency} at {rate}")
    guesses = {guess.customer_id for guess in facts.customers}
    if rule in (Rule.STRUCTURED_REFERENCE, Rule.INVOICE_NUMBER, Rule.NEAR_MISS) and guesses:
        if customer_id in guesses:
            evidence.append("the payer is the customer")
        else:
            confidence *= THIRD_PARTY_FACTOR
            evidence.append("the payer is not the customer (third party)")
            known = max(guess.confidence for guess in facts.customers) >= ALIAS_CONFIDENCE
            if known and fit.fit in (Fit.PARTIAL, Fit.OVERPAYMENT):
                # A mistyped number often names another customer's invoice: the payer and the
                # amount both speak against it.
                confidence *= CONTRADICTED_FACTOR
                evidence.append("the payer is known as another customer and the amount does not fit")
    return Proposal(
        transaction_id=facts.transaction_id,
        rule=rule,
        fit=fit.fit,
        confidence=(confidence * FIT_FACTOR[fit.fit]).quantize(Decimal("0.0001")),
        customer_id=customer_id,
        currency=items[0].currency,
        payment_minor=paid,
        parts=fit.parts,
        unapplied_minor=fit.unapplied,
        evidence=tuple(evidence),
        exchange_rate=rate,
    )


def _by_customer(pairs: Sequence[tuple[OpenItem, str]]) -> dict[tuple[int, str], list[OpenItem]]:
    groups: dict[tuple[int, str], dict[int, OpenItem]] = {}
    for item, _ in pairs:
        groups.setdefault((item.customer_id, item.currency), {})[item.document_id] = item
    return {key: list(found.values()) for key, found in groups.items()}


def _reference_proposals(facts: LineFacts, context: Context) -> list[Proposal]:
    proposals = []
    for items in _by_customer(facts.references).values():
        ids = {item.document_id for item in items}
        references = sorted({ref for item, ref in facts.references if item.document_id in ids})
        evidence = [f"creditor reference {', '.join(references)} with valid check digits"]
        base = RULE_CONFIDENCE[Rule.STRUCTURED_REFERENCE]
        proposal = _proposal(facts, Rule.STRUCTURED_REFERENCE, base, items, context, evidence)
        if proposal is not None:
            proposals.append(proposal)
    return proposals


def _number_proposals(facts: LineFacts, context: Context) -> list[Proposal]:
    proposals = []
    kinds_of: dict[int, set[str]] = {}
    prefixes_of: dict[int, set[str]] = {}
    for item, kind, prefix in facts.numbers:
        kinds_of.setdefault(item.document_id, set()).add(kind)
        if prefix:
            prefixes_of.setdefault(item.document_id, set()).add(prefix)
    pairs = [(item, kind) for item, kind, _ in facts.numbers]
    for (customer_id, _), items in _by_customer(pairs).items():
        kinds = set().union(*(kinds_of[item.document_id] for item in items))
        prefixes = set().union(*(prefixes_of.get(item.document_id, set()) for item in items))
        # Each item counts with the strongest form it was found in; the weakest item decides.
        base = min(max(NUMBER_KEY_CONFIDENCE[k] for k in kinds_of[item.document_id]) for item in items)
        written = ", ".join(item.number for item in items)
        evidence = [f"invoice number {written} in the text ({', '.join(sorted(kinds))})"]
        if any((customer_id, prefix) in context.learned_prefixes for prefix in prefixes):
            base += LEARNED_PREFIX_BONUS
            evidence.append("written with the customer's usual prefix")
        chosen = _best_subset(facts, items, context)
        proposal = _proposal(facts, Rule.INVOICE_NUMBER, base, chosen, context, evidence)
        if proposal is not None:
            proposals.append(proposal)
    return proposals


def _best_subset(facts: LineFacts, items: list[OpenItem], context: Context) -> list[OpenItem]:
    """Pick, of several numbers in the text, those the amount pays exactly, if not all of them."""
    if len(items) < 2 or items[0].currency != facts.currency:
        return items
    if sum(item.open_minor for item in items) == facts.amount_minor:
        return items
    found = find_subsets(
        [item.open_minor for item in items], facts.amount_minor, facts.amount_minor, len(items)
    )
    return [items[index] for index in found[0]] if len(found) == 1 else items


def _near_miss_proposals(facts: LineFacts, context: Context) -> list[Proposal]:
    if facts.references or facts.numbers:
        return []
    proposals = []
    for item, written in facts.near_misses:
        evidence = [f"{written!r} is one character away from {item.number}"]
        if facts.invalid_references:
            evidence.append(f"creditor reference {facts.invalid_references[0]} fails its check digits")
        proposal = _proposal(
            facts, Rule.NEAR_MISS, RULE_CONFIDENCE[Rule.NEAR_MISS], [item], context, evidence
        )
        if proposal is not None:
            proposals.append(proposal)
    return proposals


def _customer_proposals(facts: LineFacts, context: Context) -> list[Proposal]:
    proposals: list[Proposal] = []
    strongest = sorted(facts.customers, key=lambda guess: -guess.confidence)[:MAX_GUESSES]
    for rank, guess in enumerate(strongest):
        found = _customer_items_proposals(facts, guess, context, combine=rank == 0)
        proposals.extend(found or [_on_account(facts, guess, context)])
    return proposals


def _customer_items_proposals(
    facts: LineFacts, guess: CustomerGuess, context: Context, combine: bool
) -> list[Proposal]:
    """Proposals from the guessed customer's items; ``combine`` also searches combinations."""
    exact = [item for item in facts.exact_items if item.customer_id == guess.customer_id]
    base = guess.confidence * AMOUNT_ONLY_FACTOR
    evidence = [guess.evidence]
    if exact:
        return _each(facts, exact, base, context, [*evidence, "one open item of exactly the amount"])
    items = list(context.customer_items(guess.customer_id))
    same_currency = [item for item in items if item.currency == facts.currency]
    pool = same_currency or _largest_currency(items)
    if not pool:
        return []
    single = _single_short_items(facts, pool, context)
    proposals = _each(
        facts, single, base, context, [*evidence, "one open item less a discount or bank charges"]
    )
    if not combine or guess.confidence * COMBINATION_FACTOR < context.settings.suggest_confidence:
        return proposals
    # A combination is searched even when one item fits less charges: an exact combination is
    # then a rival, and the ambiguity cap leaves the choice to the reviewer.
    found = _combination(facts, pool, context)
    if found is None:
        return proposals
    combination, within_charges = found
    base = guess.confidence * COMBINATION_FACTOR
    text = f"{len(combination)} open items add up to the amount"
    proposal = _proposal(facts, Rule.CUSTOMER_COMBINATION, base, combination, context, [*evidence, text])
    if proposal is not None and within_charges:
        # Among many items some set often lands within a few units of any amount by chance.
        reason = "the items add up only within the bank-charge tolerance, which may be chance"
        proposal = proposal.capped(AMBIGUOUS_CAP, reason)
    return [*proposals, proposal] if proposal is not None else proposals


def _each(
    facts: LineFacts,
    items: Sequence[OpenItem],
    base: Decimal,
    context: Context,
    evidence: list[str],
) -> list[Proposal]:
    found = (_proposal(facts, Rule.CUSTOMER_AMOUNT, base, [item], context, evidence) for item in items)
    return [proposal for proposal in found if proposal is not None]


def _largest_currency(items: Sequence[OpenItem]) -> list[OpenItem]:
    if not items:
        return []
    totals: dict[str, int] = {}
    for item in items:
        totals[item.currency] = totals.get(item.currency, 0) + 1
    currency = max(totals, key=lambda code: (totals[code], code))
    return [item for item in items if item.currency == currency]


def _paid_in(facts: LineFacts, currency: str, context: Context) -> int | None:
    if currency == facts.currency:
        return facts.amount_minor
    conversion = context.convert(facts.amount_minor, facts.currency, currency, facts.booking_date)
    return conversion[0] if conversion else None


def _single_short_items(facts: LineFacts, pool: Sequence[OpenItem], context: Context) -> list[OpenItem]:
    """Items paid less a cash discount (in its period) or less bank charges, found with NumPy."""
    paid = _paid_in(facts, pool[0].currency, context)
    if paid is None or pool[0].currency != facts.currency:
        return []
    settings = context.settings
    amounts = np.array([item.open_minor for item in pool], dtype=np.int64)
    in_period = np.array([in_discount_period(item, facts.booking_date, settings) for item in pool])
    hit = np.zeros(len(pool), dtype=bool)
    for basis_points in settings.discount_basis_points:
        hit |= is_discount(paid, amounts, basis_points, settings.rounding_tolerance_minor) & in_period
    hit |= is_bank_charge(paid, amounts, context.fee_tolerance(pool[0].currency, facts.booking_date))
    return [item for item, flag in zip(pool, hit, strict=True) if flag]


def _combination(
    facts: LineFacts, pool: Sequence[OpenItem], context: Context
) -> tuple[list[OpenItem], bool] | None:
    """A unique set of the customer's items that the payment settles, or None.

    The search takes the ``subset_max_items`` oldest items issued by the booking date.

    The flag is true when the set adds up only within the bank-charge tolerance.
    """
    settings = context.settings
    paid = _paid_in(facts, pool[0].currency, context)
    if paid is None:
        return None
    fee = context.fee_tolerance(pool[0].currency, facts.booking_date)
    # A payment settles items issued by the day it was booked, each no larger than itself.
    affordable = [
        item for item in pool if item.open_minor <= paid + fee and item.document_date <= facts.booking_date
    ]
    ordered = sorted(affordable, key=lambda item: (item.due_date, item.document_id))
    ordered = ordered[: settings.subset_max_items]
    full = [item.open_minor for item in ordered]
    # Exact first, then less a cash discount, then less bank charges (paid + 1 to paid + fee).
    attempts = [(full, paid, paid)]
    in_period = any(in_discount_period(item, facts.booking_date, settings) for item in ordered)
    for basis_points in settings.discount_basis_points if in_period else ():
        discounted = [
            item.open_minor - discount_amount(item.open_minor, basis_points)
            if in_discount_period(item, facts.booking_date, settings)
            else item.open_minor
            for item in ordered
        ]
        attempts.append((discounted, paid, paid))
    attempts.append((full, paid + 1, paid + fee))
    for number, (values, low, high) in enumerate(attempts):
        found = find_subsets(values, low, high, settings.subset_max_size)
        if len(found) == 1 and len(found[0]) > 1:
            return [ordered[index] for index in found[0]], number == len(attempts) - 1
        if len(found) > 1:
            return None
    return None


def _on_account(facts: LineFacts, guess: CustomerGuess, context: Context) -> Proposal:
    confidence = (guess.confidence * ON_ACCOUNT_FACTOR).quantize(Decimal("0.0001"))
    return Proposal(
        transaction_id=facts.transaction_id,
        rule=Rule.ON_ACCOUNT,
        fit=Fit.NONE,
        confidence=confidence,
        customer_id=guess.customer_id,
        currency=facts.currency,
        payment_minor=facts.amount_minor,
        unapplied_minor=facts.amount_minor,
        evidence=(guess.evidence, "no open item or combination fits the amount: post on account"),
    )


def renumber(proposal: Proposal, transaction_id: int) -> Proposal:
    return replace(proposal, transaction_id=transaction_id)
