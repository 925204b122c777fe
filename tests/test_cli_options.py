"""The options every command shares: error exits and dates."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from ledger_tables import import_tables
from receivables.cli.main import app
from receivables.storage.database import connect

CUSTOMERS = """
    customer_code,name,country,currency,industry,segment
    K,Kappa Metall AG,AT,EUR,Manufacturing,retail
    L,Lambda Handel BV,NL,EUR,Wholesale,wholesale
"""
DOCUMENTS = """
    kind,number,customer_code,document_date,due_date,currency,amount,tax_amount,fx_rate,disputed,reference
    invoice,K-1,K,2024-10-01,2024-10-31,EUR,1000.00,,,false,
    invoice,K-2,K,2024-11-15,2024-12-15,EUR,500.00,,,false,
    invoice,K-3,K,2025-01-10,2025-02-09,EUR,800.00,,,false,
    invoice,L-1,L,2024-11-01,2024-12-01,EUR,2000.00,,,false,
    invoice,L-2,L,2025-01-20,2025-02-19,EUR,700.00,,,false,
    payment,P-1,K,2024-11-05,,EUR,1000.00,,,false,
    payment,P-2,L,2025-01-31,,EUR,2000.00,,,false,
"""
ALLOCATIONS = """
    source_kind,source_number,target_kind,target_number,allocation_date,amount,currency
    payment,P-1,invoice,K-1,2024-11-05,1000.00,EUR
    payment,P-2,invoice,L-1,2025-01-31,2000.00,EUR
"""


def _import_ledger(url: str, folder: Path) -> str:
    """Import the ledger above into the database at ``url`` and return ``url``."""
    engine = connect(url)
    try:
        import_tables(
            engine,
            folder,
            {"customers.csv": CUSTOMERS, "documents.csv": DOCUMENTS, "allocations.csv": ALLOCATIONS},
        )
    finally:
        engine.dispose()
    return url


@pytest.fixture
def sqlite_ledger_url(sqlite_url: str, tmp_path: Path) -> str:
    return _import_ledger(sqlite_url, tmp_path)


def _run(url: str, *args: str) -> Result:
    return CliRunner().invoke(app, ["--database", url, *args])


@pytest.mark.parametrize(
    ("command", "code"),
    [
        (("report",), 2),
        (("ecl",), 2),
        (("predict",), 2),
        (("collect", "worklist"), 2),
        (("credit", "review"), 2),
        (("terms", "simulate", "2/10 net30"), 2),
        (("bank", "match"), 1),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, tuple) else str(value),
)
def test_invalid_as_of_exit_code(sqlite_ledger_url: str, command: tuple[str, ...], code: int) -> None:
    result = _run(sqlite_ledger_url, *command, "--as-of", "2025-02-30")

    assert result.exit_code == code, result.output
    assert "error: --as-of '2025-02-30' is not a date; use YYYY-MM-DD" in result.stderr


def test_error_keeps_brackets(sqlite_ledger_url: str, tmp_path: Path) -> None:
    """Square brackets in an error message are printed, not read as Rich markup."""
    statement = tmp_path / "statement.csv"
    statement.write_text("date,amount\n", encoding="utf-8")

    result = _run(
        sqlite_ledger_url, "bank", "import", str(statement), "--statement-format", "csv", "--profile", "nope"
    )

    assert result.exit_code == 1, result.output
    assert "define [bank_profiles.nope]" in result.stderr
