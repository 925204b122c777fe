"""``receivables bank`` as a user runs it: import, match, review and references."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bank_helpers import ACME_IBAN, line, scalar, seed_ledger, write_statement
from typer.testing import CliRunner

from receivables.banking.rules.references import creditor_reference
from receivables.cli.main import app
from receivables.storage.database import connect

RUNNER = CliRunner()
BANK_DATA = Path(__file__).resolve().parents[1] / "data" / "bank"


@pytest.fixture
def database(sqlite_url: str) -> str:
    engine = connect(sqlite_url)
    seed_ledger(engine)
    engine.dispose()
    return sqlite_url


def _run(database: str, *arguments: str):  # type: ignore[no-untyped-def]
    return RUNNER.invoke(app, ["--database", database, "bank", *arguments])


def _statement(tmp_path: Path) -> Path:
    return write_statement(
        tmp_path / "statement.xml",
        "STMT-CLI",
        [
            line(1, "1000.00", reference=creditor_reference("INV-1001")),
            line(2, "390.00", "ACME", ACME_IBAN, "Rechnung 1003"),
            line(3, "77.00", "Nobody"),
            line(4, "-5.00", text_value="fees"),
        ],
    )


def test_import_json_counts(database: str, tmp_path: Path) -> None:
    result = _run(database, "import", str(_statement(tmp_path)), "--format", "json")
    data = json.loads(result.stdout)

    assert result.exit_code == 0
    assert data["statements"][0]["new"] == 4


def test_import_twice_reports_already_imported(database: str, tmp_path: Path) -> None:
    path = str(_statement(tmp_path))
    _run(database, "import", path)
    result = _run(database, "import", path)

    assert result.exit_code == 0
    assert "already imported, nothing changed" in result.stdout


def test_import_malformed_exits_one(database: str) -> None:
    path = BANK_DATA / "ofx-ofxparse" / "fail_nice" / "decimal_error.ofx"
    result = _run(database, "import", str(path))

    assert result.exit_code == 1
    assert "line 37, element TRNAMT" in result.stdout
    assert "nothing was imported" in result.stdout


def test_match_json_counts(database: str, tmp_path: Path) -> None:
    _run(database, "import", str(_statement(tmp_path)))
    result = _run(database, "match", "--as-of", "2024-03-31", "--format", "json")
    data = json.loads(result.stdout)

    assert result.exit_code == 0
    assert (data["auto_applied"], data["suggested"], data["unmatched"]) == (1, 1, 1)


def test_match_twice_applies_nothing(database: str, tmp_path: Path) -> None:
    _run(database, "import", str(_statement(tmp_path)))
    _run(database, "match", "--as-of", "2024-03-31")
    result = _run(database, "match", "--as-of", "2024-03-31", "--format", "json")

    assert json.loads(result.stdout)["auto_applied"] == 0
    assert scalar(connect(database), "SELECT COUNT(*) FROM allocations") == 1


def test_suggestion_accept_flow(database: str, tmp_path: Path) -> None:
    _run(database, "import", str(_statement(tmp_path)))
    _run(database, "match", "--as-of", "2024-03-31")
    listed = json.loads(_run(database, "suggestions", "--format", "json").stdout)

    result = _run(database, "accept", str(listed[0]["proposal_id"]))

    assert result.exit_code == 0
    assert f"learned IBAN {ACME_IBAN}" in result.stdout
    assert listed[0]["items"][0]["number"] == "INV-1003"


def test_reject_unknown_exits_two(database: str) -> None:
    result = _run(database, "reject", "999")

    assert result.exit_code == 2
    assert "not found" in result.stderr


def test_split_command(database: str, tmp_path: Path) -> None:
    _run(database, "import", str(_statement(tmp_path)))
    line_id = scalar(
        connect(database), "SELECT id FROM bank_transactions WHERE amount_minor = 7700"
    )

    result = _run(database, "split", str(line_id), "--item", "INV-1005=77.00")

    assert result.exit_code == 0
    assert "applied" in result.stdout


def test_split_bad_item_syntax(database: str, tmp_path: Path) -> None:
    result = _run(database, "split", "1", "--item", "INV-1005")

    assert result.exit_code == 2
    assert "INVOICE=AMOUNT" in result.stderr


def test_reference_printed_in_groups(database: str) -> None:
    result = _run(database, "reference", "INV-1001")

    assert result.exit_code == 0
    assert result.stdout.strip() == "INV-1001: RF06 INV1 001"


def test_lines_filtered_by_status(database: str, tmp_path: Path) -> None:
    _run(database, "import", str(_statement(tmp_path)))
    result = _run(database, "lines", "--status", "ignored", "--format", "json")

    assert [row["amount"] for row in json.loads(result.stdout)] == ["-5.00"]
