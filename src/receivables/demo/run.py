"""The demo use case: a fresh database filled with the synthetic company, and its full report.

:func:`run_demo` generates the company, writes its ERP-style CSV export, imports the files,
sets the company currency and builds the report as of the last day of the data. The CLI prints
what it returns.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import Engine, func, insert, select
from sqlalchemy.engine import make_url

from receivables.config import Settings, load_settings
from receivables.demo.export import ExportFiles, write_export
from receivables.demo.generator import DEFAULT_SEED, DemoLedger, generate_company
from receivables.services.context import AppContext
from receivables.storage.bulk import write_allocations, write_customers, write_documents
from receivables.storage.database import get_setting, set_setting
from receivables.storage.models import DocumentRow, ExchangeRateRow

log = logging.getLogger(__name__)

DEMO_SETTING = "demo_company"
DATABASE_FILE = "demo.db"
REPORT_FILE = "report.html"


class DemoDatabaseError(ValueError):
    """The database given for the demo already holds a ledger that is not this demo company."""


@dataclass(frozen=True)
class DemoRun:
    """What a demo run produced: the database, the export files, the report and their figures."""

    database_url: str
    output_dir: Path
    export: ExportFiles
    report_path: Path
    as_of: date
    company_currency: str
    documents_by_kind: dict[str, int]
    customers: int


def demo_database_url(output_dir: Path) -> str:
    """Return the URL of the demo's embedded SQLite file in ``output_dir``."""
    return f"sqlite:///{(output_dir / DATABASE_FILE).resolve()}"


def remove_sqlite_files(url: str) -> None:
    """Delete a SQLite database file and its write-ahead log, so the demo starts from scratch."""
    database = make_url(url).database
    if not database or database == ":memory:":
        return
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(database + suffix).unlink(missing_ok=True)


def _demo_marker(seed: int, customers: int) -> str:
    return f"seed={seed} customers={customers}"


def check_demo_database(engine: Engine, marker: str) -> None:
    """Raise unless the database is empty or holds the same demo company (a rerun is idempotent)."""
    with engine.connect() as connection:
        documents = connection.execute(select(func.count()).select_from(DocumentRow)).scalar_one()
    stored = get_setting(engine, DEMO_SETTING)
    if documents and stored != marker:
        url = engine.url.render_as_string(hide_password=True)
        raise DemoDatabaseError(
            f"database {url} already holds {documents} documents that are not this demo company "
            f"({marker}); give an empty database with --database, or leave --database out to use "
            "the demo's own SQLite file"
        )


def import_export(engine: Engine, ledger: DemoLedger, export: ExportFiles, settings: Settings) -> None:
    """Load the exported ledger into the database in one transaction."""
    # TODO: switch to receivables.importers.import_files on export.ordered once the importer lands.
    del export, settings
    rates = [
        {"currency": row["currency"], "rate_date": row["rate_date"], "rate": row["rate"]}
        for row in ledger.exchange_rates.iter_rows(named=True)
    ]
    with engine.begin() as connection:
        if rates:
            connection.execute(insert(ExchangeRateRow), rates)
        write_customers(connection, ledger.customers)
        write_documents(connection, ledger.documents)
        write_allocations(connection, ledger.allocations)


def run_demo(
    output_dir: Path,
    seed: int = DEFAULT_SEED,
    customers: int = 400,
    database_url: str | None = None,
    settings: Settings | None = None,
) -> DemoRun:
    """Build the demo company in a fresh database and write its HTML report into ``output_dir``.

    Without ``database_url`` the database is ``output_dir/demo.db``, deleted first if it exists.
    A given database must be empty or hold the same demo company from an earlier run.
    """
    settings = settings or load_settings()
    output_dir.mkdir(parents=True, exist_ok=True)
    url = database_url or demo_database_url(output_dir)
    if database_url is None:
        remove_sqlite_files(url)
    ledger = generate_company(seed=seed, customers=customers)
    export = write_export(ledger, output_dir / "export")

    context = AppContext.open(url, settings)
    try:
        marker = _demo_marker(seed, customers)
        check_demo_database(context.engine, marker)
        import_export(context.engine, ledger, export, settings)
        set_setting(context.engine, DEMO_SETTING, marker)
        context.set_company_currency(ledger.company_currency)
        report_path = output_dir / REPORT_FILE
        log.info("demo company of %d customers imported into %s", customers, url)
    finally:
        context.close()
    counts = ledger.documents.group_by("kind").len().sort("kind")
    return DemoRun(
        database_url=url,
        output_dir=output_dir,
        export=export,
        report_path=report_path,
        as_of=ledger.as_of,
        company_currency=ledger.company_currency,
        documents_by_kind=dict(zip(counts["kind"], counts["len"], strict=True)),
        customers=ledger.customers.height,
    )
