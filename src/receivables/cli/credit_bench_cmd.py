"""``receivables credit bench``: time ``credit review`` and the order check on a large ledger."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from sqlalchemy import Engine, create_engine, text

from receivables.cli.credit_cmd import credit_app
from receivables.cli.options import fail
from receivables.config import ConfigError, load_settings
from receivables.credit.bench import run_credit_bench
from receivables.credit.bench_doc import credit_section
from receivables.credit.config import load_credit_settings
from receivables.demo.machine import describe_machine
from receivables.domain.errors import ReceivablesError
from receivables.services.bench_page import write_section
from receivables.services.context import today
from receivables.storage.database import connect, normalize_url


def _postgres(url: str, schema: str) -> Callable[[], Engine]:
    def open_engine() -> Engine:
        admin = create_engine(normalize_url(url), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        admin.dispose()
        separator = "&" if "?" in url else "?"
        return connect(f"{url}{separator}options=-csearch_path%3D{schema}")

    return open_engine


def _drop_schema(url: str, schema: str) -> None:
    admin = create_engine(normalize_url(url), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


def _sqlite(path: Path) -> Callable[[], Engine]:
    def open_engine() -> Engine:
        path.unlink(missing_ok=True)
        return connect(f"sqlite:///{path}")

    return open_engine


@credit_app.command("bench")
def bench_command(
    customers: Annotated[
        int, typer.Option(min=1, help="Customers of the generated company.")
    ] = 100_000,
    invoices: Annotated[
        int, typer.Option(min=1, help="Invoices of the generated company.")
    ] = 1_000_000,
    checks: Annotated[int, typer.Option(min=1, help="Order checks to time.")] = 1000,
    postgres_url: Annotated[
        str | None, typer.Option(help="PostgreSQL server to measure too; a scratch schema is used.")
    ] = None,
    skip_sqlite: Annotated[bool, typer.Option(help="Leave SQLite out.")] = False,
    work_dir: Annotated[
        Path, typer.Option(help="Folder for the SQLite file and the credit files.")
    ] = Path("bench-credit"),
    output: Annotated[
        Path, typer.Option(help="Markdown file whose ## Credit section is written.")
    ] = Path("docs/benchmarks.md"),
    seed: Annotated[int, typer.Option(help="Seed of the generator.")] = 2024,
) -> None:
    """Time re-scoring every customer and the order check, and write the ## Credit section."""
    if invoices < customers:
        fail(f"--invoices {invoices} must be at least --customers {customers}", 2)
    if skip_sqlite and not postgres_url:
        fail("--skip-sqlite needs --postgres-url, or there is nothing to measure", 2)
    try:
        settings = load_credit_settings(load_settings())
    except (ConfigError, ReceivablesError) as error:
        fail(str(error))
    work_dir.mkdir(parents=True, exist_ok=True)
    engines: dict[str, Callable[[], Engine]] = {}
    if not skip_sqlite:
        engines["SQLite"] = _sqlite(work_dir / "credit-bench.db")
    schema = f"credit_bench_{uuid.uuid4().hex[:12]}"
    if postgres_url:
        engines["PostgreSQL"] = _postgres(postgres_url, schema)
    console = Console()
    try:
        results = run_credit_bench(
            engines,
            customers=customers,
            invoices=invoices,
            checks=checks,
            seed=seed,
            work_dir=work_dir,
            settings=settings,
            progress=console.print,
        )
    finally:
        if postgres_url:
            _drop_schema(postgres_url, schema)
    machine = describe_machine(postgres_url)
    described = (
        f"{machine.cpu}, {machine.cores} cores, {machine.memory_gib:.0f} GiB, "
        f"Python {machine.python}, "
        f"Polars {machine.polars}, SQLite {machine.sqlite}"
        + (f", PostgreSQL {machine.postgres}" if postgres_url else "")
    )
    command = (
        f"receivables credit bench --customers {customers} --invoices {invoices} --checks {checks}"
        + (" --postgres-url URL" if postgres_url else "")
        + (" --skip-sqlite" if skip_sqlite else "")
    )
    section = credit_section(results, command, today().isoformat(), described, invoices)
    console.print(f"results written to {write_section(output, section)}")
    shutil.rmtree(work_dir / "SQLite", ignore_errors=True)
    shutil.rmtree(work_dir / "PostgreSQL", ignore_errors=True)
