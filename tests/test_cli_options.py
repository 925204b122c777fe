"""The options every command shares: error exits, dates, and the note on a defaulted as-of date.

The note goes to stderr when ``--as-of`` defaults to today and the ledger ended long before. The
ledger below ends on 2025-01-31. The tests fix "today" by replacing the clock that the shared CLI
options read, so the day counts do not depend on when the tests run.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from ledger_tables import import_tables
from receivables.cli import options
from receivables.cli.main import app
from receivables.storage.database import connect, set_setting

LAST_DAY = date(2025, 1, 31)
SCENARIO = Path(__file__).resolve().parents[1] / "docs" / "scenarios" / "construction-downturn.toml"
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
NOTE = (
    "note: without --as-of the date is today, 2025-03-15, but the ledger's latest document is "
    "dated 2025-01-31, 43 days earlier; pass --as-of 2025-01-31 to use the ledger's last day instead"
)


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
def ledger_url(database_url: str, tmp_path: Path) -> str:
    """A database URL, once on SQLite and once on PostgreSQL, with the ledger above imported."""
    return _import_ledger(database_url, tmp_path)


@pytest.fixture
def sqlite_ledger_url(sqlite_url: str, tmp_path: Path) -> str:
    return _import_ledger(sqlite_url, tmp_path)


@pytest.fixture
def set_today(monkeypatch: pytest.MonkeyPatch) -> Callable[[date], None]:
    def set_day(day: date) -> None:
        monkeypatch.setattr(options, "today", lambda: day)

    return set_day


def _run(url: str, *args: str) -> Result:
    return CliRunner().invoke(app, ["--database", url, *args])


def test_note_without_as_of(ledger_url: str, set_today: Callable[[date], None]) -> None:
    set_today(date(2025, 3, 15))

    result = _run(ledger_url, "report", "--format", "json")

    assert result.exit_code == 0, result.output
    assert NOTE in " ".join(result.stderr.split())
    assert result.stderr.count("note:") == 1
    assert json.loads(result.stdout)["as_of"] == "2025-03-15"


def test_no_note_with_as_of(ledger_url: str, set_today: Callable[[date], None]) -> None:
    set_today(date(2025, 3, 15))

    result = _run(ledger_url, "report", "--as-of", "2025-03-15", "--format", "json")

    assert result.exit_code == 0, result.output
    assert "note:" not in result.stderr
    assert json.loads(result.stdout)["as_of"] == "2025-03-15"


@pytest.mark.parametrize(("today", "noted"), [(date(2025, 3, 3), False), (date(2025, 3, 4), True)])
def test_note_after_31_days(
    sqlite_ledger_url: str, set_today: Callable[[date], None], today: date, noted: bool
) -> None:
    """31 days after the ledger's last document is still current; 32 days are not."""
    set_today(today)

    result = _run(sqlite_ledger_url, "report", "--format", "json")

    assert result.exit_code == 0, result.output
    assert ("note:" in result.stderr) is noted
    json.loads(result.stdout)


def test_no_note_on_empty_ledger(sqlite_url: str, set_today: Callable[[date], None]) -> None:
    engine = connect(sqlite_url)
    set_setting(engine, "company_currency", "EUR")
    engine.dispose()
    set_today(date(2025, 3, 15))

    result = _run(sqlite_url, "bank", "match", "--format", "json")

    assert result.exit_code == 0, result.output
    assert "note:" not in result.stderr
    json.loads(result.stdout)


def test_latest_document_date(ledger_url: str) -> None:
    engine = connect(ledger_url)
    try:
        assert options.latest_document_date(engine) == LAST_DAY
    finally:
        engine.dispose()


COMMANDS = [
    ("report",),
    ("ecl",),
    ("scenario", str(SCENARIO), "--no-forecast"),
    ("advise",),
    ("predict", "--no-validation"),
    ("forecast", "--no-validation"),
    ("bank", "match"),
    ("collect", "run", "--no-send"),
    ("collect", "worklist"),
    ("credit", "score", "K"),
    ("credit", "check", "K", "100.00"),
    ("credit", "recommend", "K"),
    ("credit", "review", "--dry-run"),
    ("credit", "sales-ratio"),
    ("terms", "simulate", "2/10 net30"),
    ("terms", "charge", "--period-start", "2025-01-01", "--dry-run"),
]


@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(command[:2]) for command in COMMANDS])
def test_note_per_command(
    sqlite_ledger_url: str, set_today: Callable[[date], None], command: tuple[str, ...]
) -> None:
    """Every command that evaluates the ledger as of a date notes the defaulted date once."""
    set_today(date(2025, 3, 15))

    result = _run(sqlite_ledger_url, *command, "--format", "json")

    assert result.exit_code == 0, result.output
    assert result.stderr.count("note:") == 1
    assert "pass --as-of 2025-01-31" in " ".join(result.stderr.split())
    json.loads(result.stdout)


def test_no_note_for_dated_charge(sqlite_ledger_url: str, set_today: Callable[[date], None]) -> None:
    set_today(date(2025, 3, 15))

    result = _run(
        sqlite_ledger_url, "terms", "charge", "--period-start", "2025-01-01", "--as-of", "2025-01-31",
        "--dry-run", "--format", "json",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert "note:" not in result.stderr
    json.loads(result.stdout)


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
