"""A bank statement for a stored ledger, so the demo can show cash application end to end.

:func:`run_demo_cash_application` picks open items of the ledger as of a date, writes a
camt.053 statement whose payments settle them the ways customers pay (with the creditor
reference, with the invoice number in the text, several invoices at once, less a cash discount,
less bank charges, part of an invoice), adds payments that belong to no item, imports the file
and runs the matching. The same seed gives the same statement.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import polars as pl
from sqlalchemy import Engine

from receivables.banking.camt_writer import write_camt053
from receivables.banking.importing import BankImportResult, import_statements
from receivables.banking.matching import MatchRunResult, run_matching
from receivables.banking.rules.references import creditor_reference
from receivables.banking.rules.settings import MatchSettings
from receivables.banking.statements import BankTransaction
from receivables.banking.store import load_inputs
from receivables.domain.money import Money

DEMO_ACCOUNT = "DE02120300000000202051"
WAYS = ("reference", "number", "bundle", "discount", "fee", "partial", "unknown")
SHARES = (0.35, 0.25, 0.1, 0.1, 0.08, 0.05, 0.07)


@dataclass(frozen=True)
class DemoCashApplication:
    statement: Path
    imported: BankImportResult
    matched: MatchRunResult


def demo_transactions(
    items: pl.DataFrame, customers: pl.DataFrame, as_of: date, currency: str, count: int, seed: int
) -> list[BankTransaction]:
    """Up to ``count`` payments in ``currency`` that settle open items the usual ways.

    The items are put in document order first, so the same seed gives the same payments whatever
    order the database returned them in.
    """
    rng = np.random.default_rng(seed)
    items = items.sort("document_id")
    names = dict(customers.select("customer_id", "name").iter_rows())
    pool = items.filter(pl.col("currency") == currency).sample(
        fraction=1.0, shuffle=True, seed=seed
    )
    rows = pool.rows(named=True)
    transactions: list[BankTransaction] = []
    position = 0
    for way in rng.choice(WAYS, size=count, p=SHARES):
        if position >= len(rows):
            break
        row = rows[position]
        position += 1
        number, amount = str(row["number"]), int(row["open_minor"])
        payer = str(names.get(row["customer_id"], "")).upper()
        text, reference = f"Invoice {number}", None
        if way == "reference":
            text, reference = "", creditor_reference(number)
        elif way == "bundle" and position < len(rows):
            other = rows[position]
            position += 1
            if other["customer_id"] == row["customer_id"]:
                text += f" and {other['number']}"
                amount += int(other["open_minor"])
        elif way == "discount":
            amount -= (amount * 200 + 5_000) // 10_000
        elif way == "fee":
            amount -= 50
        elif way == "partial":
            text, reference, amount = "instalment", creditor_reference(number), amount // 2
        elif way == "unknown":
            payer, text, amount = "Private Person", "donation", int(rng.integers(1_000, 100_000))
        sequence = len(transactions) + 1
        transactions.append(
            BankTransaction(
                sequence=sequence,
                amount=Money.from_minor(amount, currency),
                booking_date=as_of,
                counterparty_name=payer or None,
                remittance_text=text,
                structured_reference=reference,
                end_to_end_id=f"DEMO-{as_of:%Y%m%d}-{sequence:05d}",
                bank_reference=f"DEMO-{as_of:%Y%m%d}-{sequence:05d}",
            )
        )
    return transactions


def run_demo_cash_application(
    engine: Engine,
    directory: Path,
    as_of: date,
    company_currency: str,
    count: int = 200,
    seed: int = 2024,
    settings: MatchSettings | None = None,
) -> DemoCashApplication:
    """Write, import and match a demo statement; return the file and both results."""
    inputs = load_inputs(engine, as_of, company_currency)
    transactions = demo_transactions(
        inputs.items, inputs.customers, as_of, company_currency, count, seed
    )
    opening = Money.zero(company_currency)
    content = write_camt053(
        f"DEMO-{as_of:%Y%m%d}",
        DEMO_ACCOUNT,
        opening,
        transactions,
        datetime.combine(as_of, datetime.min.time(), UTC),
    )
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"bank-statement-{as_of:%Y%m%d}.xml"
    path.write_bytes(content)
    imported = import_statements(engine, [path])
    matched = run_matching(engine, as_of, settings or MatchSettings(), company_currency)
    return DemoCashApplication(path, imported, matched)
