"""``receivables serve-bench``: the order-check endpoint at a steady rate, from a second process."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from sqlalchemy import Engine

from receivables.cli.credit_bench_cmd import _drop_schema, _postgres, _sqlite
from receivables.cli.main import app
from receivables.config import ConfigError, load_settings
from receivables.credit.config import load_credit_settings
from receivables.demo.machine import describe_machine
from receivables.domain.errors import ReceivablesError
from receivables.service.bench import run_service_bench
from receivables.service.bench_doc import service_section
from receivables.services.bench_page import write_section
from receivables.services.context import today


@app.command("serve-bench")
def serve_bench_command(
    customers: Annotated[int, typer.Option(min=1, help="Customers of the generated company.")] = 20_000,
    invoices: Annotated[int, typer.Option(min=1, help="Invoices of the generated company.")] = 200_000,
    rate: Annotated[float, typer.Option(min=1, help="Order checks a second.")] = 200,
    seconds: Annotated[float, typer.Option(min=1, help="Seconds to measure, after a 3 s warm-up.")] = 30,
    workers: Annotated[int, typer.Option(min=1, max=16, help="Worker processes of the server.")] = 1,
    postgres_url: Annotated[
        str | None, typer.Option(help="PostgreSQL server to measure too; a scratch schema is used.")
    ] = None,
    skip_sqlite: Annotated[bool, typer.Option(help="Leave SQLite out.")] = False,
    work_dir: Annotated[Path, typer.Option(help="Folder for the SQLite file and scratch files.")] = Path(
        "bench-service"
    ),
    output: Annotated[Path, typer.Option(help="Markdown file whose ## Service section is written.")] = Path(
        "docs/benchmarks.md"
    ),
    seed: Annotated[int, typer.Option(help="Seed of the generator.")] = 2024,
) -> None:
    """Serve a generated ledger and time the order-check endpoint under load; write ## Service."""
    console = Console()
    if invoices < customers:
        console.print(f"[red]error:[/red] --invoices {invoices} must be at least --customers {customers}")
        raise typer.Exit(2)
    if skip_sqlite and not postgres_url:
        console.print("[red]error:[/red] --skip-sqlite needs --postgres-url, or there is nothing to measure")
        raise typer.Exit(2)
    try:
        settings = load_credit_settings(load_settings())
    except (ConfigError, ReceivablesError) as error:
        console.print(f"[red]error:[/red] {error}")
        raise typer.Exit(1) from error
    work_dir.mkdir(parents=True, exist_ok=True)
    engines: dict[str, tuple[Callable[[], Engine], str]] = {}
    if not skip_sqlite:
        path = work_dir / "service-bench.db"
        engines["SQLite"] = (_sqlite(path), f"sqlite:///{path.resolve()}")
    schema = f"service_bench_{uuid.uuid4().hex[:12]}"
    if postgres_url:
        separator = "&" if "?" in postgres_url else "?"
        scoped = f"{postgres_url}{separator}options=-csearch_path%3D{schema}"
        engines["PostgreSQL"] = (_postgres(postgres_url, schema), scoped)
    try:
        results = run_service_bench(
            engines,
            customers=customers,
            invoices=invoices,
            rate=rate,
            seconds=seconds,
            workers=workers,
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
        f"{machine.cpu}, {machine.cores} cores, {machine.memory_gib:.0f} GiB, Python {machine.python}, "
        f"SQLite {machine.sqlite}" + (f", PostgreSQL {machine.postgres}" if postgres_url else "")
    )
    command = (
        f"receivables serve-bench --customers {customers} --invoices {invoices} --rate {rate:g} "
        f"--seconds {seconds:g} --workers {workers}"
        + (" --postgres-url URL" if postgres_url else "")
        + (" --skip-sqlite" if skip_sqlite else "")
    )
    section = service_section(results, command, today().isoformat(), described, invoices, seconds)
    console.print(section)
    console.print(f"results written to {write_section(output, section)}")
    shutil.rmtree(work_dir / "SQLite", ignore_errors=True)
    shutil.rmtree(work_dir / "PostgreSQL", ignore_errors=True)
