"""``receivables collect bench``: time a dunning run on a large generated ledger."""

from __future__ import annotations

import os
import platform
import tempfile
from datetime import date
from pathlib import Path
from typing import Annotated

import psutil
import typer
from rich.console import Console

from receivables.cli.collect_cmd import collect_app
from receivables.cli.options import fail, parse_day
from receivables.dunning.bench import BenchResult, run_collections_bench
from receivables.dunning.bench_doc import collections_section
from receivables.services.bench_page import write_section


def machine() -> str:
    memory = psutil.virtual_memory().total / 2**30
    system = f"{platform.system()} {platform.machine()}"
    return f"{os.cpu_count()} cores, {memory:.0f} GiB, {system}, Python {platform.python_version()}"


@collect_app.command("bench")
def bench_command(
    customers: Annotated[int, typer.Option(help="Customers to generate.", min=1)] = 100_000,
    items: Annotated[int, typer.Option(help="Open items to generate.", min=1)] = 1_000_000,
    sample: Annotated[
        int, typer.Option(help="Notices to deliver for the sending rates.", min=1)
    ] = 1_000,
    as_of: Annotated[
        str, typer.Option("--as-of", help="Date of the run, YYYY-MM-DD.")
    ] = "2024-06-30",
    sqlite: Annotated[
        bool, typer.Option("--sqlite/--no-sqlite", help="Measure on a new SQLite file.")
    ] = True,
    postgres: Annotated[
        str | None,
        typer.Option(help="URL of an EMPTY PostgreSQL database or schema to measure on."),
    ] = None,
    doc: Annotated[
        Path | None, typer.Option(help="Write the '## Collections' section of this Markdown file.")
    ] = None,
) -> None:
    """Measure a dunning run over a generated ledger and the notice sending rates."""
    day: date = parse_day(as_of)
    results: list[BenchResult] = []
    with tempfile.TemporaryDirectory(prefix="collections-bench-") as folder:
        work = Path(folder)
        targets = ([("SQLite", f"sqlite:///{work / 'bench.db'}")] if sqlite else []) + (
            [("PostgreSQL", postgres)] if postgres else []
        )
        if not targets:
            fail("nothing to measure: use --sqlite or --postgres URL", 2)
        for backend, url in targets:
            Console(stderr=True).print(
                f"{backend}: {customers:,} customers, {items:,} open items ..."
            )
            results.append(
                run_collections_bench(url, backend, customers, items, day, sample, work / backend)
            )
    for result in results:
        Console().print(
            f"{result.backend}: load {result.load_seconds:.1f} s, run {result.run_seconds:.1f} s "
            f"({result.notices:,} notices, {result.tasks:,} tasks), "
            f"re-run {result.rerun_seconds:.1f} s, SMTP {result.smtp_rate:.0f}/s, "
            f".eml {result.file_rate:.0f}/s, peak {result.peak_rss_mb:,.0f} MB"
        )
    if doc is not None:
        command = (
            f"receivables collect bench --customers {customers} --items {items} --sample {sample}"
        )
        section = collections_section(results, command, date.today().isoformat(), machine(), sample)
        write_section(doc, section)
        Console().print(f"wrote the Collections section of {doc}")
