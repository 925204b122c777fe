"""A small ledger, a credit review and a bank statement for the report section tests.

Customers ACME (Acme Industries GmbH) and BOLT (Bolt Trading Ltd); company currency EUR;
invoices of March 2024, all due 2024-04-30:

=========  ========  ==========  =========
number     customer  date        amount
=========  ========  ==========  =========
INV-1001   ACME      2024-03-01  1,000.00
INV-1002   ACME      2024-03-05    250.00
INV-1003   ACME      2024-03-09    400.50
INV-1004   BOLT      2024-03-09    500.00
=========  ========  ==========  =========

The statement booked on 2024-03-15 holds four lines: 1,000.00 with the creditor reference of
INV-1001 (applied automatically), 390.00 from ACME's IBAN naming "Rechnung 1003" (suggested),
77.00 from an unknown payer (unmatched) and a bank fee of -5.00 (ignored).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import polars as pl
from sqlalchemy import Engine

from receivables.banking.camt_writer import write_camt053
from receivables.banking.importing import import_statements
from receivables.banking.matching import run_matching
from receivables.banking.rules.references import creditor_reference
from receivables.banking.settings import load_match_settings
from receivables.banking.statements import BankTransaction
from receivables.credit.config import load_credit_settings
from receivables.credit.imports import import_credit_files
from receivables.credit.limits import approve_limit
from receivables.credit.review import run_review
from receivables.credit.users import add_user
from receivables.domain.money import Currency, Money
from receivables.storage.bulk import (
    CUSTOMER_SCHEMA,
    DOCUMENT_SCHEMA,
    write_customers,
    write_documents,
)
from receivables.storage.database import set_setting

EUR = Currency.of("EUR")
AS_OF = date(2024, 3, 31)
BOOKED = date(2024, 3, 15)
ACME_IBAN = "DE89370400440532013000"
OUR_IBAN = "DE02120300000000202051"
INVOICES = [
    ("ACME", "INV-1001", date(2024, 3, 1), 100_000),
    ("ACME", "INV-1002", date(2024, 3, 5), 25_000),
    ("ACME", "INV-1003", date(2024, 3, 9), 40_050),
    ("BOLT", "INV-1004", date(2024, 3, 9), 50_000),
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


def review_credit(engine: Engine) -> None:
    """Give ACME a limit of 1,000.00 and store a review of every customer on ``AS_OF``."""
    settings = load_credit_settings(environ={})
    add_user(engine, "ada", "admin", None)
    approve_limit(engine, "ACME", Money.of("1000.00", EUR), "opening", "ada", AS_OF, EUR, settings)
    run_review(engine, AS_OF, EUR, settings)


def _line(sequence: int, amount: str, **fields: object) -> BankTransaction:
    return BankTransaction(
        sequence=sequence,
        amount=Money.of(amount, "EUR"),
        booking_date=BOOKED,
        end_to_end_id=f"E2E-{sequence}",
        bank_reference=f"BANKREF-{sequence}",
        **fields,  # type: ignore[arg-type]
    )


def import_and_match(engine: Engine, folder: Path) -> None:
    lines = [
        _line(1, "1000.00", structured_reference=creditor_reference("INV-1001")),
        _line(
            2,
            "390.00",
            counterparty_name="ACME",
            counterparty_iban=ACME_IBAN,
            remittance_text="Rechnung 1003",
        ),
        _line(3, "77.00", counterparty_name="Nobody"),
        _line(4, "-5.00", remittance_text="fees"),
    ]
    content = write_camt053(
        "STMT-REPORT", OUR_IBAN, Money.of("1000.00", "EUR"), lines, datetime(2024, 3, 15, 18, 0)
    )
    path = folder / "statement.xml"
    path.write_bytes(content)
    import_statements(engine, [path])
    run_matching(engine, AS_OF, load_match_settings(environ={}), "EUR")


def import_sales(engine: Engine, folder: Path) -> None:
    """Import March 2024 cash sales equal to its credit sales, 2,150.50: a ratio of 50.00 %."""
    path = folder / "sales.csv"
    path.write_text(
        "month,segment,currency,cash_sales,total_sales\n2024-03,,EUR,2150.50,\n", encoding="utf-8"
    )
    reports = import_credit_files(engine, [path], load_credit_settings(environ={}), EUR)
    assert all(not report.problems for report in reports), reports
