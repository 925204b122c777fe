"""The batch schedule of an import equals ``PaymentTerm.schedule`` invoice by invoice.

Random invoices in EUR, JPY and KWD on terms of every share and discount kind go through
``schedule_invoices``; each result must equal the domain's schedule, down to the JSON of the
frozen discount offers. Invoices the domain rejects must be rejected with its message.
"""

from __future__ import annotations

import json
import random
from datetime import date, timedelta

import polars as pl
import pytest

from receivables.domain.discounts import DiscountBase
from receivables.domain.errors import ReceivablesError
from receivables.domain.money import Currency, Money
from receivables.domain.terms import PaymentTerm
from receivables.importers.term_schedules import schedule_invoices

TERMS = [
    "net30",
    "2/10 net30",
    "3/7 1.5/14 net30",
    "50% net30, net60",
    "33.33% net30, 33.33% net60, net90",
    "50% 2/10 net30, net60 @DE",
    "500 net0, net30",
    "30% net0, 250.5 net15, 1/20 net45",
    "12.5% 3/7 net30, 87.5% eom+1m",
    "2.125/10 cutoff20:eom+1m",
    "1/5 day15+2m @DE-BY-preceding",
    "0.001% net10, 99.999% net40",
]
CURRENCIES = ["EUR", "JPY", "KWD"]


def _random_invoices(count: int, seed: int) -> list[tuple[str, date, str, int, int]]:
    rng = random.Random(seed)
    invoices = []
    for _ in range(count):
        currency = rng.choice(CURRENCIES)
        amount = rng.choice([1, 3, 7, rng.randint(1, 10**4), rng.randint(1, 10**9)])
        tax = rng.choice([0, amount * 19 // 119, rng.randint(0, amount)])
        day = date(2023, 12, 1) + timedelta(days=rng.randint(0, 120))
        invoices.append((rng.choice(TERMS), day, currency, amount, tax))
    return invoices


def _frame(invoices: list[tuple[str, date, str, int, int]]) -> pl.DataFrame:
    return pl.DataFrame(
        [
            (index, term, day, currency, Currency.of(currency).minor_unit, amount, tax)
            for index, (term, day, currency, amount, tax) in enumerate(invoices)
        ],
        schema=["_invoice", "payment_term", "document_date", "currency", "minor_unit",
                "amount_minor", "tax_minor"],
        orient="row",
    )  # fmt: skip


def _expected(term: str, day: date, currency: str, amount: int, tax: int, base: DiscountBase):
    schedule = PaymentTerm.parse(term).schedule(
        day,
        Money.from_minor(amount, currency),
        Money.from_minor(tax, currency),
        discount_base=base,
    )
    return [
        (
            item.number,
            item.due_date,
            item.amount.minor_units(),
            item.tax.minor_units(),
            [offer.to_dict() for offer in item.offers] or None,
        )
        for item in schedule.instalments
    ]


@pytest.mark.parametrize("base", [DiscountBase.GROSS, DiscountBase.NET])
def test_batch_schedules_equal_domain(base):
    invoices = _random_invoices(600, seed=7 if base is DiscountBase.GROSS else 8)
    terms = {text: PaymentTerm.parse(text) for text in TERMS}

    result = schedule_invoices(_frame(invoices), terms, base)

    by_invoice: dict[int, list] = {}
    for row in result.instalments.iter_rows(named=True):
        offers = json.loads(row["discount_offers"]) if row["discount_offers"] else None
        by_invoice.setdefault(row["_invoice"], []).append(
            (row["instalment"], row["due_date"], row["amount_minor"], row["tax_minor"], offers)
        )
    failures = dict(result.failures.iter_rows())
    for index, invoice in enumerate(invoices):
        try:
            expected = _expected(*invoice, base)
        except ReceivablesError as error:
            assert failures.get(index) == str(error), invoice
            continue
        assert by_invoice.get(index) == expected, invoice


def test_batch_rejects_fixed_amounts_above_total():
    invoices = [("500 net0, net30", date(2024, 1, 31), "EUR", 30_000, 0)]
    terms = {"500 net0, net30": PaymentTerm.parse("500 net0, net30")}

    result = schedule_invoices(_frame(invoices), terms, DiscountBase.GROSS)

    assert result.instalments.is_empty()
    assert result.failures.row(0) == (
        0,
        "the fixed amounts and percentages take 500.00 EUR, more than the invoice total 300.00 EUR",
    )


def test_batch_rejects_fixed_amount_finer_than_yen():
    invoices = [("250.5 net0, net30", date(2024, 1, 31), "JPY", 1_000, 0)]
    terms = {"250.5 net0, net30": PaymentTerm.parse("250.5 net0, net30")}

    result = schedule_invoices(_frame(invoices), terms, DiscountBase.GROSS)

    assert result.failures.row(0)[1] == "fixed amount 250.5 has more decimals than JPY allows"


def test_batch_dates_each_pair_once():
    invoices = [("2/10 net30", date(2024, 1, 31), "EUR", amount, 0) for amount in (100, 200, 300)]
    term = PaymentTerm.parse("2/10 net30")
    calls = []

    class CountingTerm:
        lines = term.lines

        def line_dates(self, day, calendar=None):
            calls.append(day)
            return term.line_dates(day, calendar)

    schedule_invoices(_frame(invoices), {"2/10 net30": CountingTerm()}, DiscountBase.GROSS)

    assert calls == [date(2024, 1, 31)]
