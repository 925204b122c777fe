"""``receivables collect`` through the Typer runner: run, notices, worklist, contacts, tasks."""

from __future__ import annotations

import json
from datetime import date

import pytest
from typer.testing import CliRunner

from receivables.cli.main import app


@pytest.fixture
def cli(book, database_url, tmp_path, monkeypatch):
    """C1 owes 300.00 and C2 2,000.00; on 2024-02-25 they are 25 and 55 days past due."""
    monkeypatch.setenv("RECEIVABLES_OUTBOX_DIR", str(tmp_path / "outbox"))
    monkeypatch.setenv("RECEIVABLES_CONFIG", str(tmp_path / "empty.toml"))
    (tmp_path / "empty.toml").write_text("")
    book.customer("C1")
    book.customer("C2")
    book.invoice("INV-1", "C1", date(2024, 1, 1), date(2024, 1, 31), "300.00")
    book.invoice("INV-2", "C2", date(2023, 12, 1), date(2024, 1, 1), "2000.00")
    book.save()

    def invoke(*args: str):
        result = CliRunner().invoke(app, ["--database", database_url, "collect", *args])
        assert result.exit_code == 0, result.output
        return result.output

    return invoke


def test_run_json_counts_by_level_and_channel(cli):
    values = json.loads(cli("run", "--as-of", "2024-02-25", "--format", "json"))

    assert values["notices"]["by_level"] == {"phone_call": 1, "second_notice": 1}
    assert values["notices"]["by_channel"] == {"email": 1, "phone_call": 1}
    assert values["delivery"]["sent"] == 1
    assert values["problems"] == []


def test_worklist_json_lists_call_first(cli):
    cli("run", "--as-of", "2024-02-25")

    values = json.loads(cli("worklist", "--as-of", "2024-02-25", "--format", "json"))

    assert [row["customer_code"] for row in values["rows"]] == ["C2", "C1"]
    assert values["rows"][0]["next_action"] == "task_planned"


def test_task_done_through_cli(cli):
    cli("run", "--as-of", "2024-02-25")
    task = json.loads(cli("task", "list", "--format", "json"))[0]["id"]

    output = cli(
        "task", "done", str(task), "--outcome", "promise_to_pay", "--promise-date", "2024-03-10",
        "--amount", "2000.00", "--as-of", "2024-02-26", "--format", "json",
    )  # fmt: skip

    assert json.loads(output)["next_action"] == "wait_for_promise"
    assert json.loads(cli("promise", "list", "--format", "json"))[0]["state"] == "open"


def test_notice_show_renders_text(cli):
    cli("run", "--as-of", "2024-02-25", "--no-send")
    notices = json.loads(cli("notice", "list", "--format", "json"))
    notice = next(row["id"] for row in notices if row["channel"] == "email")

    output = cli("notice", "show", str(notice))

    assert "Subject: Second reminder" in output
    assert "INV-1" in output


def test_invalid_date_exits_two(cli, database_url):
    result = CliRunner().invoke(
        app, ["--database", database_url, "collect", "run", "--as-of", "25.02.2024"]
    )

    assert result.exit_code == 2
