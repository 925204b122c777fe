"""A small ledger and bank statements for the storage and command tests.

Customers ACME (Acme Industries GmbH) and BOLT (Bolt Trading Ltd); company currency EUR;
invoices of March 2024:

=========  ========  ==========  =========
number     customer  date        amount
=========  ========  ==========  =========
INV-1001   ACME      2024-03-01  1,000.00
INV-1002   ACME      2024-03-05    250.00
INV-1003   ACME      2024-03-09    400.50
INV-1004   BOLT      2024-03-09    500.00
INV-1005   BOLT      2024-03-10    300.00
=========  ========  ==========  =========
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import polars as pl
from sqlalchemy import Engine, text

from receivables.banking.camt_writer import write_camt053
from receivables.banking.statements import BankTransaction
from receivables.domain.money import Money
from receivables.storage.bulk import (
    CUSTOMER_SCHEMA,
    DOCUMENT_SCHEMA,
    write_customers,
    write_documents,
)
from receivables.storage.database import set_setting

ACME_IBAN = "DE89370400440532013000"
OUR_IBAN = "DE02120300000000202051"
BOOKED = date(2024, 3, 15)
INVOICES = [
    ("ACME", "INV-1001", date(2024, 3, 1), 100_000),
    ("ACME", "INV-1002", date(2024, 3, 5), 25_000),
    ("ACME", "INV-1003", date(2024, 3, 9), 40_050),
    ("BOLT", "INV-1004", date(2024, 3, 9), 50_000),
    ("BOLT", "INV-1005", date(2024, 3, 10), 30_000),
]


def seed_ledger(engine: Engine) -> None:
    set_setting(engine, "company_currency", "EUR")
    customers = pl.DataFrame(
        [
            ("ACME", "Acme Industries GmbH", "DE", "EUR", None, None),
            ("BOLT", "Bolt Trading Ltd", "GB", "EUR", None, None),
        ],
        schema=CUSTOMER_SCHEMA,
        orient="row",
    )
    documents = pl.DataFrame(
        [
            (code, "invoice", number, day, date(2024, 4, 30), "EUR", amount, 0, "1", False, None)
            for code, number, day, amount in INVOICES
        ],
        schema=DOCUMENT_SCHEMA,
        orient="row",
    )
    with engine.begin() as connection:
        write_customers(connection, customers)
        write_documents(connection, documents)


def line(
    sequence: int,
    amount: str,
    payer: str | None = None,
    iban: str | None = None,
    text_value: str = "",
    reference: str | None = None,
    booked: date = BOOKED,
) -> BankTransaction:
    return BankTransaction(
        sequence=sequence,
        amount=Money.of(amount, "EUR"),
        booking_date=booked,
        counterparty_name=payer,
        counterparty_iban=iban,
        remittance_text=text_value,
        structured_reference=reference,
        end_to_end_id=f"E2E-{sequence}",
        bank_reference=f"BANKREF-{booked:%Y%m%d}-{sequence}",
    )


def write_statement(path: Path, statement_id: str, transactions: list[BankTransaction]) -> Path:
    content = write_camt053(
        statement_id,
        OUR_IBAN,
        Money.of("1000.00", "EUR"),
        transactions,
        datetime(2024, 3, 15, 18, 0),
    )
    path.write_bytes(content)
    return path


def scalar(engine: Engine, sql: str, **values: object) -> object:
    with engine.connect() as connection:
        return connection.execute(text(sql), values).scalar()


def open_minor(engine: Engine, number: str) -> int:
    """What is open of document ``number``, of all its instalments together."""
    value = scalar(
        engine,
        "SELECT SUM(d.amount_minor - COALESCE((SELECT SUM(a.amount_minor) FROM allocations a "
        "WHERE a.target_document_id = d.id), 0)) FROM documents d WHERE d.number = :number",
        number=number,
    )
    return int(value)  # type: ignore[call-overload]

