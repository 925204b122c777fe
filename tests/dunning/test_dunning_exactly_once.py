"""A notice goes out once: after a crash in the middle of sending, on a re-run, and when two runs
start at once. Each run is a real ``receivables collect run`` process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from smtp_server import Mailbox, SmtpServer
from sqlalchemy import text

RECEIVABLES = str(Path(sys.executable).with_name("receivables"))
CUSTOMERS = 8
AS_OF = "2024-02-25"


@pytest.fixture
def eight_debtors(book):
    """Eight customers, each with one invoice 25 days past due: eight second notices by email."""
    for number in range(1, CUSTOMERS + 1):
        book.customer(f"C{number}")
        book.invoice(
            f"INV-{number}", f"C{number}", date(2024, 1, 1), date(2024, 1, 31), f"{number}00.00"
        )
    book.save()
    return book


def environment(tmp_path: Path, extra: dict[str, str], lease: int = 600) -> dict[str, str]:
    config = tmp_path / "collections.toml"
    config.write_text(
        f"[collections]\nclaim_lease_seconds = {lease}\n"
        '[collections.mail]\nbackoff_seconds = "0.01"\n'
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith("RECEIVABLES_")}
    env.update(
        {
            "RECEIVABLES_OUTBOX_DIR": str(tmp_path / "outbox"),
            "RECEIVABLES_COLLECTIONS_CONFIG": str(config),
            "RECEIVABLES_CONFIG": str(tmp_path / "none.toml"),
            **extra,
        }
    )
    (tmp_path / "none.toml").write_text("")
    return env


def start_run(database_url: str, env: dict[str, str]) -> subprocess.Popen[str]:
    command = [
        RECEIVABLES,
        "--database",
        database_url,
        "collect",
        "run",
        "--as-of",
        AS_OF,
        "--format",
        "json",
    ]
    return subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def finish(process: subprocess.Popen[str]) -> tuple[int, str]:
    out, err = process.communicate(timeout=120)
    return process.returncode, out + err


def outbox_states(engine) -> list[str]:
    with engine.connect() as connection:
        return sorted(connection.execute(text("SELECT state FROM dunning_outbox")).scalars().all())


def test_killed_run_resumes_without_duplicates_smtp(eight_debtors, database_url, tmp_path):
    """The first run dies right after its third delivery, before recording it."""
    with SmtpServer(Mailbox()) as server:
        crash = environment(
            tmp_path, {**server.environment(), "RECEIVABLES_DUNNING_EXIT_AFTER_SENDS": "3"}, lease=0
        )
        code, output = finish(start_run(database_url, crash))
        after_crash = len(server.mailbox.messages)
        resume = environment(tmp_path, server.environment(), lease=0)
        code_again, output_again = finish(start_run(database_url, resume))

    report = json.loads(output_again[: output_again.rindex("}") + 1])
    ids = server.mailbox.message_ids()
    assert code == 75, output
    assert after_crash == 3
    assert code_again == 0, output_again
    assert len(ids) == CUSTOMERS
    assert len(set(ids)) == CUSTOMERS
    assert report["delivery"]["recovered"]["unconfirmed"] == 1
    assert outbox_states(eight_debtors.engine) == ["sent"] * (CUSTOMERS - 1) + ["unconfirmed"]


def test_killed_run_resumes_without_duplicates_files(eight_debtors, database_url, tmp_path):
    """With .eml files the unrecorded delivery is found on disk and recorded as sent."""
    crash = environment(tmp_path, {"RECEIVABLES_DUNNING_EXIT_AFTER_SENDS": "5"}, lease=0)
    code, output = finish(start_run(database_url, crash))
    code_again, output_again = finish(start_run(database_url, environment(tmp_path, {}, lease=0)))

    files = sorted((tmp_path / "outbox" / "email").glob("notice-*.eml"))
    assert code == 75, output
    assert code_again == 0, output_again
    assert len(files) == CUSTOMERS
    assert outbox_states(eight_debtors.engine) == ["sent"] * CUSTOMERS


def test_reruns_after_crash_within_lease_send_rest_once(eight_debtors, database_url, tmp_path):
    """Within the claim lease, the rows of the stopped process are released because it is gone;
    the delivery it was in the middle of is never sent again."""
    with SmtpServer(Mailbox()) as server:
        crash = environment(
            tmp_path, {**server.environment(), "RECEIVABLES_DUNNING_EXIT_AFTER_SENDS": "2"}
        )
        finish(start_run(database_url, crash))
        finish(start_run(database_url, environment(tmp_path, server.environment())))
        finish(start_run(database_url, environment(tmp_path, server.environment())))

    ids = server.mailbox.message_ids()
    assert len(ids) == CUSTOMERS
    assert len(set(ids)) == CUSTOMERS
    assert outbox_states(eight_debtors.engine) == ["sent"] * (CUSTOMERS - 1) + ["unconfirmed"]


def test_two_runs_at_once_send_each_notice_once(eight_debtors, database_url, tmp_path):
    with SmtpServer(Mailbox()) as server:
        env = environment(
            tmp_path, {**server.environment(), "RECEIVABLES_DUNNING_SEND_DELAY": "0.1"}
        )
        first, second = start_run(database_url, env), start_run(database_url, env)
        results = [finish(first), finish(second)]

    ids = server.mailbox.message_ids()
    assert [code for code, _ in results] == [0, 0], results
    assert len(ids) == CUSTOMERS
    assert len(set(ids)) == CUSTOMERS
    with eight_debtors.engine.connect() as connection:
        assert (
            connection.execute(text("SELECT COUNT(*) FROM dunning_notices")).scalar_one()
            == CUSTOMERS
        )
    assert outbox_states(eight_debtors.engine) == ["sent"] * CUSTOMERS
