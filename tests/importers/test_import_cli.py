"""The ``receivables import`` command: exit codes, the table and JSON output, the rejects path."""

from __future__ import annotations

import json

import pytest
from import_helpers import ALLOCATIONS_CSV, CUSTOMERS_CSV, DOCUMENTS_CSV, TEST_DATA
from typer.testing import CliRunner

from receivables.cli.main import app


@pytest.fixture
def invoke(database_url, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    for name in ("RECEIVABLES_CONFIG", "RECEIVABLES_COMPANY_CURRENCY", "RECEIVABLES_PROFILES_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "250")
    runner = CliRunner()

    def run(*arguments: str):
        return runner.invoke(app, ["--database", database_url, "import", *arguments])

    return run


@pytest.fixture
def ledger(write_file):
    return [
        str(write_file(name, text))
        for name, text in [
            ("customers.csv", CUSTOMERS_CSV),
            ("documents.csv", DOCUMENTS_CSV),
            ("allocations.csv", ALLOCATIONS_CSV),
        ]
    ]


def test_import_prints_counts(invoke, ledger):
    result = invoke(*ledger)

    assert result.exit_code == 0
    assert "documents.csv" in result.stdout
    assert "company currency set to EUR" in result.stdout


def test_bad_row_exits_one(invoke, write_file):
    customers = write_file("customers.csv", "customer_code,name,country\nC1,Acme,Germany\n")

    result = invoke(str(customers))

    assert result.exit_code == 1
    assert "is not an ISO 3166 alpha-2 country code" in result.stdout
    assert "Nothing was written" in result.stdout


def test_json_lists_problems(invoke, write_file):
    customers = write_file("customers.csv", "customer_code,name,country\nC1,Acme,Germany\n")

    result = invoke("--format", "json", str(customers))
    output = json.loads(result.stdout)

    assert result.exit_code == 1
    assert output["committed"] is False
    assert output["problems"] == [
        {
            "file": str(customers),
            "row": 2,
            "column": "country",
            "value": "Germany",
            "reason": "is not an ISO 3166 alpha-2 country code such as DE",
        }
    ]


def test_skip_invalid_exits_two(invoke, write_file, tmp_path):
    customers = write_file("customers.csv", "customer_code,name,country\nC1,Acme,DE\nC2,Brick,Britain\n")

    result = invoke(
        "--skip-invalid", "--rejects-dir", str(tmp_path / "out"), "--format", "json", str(customers)
    )
    output = json.loads(result.stdout)

    assert result.exit_code == 2
    assert output["files"][0]["rejects_file"] == str(tmp_path / "out" / "customers.rejects.csv")
    assert output["files"][0]["written"]["customers"]["inserted"] == 1


def test_ibm_profile_through_cli(invoke):
    result = invoke("--profile", "ibm-ar", "--format", "json", str(TEST_DATA / "import" / "ibm-ar.csv"))
    written = json.loads(result.stdout)["files"][0]["written"]

    assert result.exit_code == 0
    assert {name: counts["inserted"] for name, counts in written.items()} == {
        "customers": 100,
        "documents": 4932,
        "allocations": 2466,
    }


def test_unknown_profile_exits_one(invoke, ledger):
    result = invoke("--profile", "sap-fi", ledger[0])

    assert result.exit_code == 1
    assert "profile 'sap-fi' not found" in result.stderr
