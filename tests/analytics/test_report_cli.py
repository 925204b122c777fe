"""The ``receivables report`` command: formats, output files, options and its errors."""

from __future__ import annotations

import json

import pytest
from report_book import ReportBook
from typer.testing import CliRunner

from receivables.cli.main import app
from receivables.services.context import AppContext
from receivables.storage.database import connect


@pytest.fixture
def invoke(sqlite_url, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    for name in ("RECEIVABLES_CONFIG", "RECEIVABLES_COMPANY_CURRENCY", "RECEIVABLES_AGING_BUCKETS",
                 "RECEIVABLES_PERIOD_DAYS"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    runner = CliRunner()

    def run(*arguments: str):
        return runner.invoke(app, ["--database", sqlite_url, "report", *arguments])

    return run


@pytest.fixture
def ledger(sqlite_url):
    """Two customers as of 2024-03-31, company currency EUR."""
    book = ReportBook()
    book.invoice("INV-1", "C1", "2024-02-01", due="2024-03-02", amount="1000.00")
    book.invoice("INV-2", "C2", "2024-03-10", due="2024-04-09", amount="500.00")
    engine = connect(sqlite_url)
    book.store(engine)
    AppContext(AppContext.open(sqlite_url).settings, engine).set_company_currency("EUR")
    engine.dispose()


def test_json_to_stdout(invoke, ledger):
    result = invoke("--as-of", "2024-03-31", "--format", "json")

    assert result.exit_code == 0
    values = json.loads(result.stdout)
    assert values["currency"] == "EUR"
    assert values["total_open"] == "1500.00"
    assert values["aging"]["1-30"] == "1000.00"


def test_table_is_default(invoke, ledger):
    result = invoke("--as-of", "2024-03-31")

    assert result.exit_code == 0
    assert "Receivables as of 2024-03-31, in EUR" in result.stdout
    assert "1,500.00" in result.stdout


def test_html_to_file(invoke, ledger, tmp_path):
    target = tmp_path / "report.html"

    result = invoke("--as-of", "2024-03-31", "--format", "html", "--output", str(target))

    assert result.exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert result.stdout == ""


def test_table_to_file(invoke, ledger, tmp_path):
    target = tmp_path / "report.txt"

    result = invoke("--as-of", "2024-03-31", "--output", str(target))

    assert result.exit_code == 0
    assert "Aging by days past due" in target.read_text(encoding="utf-8")


def test_options_reach_the_report(invoke, ledger):
    result = invoke("--as-of", "2024-03-31", "--format", "json", "--period-days", "30", "--buckets", "15,45",
                    "--by", "document-date", "--customer", "C1", "--top", "1")  # fmt: skip

    values = json.loads(result.stdout)
    assert values["period_days"] == 30
    assert values["aging_basis"] == "document_date"
    assert values["aging"] == {"0-15": "0.00", "16-45": "0.00", "46+": "1000.00"}
    assert values["customer"] == "C1"
    assert len(values["top_customers"]) == 1


def test_settings_give_defaults(invoke, ledger, monkeypatch):
    monkeypatch.setenv("RECEIVABLES_PERIOD_DAYS", "60")
    monkeypatch.setenv("RECEIVABLES_AGING_BUCKETS", "0,45")

    values = json.loads(invoke("--as-of", "2024-03-31", "--format", "json").stdout)

    assert values["period_days"] == 60
    assert list(values["aging"]) == ["current", "1-45", "46+"]


def test_empty_ledger_fails_clearly(invoke, sqlite_url):
    AppContext.open(sqlite_url).set_company_currency("EUR")

    result = invoke("--as-of", "2024-03-31")

    assert result.exit_code == 1
    assert "the ledger has no documents" in result.stderr


def test_missing_company_currency_fails_clearly(invoke):
    result = invoke("--as-of", "2024-03-31")

    assert result.exit_code == 1
    assert "no company currency is set" in result.stderr


def test_unknown_customer_fails(invoke, ledger):
    result = invoke("--as-of", "2024-03-31", "--customer", "C9")

    assert result.exit_code == 1
    assert "customer 'C9' not found" in result.stderr


@pytest.mark.parametrize(
    ("option", "value"),
    [("--as-of", "31.03.2024"), ("--buckets", "30,10"), ("--buckets", "a,b"), ("--top", "-1")],
)
def test_invalid_option_exits_two(invoke, ledger, option, value):
    result = invoke(option, value)

    assert result.exit_code == 2
