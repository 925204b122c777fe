"""A small ledger for the credit storage tests, imported through the ledger importer.

The company books in EUR; the as-of date is 2025-06-30.

K1 Kunde Eins (manufacturing), EUR:
    INV-1 2025-04-01 due 2025-05-01 10,000.00, paid by PAY-1 on 2025-05-11 (10 days late)
    INV-2 2025-05-15 due 2025-06-14  5,000.00, open (16 days past due on 2025-06-30)
    INV-3 2025-06-20 due 2025-07-20  3,000.00, 1,000.00 settled by credit note CN-2 on 2025-06-26
    CN-1  2025-06-25                   500.00, unapplied credit
K2 Brick Ltd (retail), GBP at 1.25 EUR:
    GB-1..GB-3, 1,000.00 each, each paid 10 days after its due date
K3 Cash Only Ltd: no documents.

Open items of K1 on 2025-06-30: 5,000 + 2,000 = 7,000; unapplied credit 500; balance 6,500.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine

from ledger_tables import import_tables, write_table
from receivables.credit.config import load_credit_settings

CUSTOMERS = """
    customer_code,name,country,currency,industry,segment
    K1,Kunde Eins GmbH,DE,EUR,manufacturing,wholesale
    K2,Brick Ltd,GB,GBP,retail,retail
    K3,Cash Only Ltd,DE,EUR,retail,retail
"""
RATES = """
    currency,rate_date,rate
    USD,2025-06-01,0.90
    GBP,2025-01-01,1.20
"""
DOCUMENTS = """
    kind,number,customer_code,document_date,due_date,currency,amount,tax_amount,fx_rate,disputed,reference
    invoice,INV-1,K1,2025-04-01,2025-05-01,EUR,10000.00,,,false,
    invoice,INV-2,K1,2025-05-15,2025-06-14,EUR,5000.00,,,false,
    invoice,INV-3,K1,2025-06-20,2025-07-20,EUR,3000.00,,,false,
    credit_note,CN-1,K1,2025-06-25,,EUR,500.00,,,false,
    credit_note,CN-2,K1,2025-06-26,,EUR,1000.00,,,false,
    payment,PAY-1,K1,2025-05-11,,EUR,10000.00,,,false,
    invoice,GB-1,K2,2025-01-10,2025-02-09,GBP,1000.00,,1.25,false,
    invoice,GB-2,K2,2025-02-10,2025-03-12,GBP,1000.00,,1.25,false,
    invoice,GB-3,K2,2025-03-10,2025-04-09,GBP,1000.00,,1.25,true,
    payment,GBP-1,K2,2025-02-19,,GBP,1000.00,,1.25,false,
    payment,GBP-2,K2,2025-03-22,,GBP,1000.00,,1.25,false,
    payment,GBP-3,K2,2025-04-19,,GBP,1000.00,,1.25,false,
"""
ALLOCATIONS = """
    source_kind,source_number,target_kind,target_number,allocation_date,amount,currency
    payment,PAY-1,invoice,INV-1,2025-05-11,10000.00,EUR
    credit_note,CN-2,invoice,INV-3,2025-06-26,1000.00,EUR
    payment,GBP-1,invoice,GB-1,2025-02-19,1000.00,GBP
    payment,GBP-2,invoice,GB-2,2025-03-22,1000.00,GBP
    payment,GBP-3,invoice,GB-3,2025-04-19,1000.00,GBP
"""


@pytest.fixture
def write_file(tmp_path: Path) -> Callable[[str, str], Path]:
    def write(name: str, text: str) -> Path:
        return write_table(tmp_path, name, text)

    return write


@pytest.fixture
def ledger(engine: Engine, tmp_path: Path) -> Engine:
    """The engine with the ledger above imported and EUR as the company currency."""
    tables = {
        "rates.csv": RATES,
        "customers.csv": CUSTOMERS,
        "documents.csv": DOCUMENTS,
        "allocations.csv": ALLOCATIONS,
    }
    return import_tables(engine, tmp_path, tables)


@pytest.fixture(scope="session")
def credit_settings():
    return load_credit_settings(environ={})
