"""The matching engine on small ledgers held in frames: one scenario per rule and outcome.

Ledger of every test: customer 10 "Acme Industries GmbH" (IBAN DE89 3704 0044 0532 0130 00
learned) and customer 11 "Bolt Trading Ltd"; EUR invoices dated 2024-03-01 to 2024-03-12.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

import polars as pl

from receivables.banking.rules.candidates import ITEM_SCHEMA, LINE_SCHEMA
from receivables.banking.rules.engine import MatchInputs, match_transactions
from receivables.banking.rules.proposals import Proposal
from receivables.banking.rules.references import creditor_reference
from receivables.banking.rules.settings import Fit, MatchSettings, Outcome, Rule

ACME_IBAN = "DE89370400440532013000"
ITEMS = [
    (1, 10, "INV-2024-0001", date(2024, 3, 1), date(2024, 3, 31), "EUR", 100_000),
    (2, 10, "INV-2024-0002", date(2024, 3, 5), date(2024, 4, 4), "EUR", 25_000),
    (3, 10, "INV-2024-0003", date(2024, 3, 9), date(2024, 4, 8), "EUR", 40_050),
    (4, 11, "INV-2024-0004", date(2024, 3, 9), date(2024, 4, 8), "EUR", 50_000),
    (5, 11, "INV-2024-0005", date(2024, 3, 12), date(2024, 4, 11), "USD", 70_000),
    (6, 11, "INV-2024-0123", date(2024, 3, 12), date(2024, 4, 11), "EUR", 12_300),
]


def _match(
    *lines: tuple[object, ...],
    settings: MatchSettings | None = None,
    items: list[tuple[object, ...]] = ITEMS,
) -> dict[int, Proposal]:
    rows = [
        (index, date(2024, 3, 15), amount, currency, name, iban, text, reference, None)
        for index, (amount, currency, name, iban, text, reference) in enumerate(lines, start=1)
    ]
    inputs = MatchInputs(
        lines=pl.DataFrame(rows, schema=LINE_SCHEMA, orient="row"),
        items=pl.DataFrame(items, schema=ITEM_SCHEMA, orient="row"),
        customers=pl.DataFrame(
            [(10, "Acme Industries GmbH"), (11, "Bolt Trading Ltd")],
            schema={"customer_id": pl.Int64, "name": pl.String},
            orient="row",
        ),
        company_currency="EUR",
        ibans=pl.DataFrame(
            [(ACME_IBAN, 10)], schema={"iban": pl.String, "customer_id": pl.Int64}, orient="row"
        ),
        rates=pl.DataFrame(
            [("USD", date(2024, 1, 1), "0.9000000000")],
            schema={"currency": pl.String, "rate_date": pl.Date, "rate": pl.String},
            orient="row",
        ),
    )
    proposals = match_transactions(inputs, settings or MatchSettings())
    return {proposal.transaction_id: proposal for proposal in proposals}


def test_structured_reference_auto_applied() -> None:
    found = _match((100_000, "EUR", "Someone", None, "", creditor_reference("INV-2024-0001")))[1]

    assert found.rule == Rule.STRUCTURED_REFERENCE
    assert found.outcome == Outcome.AUTO_APPLY
    assert found.item_ids == {1}
    assert "valid check digits" in found.evidence[0]


def test_transposed_reference_not_applied() -> None:
    reference = creditor_reference("INV-2024-0123")
    transposed = reference[:-2] + reference[-1] + reference[-2]
    found = _match((12_300, "EUR", "Bolt Trading", None, "", transposed))[1]

    assert found.outcome == Outcome.SUGGEST
    assert found.item_ids == {6}
    assert any("fails its check digits" in line for line in found.evidence)


def test_invoice_number_with_prefix_and_zeros() -> None:
    found = _match((25_000, "EUR", "Acme", None, "Invoice no. inv 2024/2 thank you", None))[1]

    assert found.rule == Rule.INVOICE_NUMBER
    assert found.outcome == Outcome.AUTO_APPLY
    assert found.item_ids == {2}


def test_near_miss_number_not_applied() -> None:
    found = _match((12_300, "EUR", "Unknown Payer", None, "invoice INV-2024-0213", None))[1]

    assert found.rule == Rule.NEAR_MISS
    assert found.item_ids == {6}
    assert found.outcome == Outcome.SUGGEST


def test_mistyped_number_of_another_customer() -> None:
    # Acme owes INV-2024-0132; its payer swapped two digits and wrote Bolt's INV-2024-0123.
    own = (7, 10, "INV-2024-0132", date(2024, 3, 10), date(2024, 4, 9), "EUR", 8_800)

    found = _match(
        (8_800, "EUR", "ACME INDUSTRIES GMBH", None, "Invoice INV-2024-0123", None), items=[*ITEMS, own]
    )[1]

    assert found.rule == Rule.CUSTOMER_AMOUNT
    assert found.item_ids == {7}
    assert found.outcome == Outcome.AUTO_APPLY


def test_transposed_reference_blocks_amount_rule() -> None:
    reference = creditor_reference("INV-2024-0001")
    transposed = reference[:-2] + reference[-1] + reference[-2]
    found = _match((100_000, "EUR", "Acme", ACME_IBAN, "", transposed))[1]

    assert found.outcome == Outcome.SUGGEST


def test_three_invoices_in_one_amount() -> None:
    found = _match((165_050, "EUR", "ACME", ACME_IBAN, "March invoices", None))[1]

    assert found.rule == Rule.CUSTOMER_COMBINATION
    assert found.item_ids == {1, 2, 3}
    assert found.fit == Fit.EXACT
    assert found.outcome == Outcome.AUTO_APPLY


def _many_items(count: int) -> list[tuple[object, ...]]:
    """Acme's ``count`` invoices of 1 to 3 March, amounts drawn at random with a fixed seed."""
    amounts = random.Random(7).sample(range(10_000, 1_000_000), count)
    return [
        (100 + n, 10, f"INV-2024-{100 + n:04d}", date(2024, 3, 1 + n % 3), date(2024, 3, 31), "EUR", amount)
        for n, amount in enumerate(amounts)
    ]


def test_combination_found_beyond_the_oldest_items() -> None:
    items = _many_items(45)
    paid = sum(int(str(items[n][6])) for n in (25, 31, 44))  # none of the 20 oldest

    found = _match((paid, "EUR", "ACME", ACME_IBAN, "payment as agreed", None), items=items)[1]

    assert found.rule == Rule.CUSTOMER_COMBINATION
    assert found.item_ids == {125, 131, 144}
    assert found.outcome == Outcome.AUTO_APPLY


def test_items_issued_after_the_payment_are_not_combined() -> None:
    later = (7, 10, "INV-2024-0007", date(2024, 3, 20), date(2024, 4, 19), "EUR", 5_000)

    found = _match((105_000, "EUR", "ACME", ACME_IBAN, "", None), items=[*ITEMS, later])[1]

    assert found.rule == Rule.ON_ACCOUNT
    assert found.outcome == Outcome.SUGGEST


def test_exact_combination_rivals_one_item_less_charges() -> None:
    # 125,000 is invoices 1 and 2 exactly, or invoice 7 less 3.00 of bank charges.
    rival = (7, 10, "INV-2024-0007", date(2024, 3, 10), date(2024, 4, 9), "EUR", 125_300)

    found = _match((125_000, "EUR", "ACME", ACME_IBAN, "", None), items=[*ITEMS, rival])[1]

    assert found.outcome == Outcome.SUGGEST
    assert any("ambiguous" in line for line in found.evidence)


def test_discount_taken_applied() -> None:
    found = _match((24_500, "EUR", "Acme", None, "INV-2024-0002 less 2% discount", None))[1]

    assert found.fit == Fit.DISCOUNT
    assert found.parts[0].discount == 500
    assert found.outcome == Outcome.AUTO_APPLY


def test_fee_of_fifty_cents_deducted() -> None:
    found = _match((49_950, "EUR", "Bolt Trading", None, "INV-2024-0004", None))[1]

    assert found.fit == Fit.BANK_CHARGES
    assert found.parts[0].bank_charges == 50
    assert found.outcome == Outcome.AUTO_APPLY


def test_foreign_currency_payment_converted() -> None:
    found = _match((63_300, "EUR", "Bolt Trading", None, "INV-2024-0005", None))[1]

    assert found.currency == "USD"
    assert found.fit == Fit.EXCHANGE_RATE
    assert found.exchange_rate == Decimal("1.1111111111")


def test_third_party_payer_noted() -> None:
    found = _match((50_000, "EUR", "Acme Industries", ACME_IBAN, "INV-2024-0004", None))[1]

    assert found.customer_id == 11
    assert "third party" in " ".join(found.evidence)


def test_overpayment_leaves_unapplied_credit() -> None:
    found = _match((30_000, "EUR", "Acme", None, "INV-2024-0002", None))[1]

    assert found.fit == Fit.OVERPAYMENT
    assert found.unapplied_minor == 5_000


def test_short_payment_by_reference_partial() -> None:
    reference = creditor_reference("INV-2024-0001")
    found = _match((60_000, "EUR", "Acme", None, "", reference))[1]

    assert found.fit == Fit.PARTIAL
    assert found.parts[0].short == 40_000
    assert found.outcome == Outcome.AUTO_APPLY


def test_unknown_payer_left_unmatched() -> None:
    assert _match((777, "EUR", "Nobody Known", None, "thanks", None)) == {}


def test_customer_known_amount_unknown_on_account() -> None:
    found = _match((1_234, "EUR", "Acme", ACME_IBAN, "advance", None))[1]

    assert found.rule == Rule.ON_ACCOUNT
    assert found.outcome == Outcome.SUGGEST


def test_thresholds_from_settings() -> None:
    strict = MatchSettings(auto_apply_confidence=Decimal("0.995"))
    found = _match(
        (100_000, "EUR", "Someone", None, "", creditor_reference("INV-2024-0001")), settings=strict
    )[1]

    assert found.outcome == Outcome.SUGGEST
