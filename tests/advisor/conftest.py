"""A small ledger for the provision matrix and scenario tests, imported through the ledger importer.

The company books in EUR; the as-of date is 2025-12-31. With a history of 3 months and a loss
horizon of 1 month the snapshots are the month-ends 2025-10-31 and 2025-11-30.

A Alpha (retail, Construction, DE):
    A-1 2025-09-01 due 2025-10-01 1,000.00: 600.00 written off on 2025-11-15, 400.00 paid 2025-12-10
    A-2 2025-10-15 due 2025-11-14   500.00: paid 2025-12-05
    A-3 2025-12-01 due 2025-12-31   800.00: open, current on 2025-12-31
    A-4 2025-07-01 due 2025-07-31   300.00: written off in full on 2025-11-10
    A-5 2025-11-10 due 2025-12-10   250.00: open, 21 days past due
    A-6 2025-08-01 due 2025-08-31    90.00: open, 122 days past due
B Beta (wholesale, Retail, FR):
    B-1 2025-10-01 due 2025-10-31 2,000.00: paid 2025-11-20
    B-2 2025-11-01 due 2025-12-01 1,000.00: open, 30 days past due

Snapshot 2025-10-31: A-1 1,000 in 1-30, A-2 500 current, A-4 300 in 91+, A-6 90 in 61-90,
B-1 2,000 current. Snapshot 2025-11-30: A-1 400 in 31-60, A-2 500 in 1-30, A-5 250 current,
A-6 90 in 91+, B-2 1,000 current.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from ledger_tables import import_tables, write_table
from receivables.cli.main import app

CUSTOMERS = """
    customer_code,name,country,currency,industry,segment
    A,Alpha Bau GmbH,DE,EUR,Construction,retail
    B,Beta SARL,FR,EUR,Retail,wholesale
"""
DOCUMENTS = """
    kind,number,customer_code,document_date,due_date,currency,amount,tax_amount,fx_rate,disputed,reference
    invoice,A-1,A,2025-09-01,2025-10-01,EUR,1000.00,,,false,
    invoice,A-2,A,2025-10-15,2025-11-14,EUR,500.00,,,false,
    invoice,A-3,A,2025-12-01,2025-12-31,EUR,800.00,,,false,
    invoice,A-4,A,2025-07-01,2025-07-31,EUR,300.00,,,false,
    invoice,A-5,A,2025-11-10,2025-12-10,EUR,250.00,,,false,
    invoice,A-6,A,2025-08-01,2025-08-31,EUR,90.00,,,false,
    invoice,B-1,B,2025-10-01,2025-10-31,EUR,2000.00,,,false,
    invoice,B-2,B,2025-11-01,2025-12-01,EUR,1000.00,,,false,
    write_off,WO-1,A,2025-11-15,,EUR,600.00,,,false,
    write_off,WO-2,A,2025-11-10,,EUR,300.00,,,false,
    payment,P-1,A,2025-12-10,,EUR,400.00,,,false,
    payment,P-2,A,2025-12-05,,EUR,500.00,,,false,
    payment,P-3,B,2025-11-20,,EUR,2000.00,,,false,
"""
ALLOCATIONS = """
    source_kind,source_number,target_kind,target_number,allocation_date,amount,currency
    write_off,WO-1,invoice,A-1,2025-11-15,600.00,EUR
    write_off,WO-2,invoice,A-4,2025-11-10,300.00,EUR
    payment,P-1,invoice,A-1,2025-12-10,400.00,EUR
    payment,P-2,invoice,A-2,2025-12-05,500.00,EUR
    payment,P-3,invoice,B-1,2025-11-20,2000.00,EUR
"""


@pytest.fixture
def write_file(tmp_path: Path) -> Callable[[str, str], Path]:
    def write(name: str, text: str) -> Path:
        return write_table(tmp_path, name, text)

    return write


@pytest.fixture
def ledger(engine: Engine, tmp_path: Path) -> Engine:
    """The engine with the ledger above imported and EUR as the company currency."""
    tables = {"customers.csv": CUSTOMERS, "documents.csv": DOCUMENTS, "allocations.csv": ALLOCATIONS}
    return import_tables(engine, tmp_path, tables)


@pytest.fixture
def run(ledger: Engine, database_url: str) -> Callable[..., object]:
    """Run ``receivables`` on the small ledger through the Typer runner."""
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(app, ["--database", database_url, *args])

    return invoke
