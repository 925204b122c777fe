"""``receivables demo`` and ``receivables bench`` run end to end on small sizes."""

import polars as pl
import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from receivables.cli.main import app
from receivables.storage.database import connect, get_setting
from receivables.storage.frames import load_customers, load_documents

runner = CliRunner()


def run(*arguments):
    return runner.invoke(app, [str(argument) for argument in arguments])


def test_demo_builds_database_and_report(tmp_path):
    result = run("demo", "--output-dir", tmp_path, "--customers", 12)

    assert result.exit_code == 0, result.output
    assert (tmp_path / "demo.db").is_file()
    assert (tmp_path / "report.html").is_file()
    assert (tmp_path / "export" / "documents.csv").is_file()
    assert f"sqlite:///{tmp_path / 'demo.db'}" in result.output
    assert "report --as-of 2024-12-31" in result.output


def test_demo_ledger_stored(tmp_path):
    run("demo", "--output-dir", tmp_path, "--customers", 12, "--seed", 9)
    engine = connect(f"sqlite:///{tmp_path / 'demo.db'}")
    documents = load_documents(engine)
    exported = pl.read_csv(tmp_path / "export" / "documents.csv")

    stored_keys = documents.select("kind", "number")
    missing = exported.select("kind", pl.col("number").cast(pl.String)).join(
        stored_keys, on=["kind", "number"], how="anti"
    )
    # The demo's bank statement adds payments, and the discount documents and fee write-offs of
    # its matches, on top of the exported ledger.
    added = stored_keys.join(
        exported.select("kind", pl.col("number").cast(pl.String)), on=["kind", "number"], how="anti"
    )

    assert missing.height == 0
    assert added.height > 0
    assert set(added["kind"]) <= {"payment", "discount", "write_off"}
    assert load_customers(engine).height == 12
    assert get_setting(engine, "company_currency") == "EUR"
    engine.dispose()


def test_demo_starts_from_fresh_database(tmp_path):
    run("demo", "--output-dir", tmp_path, "--customers", 12, "--seed", 1)
    second = run("demo", "--output-dir", tmp_path, "--customers", 10, "--seed", 2)
    engine = connect(f"sqlite:///{tmp_path / 'demo.db'}")

    assert second.exit_code == 0, second.output
    assert load_customers(engine).height == 10
    engine.dispose()


def test_demo_rejects_zero_customers(tmp_path):
    result = run("demo", "--output-dir", tmp_path, "--customers", 0)

    assert result.exit_code == 2


@pytest.mark.postgres
def test_demo_on_given_database(tmp_path, postgres_url):
    first = run("--database", postgres_url, "demo", "--output-dir", tmp_path, "--customers", 8)
    again = run("--database", postgres_url, "demo", "--output-dir", tmp_path, "--customers", 8)
    other = run("--database", postgres_url, "demo", "--output-dir", tmp_path, "--customers", 8, "--seed", 5)

    assert first.exit_code == 0, first.output
    assert again.exit_code == 0, again.output
    assert other.exit_code == 2
    assert "not this demo company" in other.output
    assert not (tmp_path / "demo.db").exists()


@pytest.mark.postgres
def test_demo_hides_database_password(tmp_path, postgres_url):
    with_password = postgres_url.replace("postgres@", "postgres:secret-word@")
    result = run("--database", with_password, "demo", "--output-dir", tmp_path, "--customers", 6)

    assert result.exit_code == 0, result.output
    assert "secret-word" not in result.output
    assert "postgres:***@" in result.output


def test_bench_writes_table(tmp_path):
    output = tmp_path / "benchmarks.md"
    result = run("bench", "--sizes", "300", "--output", output, "--work-dir", tmp_path / "work")
    page = output.read_text(encoding="utf-8")

    assert result.exit_code == 0, result.output
    assert "| invoices | rows | import rows/s SQLite |" in page
    assert "\n| 300 | " in page
    assert "receivables bench --sizes 300" in page
    assert not (tmp_path / "work" / "300").exists()


@pytest.mark.postgres
def test_bench_with_postgres(tmp_path, postgres_url):
    server_url = postgres_url.rsplit("options=", 1)[0].rstrip("?&")
    output = tmp_path / "benchmarks.md"
    result = run(
        "bench", "--sizes", "300", "--postgres-url", server_url, "--skip-sqlite",
        "--output", output, "--work-dir", tmp_path / "work",
    )  # fmt: skip
    page = output.read_text(encoding="utf-8")

    assert result.exit_code == 0, result.output
    assert "| PostgreSQL | not used |" not in page
    assert "| 300 | postgres_import |" in page
    assert "| 300 | postgres_report |" in page


def test_bench_rejects_bad_sizes(tmp_path):
    result = run("bench", "--sizes", "lots", "--output", tmp_path / "b.md")

    assert result.exit_code == 2
    assert "invalid size 'lots'" in result.output
    assert not (tmp_path / "b.md").exists()


def test_bench_needs_a_database(tmp_path):
    result = run("bench", "--sizes", "300", "--skip-sqlite", "--output", tmp_path / "b.md")

    assert result.exit_code == 2
    assert "--skip-sqlite needs --postgres-url" in result.output


def test_demo_report_has_credit_and_bank(tmp_path):
    result = run("demo", "--output-dir", tmp_path, "--customers", 12, "--seed", 9)
    html = (tmp_path / "report.html").read_text(encoding="utf-8")

    assert result.exit_code == 0, result.output
    assert "bank statement:" in result.output
    assert "limits approved by user demo" in result.output
    assert "Cash application" in html
    assert "Risk class" in html or "risk class" in html


def test_demo_runs_collections_once(tmp_path):
    """The demo's collections run leaves notices and tasks; a second demo on the database adds none."""
    database = f"sqlite:///{tmp_path / 'kept.db'}"
    first = run("--database", database, "demo", "--output-dir", tmp_path, "--customers", 30)
    engine = connect(database)
    with engine.connect() as connection:
        counts = connection.execute(
            text("SELECT (SELECT COUNT(*) FROM dunning_notices), (SELECT COUNT(*) FROM dunning_tasks)")
        ).one()
    second = run("--database", database, "demo", "--output-dir", tmp_path, "--customers", 30)
    with engine.connect() as connection:
        again = connection.execute(
            text("SELECT (SELECT COUNT(*) FROM dunning_notices), (SELECT COUNT(*) FROM dunning_tasks)")
        ).one()
    engine.dispose()

    assert first.exit_code == 0, first.output
    assert second.exit_code == 0, second.output
    assert counts[0] > 0
    assert f"collections: {counts[0]} notices" in first.output
    assert "Collector's worklist" in first.output
    assert tuple(again) == tuple(counts)
    written = list((tmp_path / "outbox").rglob("*.eml")) + list((tmp_path / "outbox").rglob("*.pdf"))
    assert written
