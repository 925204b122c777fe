"""The matching engine: bank transactions and open items in, one proposal per transaction out.

:func:`match_transactions` takes plain frames (no database) so the command, the tests and the
benchmark run the same code. Cross-ledger comparisons are Polars joins
(:mod:`receivables.banking.rules.candidates`); each transaction's small candidate list is then
decided by :func:`receivables.banking.rules.decide.decide`.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache

import numpy as np
import polars as pl
from rapidfuzz.distance import OSA

from receivables.banking.rules import candidates as search
from receivables.banking.rules.amounts import convert_minor
from receivables.banking.rules.decide import Context, CustomerGuess, LineFacts, decide
from receivables.banking.rules.names import NameIndex
from receivables.banking.rules.numbers import reference_body_keys, text_keys
from receivables.banking.rules.proposals import OpenItem, Proposal
from receivables.banking.rules.settings import (
    ALIAS_CONFIDENCE,
    IBAN_CONFIDENCE,
    NAME_CONFIDENCE,
    SAME_NAME_CONFIDENCE,
    SHARED_IBAN_CONFIDENCE,
    MatchSettings,
)
from receivables.domain.money import Currency


@dataclass(frozen=True)
class MatchInputs:
    """Everything one run compares; the frames follow the schemas in ``candidates``.

    ``rates`` holds ``currency``, ``rate_date`` and ``rate`` (company-currency units per unit,
    a decimal string); ``references`` the issued payment references (``reference``,
    ``document_id``); ``prefixes`` the learned (``customer_id``, ``prefix``) pairs.
    """

    lines: pl.DataFrame
    items: pl.DataFrame
    customers: pl.DataFrame
    company_currency: str
    ibans: pl.DataFrame = field(
        default_factory=lambda: pl.DataFrame(schema={"iban": pl.String, "customer_id": pl.Int64})
    )
    aliases: pl.DataFrame = field(
        default_factory=lambda: pl.DataFrame(schema={"alias": pl.String, "customer_id": pl.Int64})
    )
    prefixes: pl.DataFrame = field(
        default_factory=lambda: pl.DataFrame(schema={"customer_id": pl.Int64, "prefix": pl.String})
    )
    references: pl.DataFrame = field(
        default_factory=lambda: pl.DataFrame(schema={"reference": pl.String, "document_id": pl.Int64})
    )
    rates: pl.DataFrame = field(
        default_factory=lambda: pl.DataFrame(
            schema={"currency": pl.String, "rate_date": pl.Date, "rate": pl.String}
        )
    )


class RateBook:
    """Exchange rates to the company currency, the latest on or before a date."""

    def __init__(self, rates: pl.DataFrame, company_currency: str) -> None:
        self.company = company_currency
        self.dates: dict[str, list[date]] = defaultdict(list)
        self.values: dict[str, list[Decimal]] = defaultdict(list)
        for currency, day, rate in rates.sort("currency", "rate_date").iter_rows():
            self.dates[currency].append(day)
            self.values[currency].append(Decimal(rate))

    def rate(self, currency: str, day: date) -> Decimal | None:
        if currency == self.company:
            return Decimal(1)
        position = bisect.bisect_right(self.dates.get(currency, []), day)
        return self.values[currency][position - 1] if position else None

    def convert(self, amount: int, source: str, target: str, day: date) -> tuple[int, Decimal] | None:
        source_rate, target_rate = self.rate(source, day), self.rate(target, day)
        if source_rate is None or target_rate is None:
            return None
        rate = (source_rate / target_rate).quantize(Decimal("0.0000000001"))
        units = Currency.of(source).minor_unit, Currency.of(target).minor_unit
        return convert_minor(amount, rate, *units), rate


def match_transactions(inputs: MatchInputs, settings: MatchSettings) -> list[Proposal]:
    """One proposal per transaction that any rule matched; unmatched transactions are left out."""
    lines = inputs.lines.filter(pl.col("amount_minor") > 0)
    if lines.is_empty():
        return []
    items = search.keyed_items(inputs.items, settings.min_number_digits)
    references, invalid, numbers = search.line_keys(lines, settings.min_number_digits)
    found_references = search.reference_candidates(references, items, inputs.references)
    found_numbers = search.number_candidates(numbers, items)
    guesses = _customer_guesses(lines, inputs, settings)
    guess_frame = pl.DataFrame(
        [(t, g.customer_id) for t, gs in guesses.items() for g in gs],
        schema={"transaction_id": pl.Int64, "customer_id": pl.Int64},
        orient="row",
    )
    exact = search.amount_candidates(lines, guess_frame, items)
    needed = pl.concat([found_references["document_id"], found_numbers["document_id"], exact["document_id"]])
    lookup = _Items(items, needed)
    context = Context(
        settings=settings,
        convert=RateBook(inputs.rates, inputs.company_currency).convert,
        customer_items=lookup.of_customer,
        learned_prefixes=frozenset(inputs.prefixes.select("customer_id", "prefix").iter_rows()),
        fee_tolerance=_fee_tolerance(settings, RateBook(inputs.rates, inputs.company_currency)),
    )
    facts = _facts(lines, found_references, invalid, found_numbers, exact, guesses, lookup)
    _add_near_misses(facts, lines, lookup, items, settings)
    return [proposal for fact in facts.values() if (proposal := decide(fact, context)) is not None]


def _fee_tolerance(settings: MatchSettings, rates: RateBook):  # type: ignore[no-untyped-def]
    @lru_cache(maxsize=4096)
    def tolerance(currency: str, day: date) -> int:
        rate = rates.rate(currency, day)
        unit = Currency.of(currency).minor_unit
        if rate is None or rate == 0:
            # NOTE: without a rate the company-currency tolerance is used as if in this currency.
            return int(settings.fee_tolerance.scaleb(unit))
        return int((settings.fee_tolerance / rate).scaleb(unit))

    return tolerance


class _Items:
    """Open items as :class:`OpenItem`, built on first use: the documents found by the joins up
    front, a customer's whole list only when an amount search needs it."""

    COLUMNS = (
        "document_id",
        "customer_id",
        "number",
        "document_date",
        "due_date",
        "currency",
        "open_minor",
    )

    def __init__(self, items: pl.DataFrame, documents: pl.Series) -> None:
        wanted = items.filter(pl.col("document_id").is_in(documents.implode()))
        self.by_id: dict[int, OpenItem] = {
            row[0]: OpenItem(*row) for row in wanted.select(self.COLUMNS).iter_rows()
        }
        self.sorted = items.select(self.COLUMNS).sort("customer_id")
        self.customer_ids = self.sorted["customer_id"].to_numpy()
        self.by_customer: dict[int, list[OpenItem]] = {}

    def of_customer(self, customer_id: int) -> Sequence[OpenItem]:
        if customer_id not in self.by_customer:
            start = int(np.searchsorted(self.customer_ids, customer_id, side="left"))
            end = int(np.searchsorted(self.customer_ids, customer_id, side="right"))
            rows = self.sorted.slice(start, end - start).rows()
            self.by_customer[customer_id] = [self.by_id.get(row[0]) or OpenItem(*row) for row in rows]
        return self.by_customer[customer_id]


def _customer_guesses(
    lines: pl.DataFrame, inputs: MatchInputs, settings: MatchSettings
) -> dict[int, list[CustomerGuess]]:
    found = search.customer_candidates(lines, inputs.ibans, inputs.aliases)
    guesses: dict[int, list[CustomerGuess]] = defaultdict(list)
    for transaction_id, customer_id, source, score in found.iter_rows():
        if source == "iban":
            confidence = IBAN_CONFIDENCE if score == 1 else SHARED_IBAN_CONFIDENCE
            evidence = "payer IBAN learned for this customer" + ("" if score == 1 else " (and others)")
        else:
            confidence, evidence = ALIAS_CONFIDENCE, "payer name learned for this customer"
        guesses[transaction_id].append(CustomerGuess(customer_id, confidence, evidence))
    index = NameIndex(inputs.customers.select("customer_id", "name").iter_rows())
    unknown = lines.filter(~pl.col("transaction_id").is_in(list(guesses)))
    cache: dict[str, list[tuple[int, float]]] = {}
    for transaction_id, name in unknown.select("transaction_id", "counterparty_name").iter_rows():
        if not name:
            continue
        if name not in cache:
            cache[name] = index.best(name, settings.name_threshold)
        for customer_id, score in cache[name]:
            guesses[transaction_id].append(_name_guess(customer_id, name, score))
    return guesses


def _name_guess(customer_id: int, name: str, score: float) -> CustomerGuess:
    """The customer guessed from the payer name: the same words as its name, or a similar name."""
    if score >= 100:
        evidence = f"payer name {name!r} has the words of the customer's name"
        return CustomerGuess(customer_id, SAME_NAME_CONFIDENCE, evidence)
    confidence = (NAME_CONFIDENCE * Decimal(str(round(score, 1))) / 100).quantize(Decimal("0.0001"))
    return CustomerGuess(
        customer_id, confidence, f"payer name {name!r} resembles the customer ({score:.0f}%)"
    )


def _facts(
    lines: pl.DataFrame,
    references: pl.DataFrame,
    invalid: pl.DataFrame,
    numbers: pl.DataFrame,
    exact: pl.DataFrame,
    guesses: dict[int, list[CustomerGuess]],
    lookup: _Items,
) -> dict[int, LineFacts]:
    facts = {
        row[0]: LineFacts(*row)
        for row in lines.select("transaction_id", "booking_date", "amount_minor", "currency").iter_rows()
    }
    for transaction_id, document_id, reference in references.iter_rows():
        facts[transaction_id].references.append((lookup.by_id[document_id], reference))
    for transaction_id, reference in invalid.iter_rows():
        facts[transaction_id].invalid_references.append(reference)
    for transaction_id, document_id, kind, prefix in numbers.iter_rows():
        facts[transaction_id].numbers.append((lookup.by_id[document_id], kind, prefix))
    for transaction_id, document_id in exact.iter_rows():
        facts[transaction_id].exact_items.append(lookup.by_id[document_id])
    for transaction_id, found in guesses.items():
        facts[transaction_id].customers = found
    return facts


def _deletions(frame: pl.DataFrame, key: str) -> pl.DataFrame:
    """Every form of ``key`` with one character deleted (the symmetric-delete index)."""
    return (
        frame.with_columns(pl.int_ranges(0, pl.col(key).str.len_chars()).alias("position"))
        .explode("position")
        .with_columns(
            (
                pl.col(key).str.slice(0, pl.col("position")) + pl.col(key).str.slice(pl.col("position") + 1)
            ).alias("deleted")
        )
    )


def _add_near_misses(
    facts: dict[int, LineFacts],
    lines: pl.DataFrame,
    lookup: _Items,
    items: pl.DataFrame,
    settings: MatchSettings,
) -> None:
    """Numbers one edit or one transposition away from an open item's number.

    Candidates come from the tokens of lines that matched no reference and no number, and from
    the bodies of RF references whose check digits fail. Two strings within one edit share a
    form with one character deleted, so a join on those forms finds every candidate pair over
    the whole ledger; the pairs are then checked with the optimal string alignment distance.
    """
    open_lines = {t for t, fact in facts.items() if not fact.references and not fact.numbers}
    if not open_lines:
        return
    tokens = []
    texts = lines.filter(pl.col("transaction_id").is_in(list(open_lines)))
    for transaction_id, text in texts.select("transaction_id", "remittance_text").iter_rows():
        found = {key.key for key in text_keys(text or "", settings.min_number_digits) if key.kind == "alnum"}
        found |= {
            body for ref in facts[transaction_id].invalid_references for body in reference_body_keys(ref)
        }
        tokens += [(transaction_id, token) for token in found if len(token) >= 5]
    if not tokens:
        return
    token_frame = pl.DataFrame(tokens, schema={"transaction_id": pl.Int64, "token": pl.String}, orient="row")
    keys = items.select("document_id", "key_alnum").filter(pl.col("key_alnum").str.len_chars() >= 5)
    left = pl.concat(
        [
            token_frame.with_columns(pl.col("token").alias("deleted")),
            _deletions(token_frame, "token").drop("position"),
        ]
    )
    right = pl.concat(
        [
            keys.with_columns(pl.col("key_alnum").alias("deleted")),
            _deletions(keys, "key_alnum").drop("position"),
        ]
    )
    pairs = left.join(right, on="deleted").unique(["transaction_id", "document_id", "token"])
    for transaction_id, token, document_id, key in pairs.select(
        "transaction_id", "token", "document_id", "key_alnum"
    ).iter_rows():
        if token != key and OSA.distance(token, key) == 1:
            item = lookup.by_id.get(document_id) or _item_by_id(items, document_id)
            facts[transaction_id].near_misses.append((item, token))


def _item_by_id(items: pl.DataFrame, document_id: int) -> OpenItem:
    row = items.filter(pl.col("document_id") == document_id).row(0, named=True)
    return OpenItem(
        row["document_id"],
        row["customer_id"],
        row["number"],
        row["document_date"],
        row["due_date"],
        row["currency"],
        row["open_minor"],
    )
