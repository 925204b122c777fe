"""The ``receivables terms`` commands on a stored ledger, run as a user would.

C1 on 2/10 net30, C2 on 40% net30, net60; contracts K-1 (2/10 net30, 9 % ACT/360) for C1
and K-2 (net30, EU interest) for C2
INV-1 C1 2024-03-15 1,190.00 incl. 190.00 VAT, paid 1,166.20 on 2024-03-25 (the deadline)
INV-2 C2 2024-03-01 1,000.00 in two instalments, never paid
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from receivables.cli.main import app

CUSTOMERS = (
    'customer_code,name,payment_term\nC1,Acme GmbH,2/10 net30\nC2,Brick GmbH,"40% net30, net60"\n'
)
DOCUMENTS = (
    "kind,number,customer_code,document_date,due_date,currency,amount,tax_amount\n"
    "invoice,INV-1,C1,2024-03-15,,EUR,1190.00,190.00\n"
    "invoice,INV-2,C2,2024-03-01,,EUR,1000.00,\n"
    "payment,PAY-1,C1,2024-03-25,,EUR,1166.20,\n"
)
CONTRACTS = (
    "customer_code,reference,valid_from,payment_term,interest,interest_rate,day_count\n"
    "C1,K-1,2024-01-01,2/10 net30,contract,9,ACT/360\n"
    "C2,K-2,2024-01-01,net30,eu,,\n"
)


@pytest.fixture
def terms(database_url, monkeypatch, tmp_path: Path):
    monkeypatch.chdir(tmp_path)
    for name in ("RECEIVABLES_CONFIG", "RECEIVABLES_COMPANY_CURRENCY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    runner = CliRunner()
    for name, text in (
        ("customers.csv", CUSTOMERS),
        ("documents.csv", DOCUMENTS),
        ("contracts.csv", CONTRACTS),
    ):
        (tmp_path / name).write_text(text, encoding="utf-8")
    imported = runner.invoke(
        app, ["--database", database_url, "import", "-q", "customers.csv", "documents.csv"]
    )
    assert imported.exit_code == 0, imported.output

    def run(*arguments: str):
        return runner.invoke(app, ["--database", database_url, "terms", *arguments])

    return run


def test_settle_json_posts_discount(terms):
    result = terms("settle", "INV-1", "--payment", "PAY-1", "--format", "json")
    values = json.loads(result.stdout)

    assert result.exit_code == 0
    assert values["discount"] == "23.80"
    assert values["discount_tax"] == "3.80"
    assert values["settled"] is True
    assert values["written"] is True


def test_settle_unknown_invoice_fails(terms):
    result = terms("settle", "INV-404", "--payment", "PAY-1")

    assert result.exit_code == 2
    assert "invoice INV-404 not found" in result.stderr


def test_charge_json_then_rerun_empty(terms):
    arguments = ("charge", "--as-of", "2024-06-30", "--period-start", "2024-04-01")
    first = json.loads(terms(*arguments, "--format", "json").stdout)
    second = json.loads(terms(*arguments, "--format", "json").stdout)

    totals = {note["number"]: note["total"] for note in first["notes"]}

    assert totals == {"LC-20240630-C1-EUR-1": "71.38", "LC-20240630-C2-EUR-1": "65.00"}
    assert second["notes"] == []


def test_charge_dry_run_writes_nothing(terms):
    arguments = ("charge", "--as-of", "2024-06-30", "--period-start", "2024-04-01")
    dry = json.loads(terms(*arguments, "--dry-run", "--format", "json").stdout)
    real = json.loads(terms(*arguments, "--format", "json").stdout)

    assert dry["dry_run"] is True
    assert dry["notes"][0]["number"] is None
    assert real["notes"][0]["total"] == dry["notes"][0]["total"]


def test_contracts_import_and_check(terms):
    stored = terms("import-contracts", "contracts.csv")
    check = terms("check-contracts", "--format", "json")
    values = json.loads(check.stdout)

    assert stored.exit_code == 0
    assert check.exit_code == 1
    assert values["invoices"] == 2
    assert [(row["invoice"], row["kind"]) for row in values["deviations"]] == [
        ("INV-2", "instalments")
    ]


def test_contract_regime_uses_each_contract(terms):
    terms("import-contracts", "contracts.csv")

    result = terms(
        "charge", "--as-of", "2024-06-30", "--period-start", "2024-04-01", "--regime", "contract",
        "--format", "json",
    )  # fmt: skip
    values = json.loads(result.stdout)

    totals = {note["customer_code"]: note["total"] for note in values["notes"]}

    assert totals == {"C1": "22.91", "C2": "65.00"}


def test_simulate_from_history(terms):
    terms("settle", "INV-1", "--payment", "PAY-1")

    result = terms(
        "simulate", "2/10 net30", "--as-of", "2024-06-30", "--cost-of-capital", "0.08",
        "--format", "json",
    )  # fmt: skip
    values = json.loads(result.stdout)

    assert result.exit_code == 0
    assert values["offer_cost_simple_percent"] == "37.24"
    assert [row["customer_code"] for row in values["customers"]] == ["C1"]
    assert values["dso_before"] == "10.0"


def test_simulate_rejects_percent_as_fraction(terms):
    result = terms("simulate", "2/10 net30", "--cost-of-capital", "8", "--as-of", "2024-06-30")

    assert result.exit_code == 2
    assert "must be a fraction from 0 to 1" in result.stderr
