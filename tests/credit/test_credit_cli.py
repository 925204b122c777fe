"""The credit commands as a user runs them: JSON output and exit codes."""

import json

import pytest
from typer.testing import CliRunner

from receivables.cli.main import app


@pytest.fixture
def run(ledger, database_url):
    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(app, ["--database", database_url, *args])

    return invoke


def test_score_json_fields(run):
    result = run("credit", "score", "K2", "--as-of", "2025-06-30", "--format", "json")
    values = json.loads(result.stdout)

    assert result.exit_code == 0
    assert {"score", "risk_class", "factors"} <= set(values)


def test_check_json_fields(run):
    result = run("credit", "check", "K1", "250", "--as-of", "2025-06-30", "--format", "json")
    values = json.loads(result.stdout)

    assert result.exit_code == 0
    assert values["decision"] == "hold"
    assert values["reasons"] == ["over_limit", "overdue_beyond_grace"]
    assert values["exposure"] == "6500.00"
    assert values["credit_limit"] == "0.00"
    assert values["available"] == "-6500.00"


def test_release_needs_role(run):
    run("user", "add", "ada", "--role", "admin")
    run("user", "add", "cole", "--role", "collector", "--user", "ada")
    run("credit", "hold", "K1", "--reason", "bounced", "--user", "cole")

    result = run("credit", "release", "K1", "--reason", "paid", "--user", "cole")

    assert result.exit_code == 1
    assert "may not release a credit hold" in result.stderr


def test_check_unknown_customer(run):
    result = run("credit", "check", "NOPE", "10", "--format", "json")

    assert result.exit_code == 1
    assert "customer 'NOPE' not found" in result.stderr


def test_check_bad_amount(run):
    result = run("credit", "check", "K1", "-5")

    assert result.exit_code == 2


def test_review_json_counts(run):
    result = run("credit", "review", "--as-of", "2025-06-30", "--format", "json")
    values = json.loads(result.stdout)

    assert result.exit_code == 0
    assert values["customers"] == 3
    assert sum(values["classes"].values()) == 3


def test_policy_json(run):
    values = json.loads(run("credit", "policy", "--format", "json").stdout)

    assert [row["risk_class"] for row in values["classes"]] == ["A", "B", "C", "D", "E"]
