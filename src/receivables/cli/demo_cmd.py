"""``receivables demo`` and ``receivables bench``: the synthetic company and the benchmark run."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.engine import make_url

from receivables.cli.main import app, database_option
from receivables.demo.bench import BenchConfig, check_postgres_url, parse_sizes, run_benchmark
from receivables.demo.bench_doc import BenchPage, write_page
from receivables.demo.generator import DEFAULT_SEED
from receivables.demo.machine import describe_machine
from receivables.demo.run import DemoDatabaseError, DemoRun, run_demo
from receivables.domain.errors import ReceivablesError
from receivables.reports import render_table
from receivables.services.context import today


def _print_demo(console: Console, run: DemoRun) -> None:
    render_table(run.report, console)
    table = Table(title=f"Demo company as of {run.as_of.isoformat()} ({run.company_currency})")
    table.add_column("documents")
    table.add_column("count", justify="right")
    table.add_row("customers", f"{run.customers:,}")
    for kind, count in run.documents_by_kind.items():
        table.add_row(kind.replace("_", " "), f"{count:,}")
    console.print(table)
    console.print(f"export files: {run.export.paths['documents'].parent}")
    operations = run.operations
    console.print(
        f"credit records: {operations.credit_files[0].parent} "
        f"({operations.reviewed_customers:,} customers scored, "
        f"{operations.approved_limits} limits approved by user demo)"
    )
    console.print(f"bank statement: {operations.bank_statement}")
    collections = operations.collections
    dunning = collections["run"]
    by_level = dunning["notices"]["by_level"]
    levels = ", ".join(f"{level} {count:,}" for level, count in by_level.items())
    console.print(
        f"collections: {len(collections['notices']):,} notices ({levels or 'none due'}), "
        f"{len(collections['tasks']):,} open tasks, {len(dunning['problems']):,} problems; "
        f"outbox {collections['outbox']}",
        soft_wrap=True,
    )
    worklist = Table(title=f"Collector's worklist, top {min(5, len(collections['worklist']))}")
    for column in ("customer", "risk", "overdue", "days", "value at risk", "next action"):
        worklist.add_column(
            column, justify="right" if column in {"overdue", "days", "value at risk"} else "left"
        )
    for row in collections["worklist"][:5]:
        worklist.add_row(
            row["customer_code"],
            row["risk_class"] or "",
            f"{Decimal(row['overdue']):,.2f}",
            str(row["oldest_days_past_due"]),
            f"{Decimal(row['value_at_risk']):,.2f}",
            row["next_action"].replace("_", " "),
        )
    console.print(worklist)
    console.print(f"HTML report: {run.report_path}")
    url = make_url(run.database_url).render_as_string(hide_password=True)
    console.print(f"database: {url}", soft_wrap=True)
    console.print(
        f"next: receivables --database {url} report --as-of {run.as_of.isoformat()}", soft_wrap=True
    )


@app.command("demo")
def demo(
    ctx: typer.Context,
    output_dir: Annotated[
        Path, typer.Option(help="Folder for the database, the CSV export and the HTML report.")
    ] = Path("receivables-demo"),
    seed: Annotated[
        int, typer.Option(help="Seed of the generator; the same seed gives the same company.")
    ] = DEFAULT_SEED,
    customers: Annotated[int, typer.Option(min=1, help="Number of customers of the company.")] = 400,
) -> None:
    """Build a synthetic company in a fresh database, import it and write its full report.

    Without --database the database is OUTPUT_DIR/demo.db, deleted and created anew.
    """
    console = Console()
    try:
        with console.status("generating, importing and reporting the demo company"):
            run = run_demo(output_dir, seed=seed, customers=customers, database_url=database_option(ctx))
    except (DemoDatabaseError, ReceivablesError, ValueError) as error:
        console.print(f"[red]error:[/red] {error}")
        raise typer.Exit(2) from error
    _print_demo(console, run)


def _bench_command(
    sizes: str, memory_sizes: str | None, postgres_url: str | None, skip_sqlite: bool, output: Path, seed: int
) -> str:
    parts = ["receivables bench", f"--sizes {sizes}"]
    if memory_sizes:
        parts.append(f"--memory-sizes {memory_sizes}")
    if postgres_url:
        parts.append(f"--postgres-url {make_url(postgres_url).render_as_string(hide_password=True)}")
    if skip_sqlite:
        parts.append("--skip-sqlite")
    if seed != DEFAULT_SEED:
        parts.append(f"--seed {seed}")
    parts.append(f"--output {output}")
    return " ".join(parts)


@app.command("bench")
def bench(
    sizes: Annotated[
        str, typer.Option(help="Ledger sizes in invoices, comma-separated, such as 100k,1M,10M.")
    ] = ("100k,1M,10M"),
    postgres_url: Annotated[
        str | None,
        typer.Option(
            help="PostgreSQL server to benchmark; each size gets a fresh schema there.", show_default=False
        ),
    ] = None,
    skip_sqlite: Annotated[bool, typer.Option(help="Leave out the SQLite import and report.")] = False,
    output: Annotated[Path, typer.Option(help="Markdown file the results are written to.")] = Path(
        "docs/benchmarks.md"
    ),
    work_dir: Annotated[
        Path, typer.Option(help="Folder for the generated CSV files and SQLite databases.")
    ] = Path("bench-data"),
    seed: Annotated[int, typer.Option(help="Seed of the generator.")] = DEFAULT_SEED,
    keep_files: Annotated[bool, typer.Option(help="Keep each size's CSV files and SQLite database.")] = False,
    memory_sizes: Annotated[
        str | None,
        typer.Option(
            help="Sizes to time only the report on, from frames generated in memory, without import.",
            show_default=False,
        ),
    ] = None,
    note: Annotated[
        list[str] | None, typer.Option(help="A line to add under Notes, such as why a size was left out.")
    ] = None,
) -> None:
    """Time generation, import, loading and the report per ledger size, and write a Markdown table."""
    console = Console()
    try:
        size_list = parse_sizes(sizes)
        memory_list = parse_sizes(memory_sizes) if memory_sizes else []
        url = check_postgres_url(postgres_url) if postgres_url else None
    except ValueError as error:
        console.print(f"[red]error:[/red] {error}")
        raise typer.Exit(2) from error
    if url is None and skip_sqlite:
        console.print(
            "[red]error:[/red] --skip-sqlite needs --postgres-url, or there is nothing to import into"
        )
        raise typer.Exit(2)
    config = BenchConfig(size_list, work_dir, url, skip_sqlite, seed, keep_files, memory_list)
    results = run_benchmark(config, progress=console.print)
    page = BenchPage(
        machine=describe_machine(url),
        run_date=today(),
        command=_bench_command(sizes, memory_sizes, postgres_url, skip_sqlite, output, seed),
        notes=note or [],
    )
    console.print(f"results written to {write_page(results, page, output)}")
    failed = [name for result in results for name, step in result.steps.items() if not step.ok]
    if failed:
        console.print(f"[yellow]warning:[/yellow] {len(failed)} steps failed; see Notes in {output}")
