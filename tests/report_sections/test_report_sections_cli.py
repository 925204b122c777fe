"""``receivables report`` with the credit and cash application sections, as a user runs it."""

from __future__ import annotations

import json
import re

import pytest
from sections_book import import_and_match, review_credit, seed_ledger
from typer.testing import CliRunner

from receivables.cli.main import app
from receivables.storage.database import connect


@pytest.fixture
def invoke(sqlite_url, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    for name in ("RECEIVABLES_CONFIG", "RECEIVABLES_COMPANY_CURRENCY", "RECEIVABLES_CREDIT_CONFIG",
                 "RECEIVABLES_AGING_BUCKETS", "RECEIVABLES_PERIOD_DAYS"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    runner = CliRunner()

    def run(*arguments: str):
        return runner.invoke(app, ["--database", sqlite_url, "report", "--as-of", "2024-03-31", *arguments])

    return run


@pytest.fixture
def ledger(sqlite_url, tmp_path):
    """The section book with a stored credit review and a matched bank statement."""
    engine = connect(sqlite_url)
    seed_ledger(engine)
    review_credit(engine)
    import_and_match(engine, tmp_path)
    engine.dispose()


@pytest.fixture
def bare_ledger(sqlite_url):
    engine = connect(sqlite_url)
    seed_ledger(engine)
    engine.dispose()


def test_json_has_both_sections(invoke, ledger):
    values = json.loads(invoke("--format", "json").stdout)

    assert values["cash_application"]["auto_applied"] == 1
    assert values["credit"]["reviewed_customers"] == 2


def test_json_keeps_existing_keys_first(invoke, ledger):
    keys = list(json.loads(invoke("--format", "json").stdout))

    assert keys[-2:] == ["credit", "cash_application"]
    assert keys.index("top_customers") < keys.index("credit")


def test_json_without_data_has_no_sections(invoke, bare_ledger):
    values = json.loads(invoke("--format", "json").stdout)

    assert "credit" not in values
    assert "cash_application" not in values


def test_customer_report_has_no_sections(invoke, ledger):
    values = json.loads(invoke("--format", "json", "--customer", "ACME").stdout)

    assert "credit" not in values
    assert "cash_application" not in values


def test_table_shows_section_titles(invoke, ledger):
    result = invoke()

    assert result.exit_code == 0
    assert "Credit risk classes as of 2024-03-31 (EUR)" in result.stdout
    assert "Cash application: receipts booked up to 2024-03-31" in result.stdout
    assert "33.33%" in result.stdout
    assert "Unmatched (unapplied cash)" in result.stdout


def test_html_shows_sections_offline(invoke, ledger):
    html = invoke("--format", "html").stdout

    assert "<h2>Credit risk classes as of 2024-03-31 (EUR)</h2>" in html
    assert "Cash application amounts, in each bank line&#39;s currency" in html
    assert "1,467.00" in html
    assert re.search(r"https?://", html) is None


def test_invalid_credit_config_exits_one(invoke, ledger, tmp_path, monkeypatch):
    config = tmp_path / "credit.toml"
    config.write_text("[credit.sales_ratio]\nceiling_percent = 150\n", encoding="utf-8")
    monkeypatch.setenv("RECEIVABLES_CREDIT_CONFIG", str(config))

    result = invoke("--format", "json")

    assert result.exit_code == 1
    assert "sales_ratio.ceiling_percent" in result.stderr
