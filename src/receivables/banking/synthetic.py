"""A seeded synthetic ledger and bank transactions with their ground truth, for the benchmark.

The ledger has ``items`` open invoices over ``items // 50`` customers (names built from word
lists, a German IBAN each, 70 % of the IBANs already learned), 5 % of the invoices in USD. Each
bank transaction pays known items in one of these ways, with these shares:

=====================  =====  ===========================================================
scenario               share  what the payer did
=====================  =====  ===========================================================
reference              26 %   quoted the creditor reference, paid exactly
third_party            3 %    someone else paid with the reference
number                 16 %   wrote the invoice number in another format, paid exactly
number_typo            4 %    wrote the number with two digits swapped
bundle                 10 %   paid 2 to 4 invoices at once, with or without their numbers
iban_amount            8 %    no reference, from a learned IBAN, exact amount
name_amount            6 %    no reference, unknown IBAN, name written differently
partial                5 %    quoted the reference, paid 30-70 %
discount               6 %    wrote the number, took a 2 % or 3 % cash discount in time
fee                    5 %    wrote the number, the banks deducted 0.50 to 3.00
foreign_currency       3 %    paid a USD invoice in EUR, at the day's rate give or take 0.5 %
unknown                8 %    a payment that belongs to no open item
=====================  =====  ===========================================================

The ground truth of each transaction is the set of document ids it pays (empty for ``unknown``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import numpy as np
import polars as pl
from schwifty import IBAN

from receivables.banking.rules.candidates import LINE_SCHEMA
from receivables.banking.rules.references import creditor_reference

SCENARIOS = {
    "reference": 0.26,
    "third_party": 0.03,
    "number": 0.16,
    "number_typo": 0.04,
    "bundle": 0.10,
    "iban_amount": 0.08,
    "name_amount": 0.06,
    "partial": 0.05,
    "discount": 0.06,
    "fee": 0.05,
    "foreign_currency": 0.03,
    "unknown": 0.08,
}
FIRST = [
    "Nordic",
    "Alpine",
    "Baltic",
    "Rhine",
    "Atlas",
    "Orion",
    "Vega",
    "Delta",
    "Summit",
    "Harbor",
    "Pioneer",
    "Crescent",
    "Granite",
    "Silver",
    "Emerald",
    "Falcon",
    "Maple",
    "Cedar",
    "Aurora",
    "Zenith",
]
SECOND = [
    "Logistics",
    "Foods",
    "Textiles",
    "Machines",
    "Pharma",
    "Media",
    "Energy",
    "Software",
    "Plastics",
    "Tools",
    "Furniture",
    "Optics",
    "Chemicals",
    "Metals",
    "Retail",
    "Motors",
]
CITY = [
    "Hamburg",
    "Lyon",
    "Turin",
    "Leeds",
    "Ghent",
    "Graz",
    "Malmo",
    "Porto",
    "Basel",
    "Cork",
    "Bergen",
    "Krakow",
]
LEGAL = ["GmbH", "AG", "Ltd", "SA", "BV", "Inc", "KG", "SRL"]
START = date(2024, 1, 2)
USD_RATE = Decimal("0.9200000000")


@dataclass(frozen=True)
class SyntheticCase:
    """A ledger in the engine's frame schemas, bank lines, and the ground truth of each line."""

    items: pl.DataFrame
    customers: pl.DataFrame
    ibans: pl.DataFrame
    rates: pl.DataFrame
    lines: pl.DataFrame
    truth: dict[int, frozenset[int]]
    scenario: dict[int, str]
    as_of: date


def _customers(rng: np.random.Generator, count: int) -> tuple[list[str], list[str]]:
    names, ibans = [], []
    combinations = len(FIRST) * len(SECOND) * len(CITY)
    for index in rng.permutation(combinations)[:count] if count <= combinations else range(count):
        first = FIRST[index % len(FIRST)]
        second = SECOND[index // len(FIRST) % len(SECOND)]
        city = CITY[index // (len(FIRST) * len(SECOND)) % len(CITY)]
        legal = LEGAL[rng.integers(len(LEGAL))]
        names.append(f"{first} {second} {city} {legal}")
        account = f"{rng.integers(10**9, 10**10):010d}"
        ibans.append(str(IBAN.generate("DE", bank_code="37040044", account_code=account).compact))
    return names, ibans


def _items(rng: np.random.Generator, count: int, customers: int) -> pl.DataFrame:
    days = rng.integers(0, 150, count)
    amounts = np.round(np.exp(rng.normal(7.0, 1.1, count)) * 100).astype(np.int64) + 1_000
    currency = np.where(rng.random(count) < 0.05, "USD", "EUR")
    document_dates = [START + timedelta(days=int(day)) for day in days]
    return pl.DataFrame(
        {
            "document_id": np.arange(1, count + 1, dtype=np.int64),
            "customer_id": rng.integers(1, customers + 1, count).astype(np.int64),
            "number": [f"INV-2024-{index:06d}" for index in range(1, count + 1)],
            "document_date": document_dates,
            "due_date": [day + timedelta(days=30) for day in document_dates],
            "currency": currency,
            "open_minor": amounts,
        }
    )


def _number_text(rng: np.random.Generator, number: str) -> str:
    digits = number.split("-")[-1]
    forms = [
        f"Invoice {number}",
        f"inv 2024/{digits.lstrip('0')}",
        f"RE 2024{digits}",
        f"Rechnung Nr. 2024-{digits.lstrip('0')}",
        f"payment {number.replace('-', '')}",
    ]
    return forms[rng.integers(len(forms))]


def _swap_digits(rng: np.random.Generator, number: str) -> str:
    digits = list(number)
    positions = [
        i
        for i in range(len(digits) - 1)
        if digits[i].isdigit() and digits[i + 1].isdigit() and digits[i] != digits[i + 1]
    ]
    if not positions:
        return number + "9"
    i = positions[rng.integers(len(positions))]
    digits[i], digits[i + 1] = digits[i + 1], digits[i]
    return "".join(digits)


def generate_case(lines: int, items: int, seed: int = 2024) -> SyntheticCase:
    """Build the ledger and ``lines`` bank transactions; the same seed gives the same case."""
    rng = np.random.default_rng(seed)
    customer_count = max(items // 50, 10)
    names, ibans = _customers(rng, customer_count)
    ledger = _items(rng, items, customer_count)
    builder = _LineBuilder(rng, ledger, names, ibans)
    kinds = rng.choice(list(SCENARIOS), size=lines, p=list(SCENARIOS.values()))
    for kind in kinds:
        builder.add(str(kind))
    learned = rng.random(customer_count) < 0.7
    return SyntheticCase(
        items=ledger,
        customers=pl.DataFrame(
            {"customer_id": np.arange(1, customer_count + 1, dtype=np.int64), "name": names}
        ),
        ibans=pl.DataFrame(
            {
                "iban": [iban for iban, keep in zip(ibans, learned, strict=True) if keep],
                "customer_id": np.arange(1, customer_count + 1, dtype=np.int64)[learned],
            }
        ),
        rates=pl.DataFrame(
            {"currency": ["USD"], "rate_date": [date(2023, 12, 31)], "rate": [str(USD_RATE)]}
        ),
        lines=builder.frame(),
        truth=builder.truth,
        scenario=builder.scenario,
        as_of=START + timedelta(days=240),
    )


class _LineBuilder:
    def __init__(
        self, rng: np.random.Generator, ledger: pl.DataFrame, names: list[str], ibans: list[str]
    ) -> None:
        self.rng = rng
        self.names, self.ibans = names, ibans
        self.rows: list[tuple[object, ...]] = []
        self.truth: dict[int, frozenset[int]] = {}
        self.scenario: dict[int, str] = {}
        self.ledger = ledger
        order = rng.permutation(ledger.height)
        self.unused = list(order)
        self.by_customer: dict[int, list[int]] = {}
        for position in order:
            self.by_customer.setdefault(int(ledger["customer_id"][int(position)]), []).append(
                int(position)
            )
        self.taken: set[int] = set()

    def _take(self, currency: str = "EUR") -> dict[str, Any] | None:
        while self.unused:
            position = int(self.unused.pop())
            row = self.ledger.row(position, named=True)
            if position not in self.taken and row["currency"] == currency:
                self.taken.add(position)
                return row
        return None

    def _payer(self, row: dict[str, Any], learned_iban: bool = True) -> tuple[str, str | None]:
        customer = int(row["customer_id"]) - 1
        return self.names[customer], self.ibans[customer] if learned_iban else None

    def _add(
        self,
        kind: str,
        rows: list[dict[str, Any]],
        amount: int,
        currency: str,
        payer: str,
        iban: str | None,
        text: str,
        reference: str | None,
    ) -> None:
        transaction_id = len(self.rows) + 1
        latest = max(row["document_date"] for row in rows) if rows else START
        booked = latest + timedelta(days=int(self.rng.integers(1, 12)))
        self.rows.append(
            (transaction_id, booked, amount, currency, payer, iban, text, reference, None)
        )
        self.truth[transaction_id] = frozenset(int(row["document_id"]) for row in rows)
        self.scenario[transaction_id] = kind

    def add(self, kind: str) -> None:
        getattr(self, f"_{kind}")(kind)

    def _reference(self, kind: str, third_party: bool = False) -> None:
        row = self._take()
        if row is None:
            return
        payer, iban = ("Treasury Services Ltd", None) if third_party else self._payer(row)
        self._add(
            kind,
            [row],
            int(row["open_minor"]),
            "EUR",
            payer,
            iban,
            "",
            creditor_reference(str(row["number"])),
        )

    def _third_party(self, kind: str) -> None:
        self._reference(kind, third_party=True)

    def _number(self, kind: str) -> None:
        row = self._take()
        if row is None:
            return
        payer, _ = self._payer(row)
        self._add(
            kind,
            [row],
            int(row["open_minor"]),
            "EUR",
            payer.upper(),
            None,
            _number_text(self.rng, str(row["number"])),
            None,
        )

    def _number_typo(self, kind: str) -> None:
        row = self._take()
        if row is None:
            return
        payer, _ = self._payer(row)
        text = f"Invoice {_swap_digits(self.rng, str(row['number']))}"
        self._add(kind, [row], int(row["open_minor"]), "EUR", payer, None, text, None)

    def _bundle(self, kind: str) -> None:
        first = self._take()
        if first is None:
            return
        customer = int(first["customer_id"])
        rows = [first]
        size = int(self.rng.integers(2, 5))
        for position in self.by_customer.get(customer, []):
            row = self.ledger.row(position, named=True)
            if len(rows) >= size:
                break
            if position not in self.taken and row["currency"] == "EUR":
                self.taken.add(position)
                rows.append(row)
        payer, iban = self._payer(first)
        with_numbers = self.rng.random() < 0.5
        text = " ".join(str(row["number"]) for row in rows) if with_numbers else "payment as agreed"
        amount = sum(int(row["open_minor"]) for row in rows)
        self._add(kind, rows, amount, "EUR", payer, iban, text, None)

    def _iban_amount(self, kind: str) -> None:
        row = self._take()
        if row is None:
            return
        payer, iban = self._payer(row)
        self._add(kind, [row], int(row["open_minor"]), "EUR", payer, iban, "thank you", None)

    def _name_amount(self, kind: str) -> None:
        row = self._take()
        if row is None:
            return
        payer, _ = self._payer(row)
        variant = " ".join(payer.split()[:-1]).upper()  # without the legal form
        self._add(kind, [row], int(row["open_minor"]), "EUR", variant, None, "", None)

    def _partial(self, kind: str) -> None:
        row = self._take()
        if row is None:
            return
        payer, iban = self._payer(row)
        amount = int(int(row["open_minor"]) * float(self.rng.uniform(0.3, 0.7)))
        self._add(
            kind,
            [row],
            amount,
            "EUR",
            payer,
            iban,
            "instalment",
            creditor_reference(str(row["number"])),
        )

    def _discount(self, kind: str) -> None:
        row = self._take()
        if row is None:
            return
        payer, _ = self._payer(row)
        rate = 200 if self.rng.random() < 0.7 else 300
        open_minor = int(row["open_minor"])
        amount = open_minor - (open_minor * rate + 5_000) // 10_000
        self._add(
            kind,
            [row],
            amount,
            "EUR",
            payer,
            None,
            f"{row['number']} less {rate // 100}% discount",
            None,
        )

    def _fee(self, kind: str) -> None:
        row = self._take()
        if row is None:
            return
        payer, _ = self._payer(row)
        fee = int(self.rng.integers(50, 301))
        self._add(
            kind, [row], int(row["open_minor"]) - fee, "EUR", payer, None, str(row["number"]), None
        )

    def _foreign_currency(self, kind: str) -> None:
        row = self._take("USD")
        if row is None:
            return
        payer, iban = self._payer(row)
        drift = Decimal(str(round(float(self.rng.uniform(-0.005, 0.005)), 4)))
        eur = int((Decimal(int(row["open_minor"])) * USD_RATE * (1 + drift)).to_integral_value())
        self._add(kind, [row], eur, "EUR", payer, iban, str(row["number"]), None)

    def _unknown(self, kind: str) -> None:
        amount = int(self.rng.integers(1_000, 500_000))
        self._add(
            kind,
            [],
            amount,
            "EUR",
            f"Private Person {self.rng.integers(10**6)}",
            None,
            "donation",
            None,
        )

    def frame(self) -> pl.DataFrame:
        return pl.DataFrame(self.rows, schema=LINE_SCHEMA, orient="row")
