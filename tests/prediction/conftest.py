"""A small hand-made ledger and the IBM sample, imported through the ledger importer.

Small ledger, company currency EUR:

A Alpha:
    A-1 2025-01-01 due 2025-01-31 100.00: paid 2025-02-10, 10 days late
    A-2 2025-02-01 due 2025-03-03 200.00: paid 2025-03-23, 20 days late
    A-3 2025-03-01 due 2025-03-31 300.00: open
    A-4 2025-01-15 due 2025-02-14  50.00: written off 2025-06-01
B Beta:
    B-1 2025-02-01 due 2025-02-15 400.00: paid 2025-02-13, 2 days early
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner, Result

from ledger_tables import import_tables
from receivables.cli.main import app

IBM_SAMPLE = Path(__file__).parents[1] / "data" / "import" / "ibm-ar.csv"

CUSTOMERS = """
    customer_code,name,country,currency,industry,segment
    A,Alpha Bau GmbH,DE,EUR,Construction,retail
    B,Beta SARL,FR,EUR,Retail,wholesale
"""
DOCUMENTS = """
    kind,number,customer_code,document_date,due_date,currency,amount,tax_amount,fx_rate,disputed,reference
    invoice,A-1,A,2025-01-01,2025-01-31,EUR,100.00,,,false,
    invoice,A-2,A,2025-02-01,2025-03-03,EUR,200.00,,,false,
    invoice,A-3,A,2025-03-01,2025-03-31,EUR,300.00,,,false,
    invoice,A-4,A,2025-01-15,2025-02-14,EUR,50.00,,,false,
    invoice,B-1,B,2025-02-01,2025-02-15,EUR,400.00,,,false,
    payment,P-1,A,2025-02-10,,EUR,100.00,,,false,
    payment,P-2,A,2025-03-23,,EUR,200.00,,,false,
    payment,P-3,B,2025-02-13,,EUR,400.00,,,false,
    write_off,WO-1,A,2025-06-01,,EUR,50.00,,,false,
"""
ALLOCATIONS = """
    source_kind,source_number,target_kind,target_number,allocation_date,amount,currency
    payment,P-1,invoice,A-1,2025-02-10,100.00,EUR
    payment,P-2,invoice,A-2,2025-03-23,200.00,EUR
    payment,P-3,invoice,B-1,2025-02-13,400.00,EUR
    write_off,WO-1,invoice,A-4,2025-06-01,50.00,EUR
"""


@pytest.fixture
def small_ledger(engine: Engine, tmp_path: Path) -> Engine:
    """The engine with the small ledger above imported and EUR as the company currency."""
    tables = {"customers.csv": CUSTOMERS, "documents.csv": DOCUMENTS, "allocations.csv": ALLOCATIONS}
    return import_tables(engine, tmp_path, tables)


@pytest.fixture
def cli(database_url: str) -> Callable[..., Result]:
    """Run ``receivables --database URL ...`` through the Typer runner."""
    return _runner(database_url)


def _runner(url: str) -> Callable[..., Result]:
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(app, ["--database", url, *args])

    return invoke


def _import_ibm(cli: Callable[..., Result]) -> Callable[..., Result]:
    result = cli("import", "--profile", "ibm-ar", str(IBM_SAMPLE))
    assert result.exit_code == 0, result.output
    return cli


@pytest.fixture
def ibm_ledger(cli: Callable[..., Result]) -> Callable[..., Result]:
    """The IBM sample imported with the ibm-ar profile, on each backend; returns the CLI runner."""
    return _import_ibm(cli)


@pytest.fixture
def ibm_sqlite(sqlite_url: str) -> Callable[..., Result]:
    """The IBM sample on SQLite only, for the slower model runs that read the same frames."""
    return _import_ibm(_runner(sqlite_url))


@pytest.fixture
def small_ibm_ledger(cli: Callable[..., Result], tmp_path: Path) -> Callable[..., Result]:
    """The first 60 invoices of the IBM sample: too little history to train the model."""
    lines = IBM_SAMPLE.read_text(encoding="utf-8").splitlines()[:61]
    path = tmp_path / "ibm-small.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = cli("import", "--profile", "ibm-ar", str(path))
    assert result.exit_code == 0, result.output
    return cli
