"""The demo use case: a fresh database filled with the synthetic company, and its full report.

:func:`run_demo` generates the company, writes its ERP-style CSV export, sets the company
currency, imports the files through the importer and writes the HTML report as of the last day
of the data. The CLI prints what it returns.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.engine import make_url

from receivables.analytics import Report, build_report
from receivables.config import Settings, load_settings
from receivables.demo.export import ExportFiles, write_export
from receivables.demo.generator import DEFAULT_SEED, generate_company
from receivables.demo.operations import DemoOperations, run_operations
from receivables.domain.aging import AgingBuckets
from receivables.domain.money import Currency
from receivables.importers import ImportResult, import_files
from receivables.reports import render_html
from receivables.services.context import AppContext
from receivables.services.report_sections import build_sections
from receivables.storage.database import get_setting, set_setting
from receivables.storage.models import DocumentRow

log = logging.getLogger(__name__)

DEMO_SETTING = "demo_company"
DATABASE_FILE = "demo.db"
REPORT_FILE = "report.html"


class DemoDatabaseError(ValueError):
    """The database given for the demo contains a ledger that is not this demo company."""


class DemoImportError(RuntimeError):
    """The importer rejected rows of the generated export, which means a generator or importer bug."""


@dataclass(frozen=True)
class DemoRun:
    """The outcome of a demo run: the database, the export files, the report and their figures."""

    database_url: str
    output_dir: Path
    export: ExportFiles
    report_path: Path
    as_of: date
    company_currency: str
    documents_by_kind: dict[str, int]
    customers: int
    report: Report
    operations: DemoOperations


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
    """Raise unless the database is empty or contains the same demo company, so a rerun is idempotent."""
    with engine.connect() as connection:
        documents = connection.execute(select(func.count()).select_from(DocumentRow)).scalar_one()
    stored = get_setting(engine, DEMO_SETTING)
    if documents and stored != marker:
        url = engine.url.render_as_string(hide_password=True)
        raise DemoDatabaseError(
            f"database {url} already contains {documents} documents that are not this demo company "
            f"({marker}); give an empty database with --database, or leave --database out to use "
            "the demo's own SQLite file"
        )


def import_export(engine: Engine, export: ExportFiles, settings: Settings) -> ImportResult:
    """Import the exported CSV files through the importer, in one transaction; raise on any problem."""
    result = import_files(engine, export.ordered, settings=settings)
    if not result.committed or not result.ok:
        examples = "; ".join(
            f"{problem.file} row {problem.row} {problem.column}: {problem.reason}"
            for problem in result.problems[:5]
        )
        raise DemoImportError(
            f"the import of the demo export failed with {len(result.problems)} problems, such as: {examples}"
        )
    return result


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
        context.set_company_currency(ledger.company_currency)
        import_export(context.engine, export, replace(settings, company_currency=ledger.company_currency))
        set_setting(context.engine, DEMO_SETTING, marker)
        log.info("demo company of %d customers imported into %s", customers, url)
        currency = Currency.of(ledger.company_currency)
        operations = run_operations(context.engine, output_dir, ledger.as_of, currency, settings, seed)
        report = build_report(
            context.engine,
            as_of=ledger.as_of,
            period_days=settings.period_days,
            buckets=AgingBuckets.parse(settings.aging_buckets),
            company_currency=ledger.company_currency,
        )
        sections = build_sections(context.engine, ledger.as_of, currency, settings, advice=True)
        report = replace(report, sections=sections)
    finally:
        context.close()
    report_path = output_dir / REPORT_FILE
    report_path.write_text(render_html(report) + "\n", encoding="utf-8")
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
        report=report,
        operations=operations,
    )
