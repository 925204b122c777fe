"""``receivables import``: load CSV and XLSX exports into the ledger and print what happened.

Exit codes: 0 when every row was imported; 1 when nothing was written (a problem without
``--skip-invalid``, an invalid profile or configuration); 2 when ``--skip-invalid`` wrote the
valid rows and left some out.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from receivables.cli.main import app, database_option
from receivables.config import ConfigError, load_settings
from receivables.importers import ImportResult, ProfileError, ProgressEvent, import_files
from receivables.storage.database import connect

PROBLEMS_SHOWN = 100


class RecordTypeOption(StrEnum):
    customers = "customers"
    documents = "documents"
    allocations = "allocations"
    exchange_rates = "exchange_rates"


class OutputFormat(StrEnum):
    table = "table"
    json = "json"


class _ProgressBars:
    """One Rich progress bar per file, advanced at each stage (read, check, write)."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.tasks: dict[str, TaskID] = {}

    def __call__(self, event: ProgressEvent) -> None:
        rows = f" ({event.rows:,} rows)" if event.rows is not None else ""
        description = f"{Path(event.file).name}: {event.stage}{rows}"
        if event.file not in self.tasks:
            self.tasks[event.file] = self.progress.add_task(description, total=event.steps)
        self.progress.update(self.tasks[event.file], completed=event.step - 1, description=description)


def _files_table(result: ImportResult) -> Table:
    table = Table(title="Import")
    for name in ("file", "type", "read", "rejected", "records", "inserted", "updated", "unchanged"):
        text = name in ("file", "type", "records")
        table.add_column(name, justify="left" if text else "right", overflow="fold", no_wrap=not text)
    for item in result.files:
        written = item.written.items() if result.committed and item.written else [(None, None)]
        for position, (record_type, counts) in enumerate(written):
            first = position == 0
            table.add_row(
                item.file if first else "",
                (item.record_type or "-") if first else "",
                f"{item.rows_read:,}" if first else "",
                f"{item.rows_rejected:,}" if first else "",
                record_type or "-",
                f"{counts.inserted:,}" if counts else "-",
                f"{counts.updated:,}" if counts else "-",
                f"{counts.unchanged:,}" if counts else "-",
            )
    return table


def _problems_table(result: ImportResult) -> Table:
    table = Table(title=f"Problems ({result.problem_frame.height:,})")
    for name in ("file", "row", "column", "value", "reason"):
        table.add_column(name, justify="right" if name == "row" else "left", overflow="fold")
    for problem in result.problem_frame.head(PROBLEMS_SHOWN).iter_rows(named=True):
        row = "" if problem["row"] is None else str(problem["row"])
        table.add_row(
            problem["file"], row, problem["column"] or "", problem["value"] or "", problem["reason"]
        )
    return table


def _print_table(console: Console, result: ImportResult, skip_invalid: bool) -> None:
    console.print(_files_table(result))
    if not result.ok:
        console.print(_problems_table(result))
        hidden = result.problem_frame.height - PROBLEMS_SHOWN
        if hidden > 0:
            console.print(f"{hidden:,} more problems not shown; --format json lists them all.")
    for item in result.files:
        if item.rejects_file:
            console.print(f"rejected rows of {item.file}: {item.rejects_file}")
        if item.ignored_columns:
            console.print(
                f"{item.file}: columns not in the import layout, ignored: {', '.join(item.ignored_columns)}"
            )
    if result.company_currency_set:
        console.print(f"company currency set to {result.company_currency}")
    if not result.committed:
        hint = "" if skip_invalid else "; fix them, or import the valid rows with --skip-invalid"
        console.print(f"[red]Nothing was written[/red]: {result.problem_frame.height:,} problems{hint}.")


def _exit_code(result: ImportResult) -> int:
    if not result.committed:
        return 1
    return 0 if result.ok else 2


@app.command("import")
def import_command(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(help="CSV or XLSX files, written in one transaction.")],
    profile: Annotated[
        str | None,
        typer.Option(help="Mapping profile: built-in (generic, ibm-ar) or from the config or profiles file."),
    ] = None,
    record_type: Annotated[
        RecordTypeOption | None,
        typer.Option(
            "--type", help="Record type of every file; by default the header tells.", show_default=False
        ),
    ] = None,
    skip_invalid: Annotated[
        bool,
        typer.Option(
            "--skip-invalid", help="Write the valid rows; put rejected rows in a rejects CSV per file."
        ),
    ] = False,
    rejects_dir: Annotated[
        Path | None, typer.Option(help="Folder for the rejects files; by default next to each input file.")
    ] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", help="Print a table or JSON.")
    ] = OutputFormat.table,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Hide the progress bars.")] = False,
) -> None:
    """Import customers, documents, allocations or exchange rates from CSV or XLSX files."""
    console = Console()
    errors = Console(stderr=True)
    try:
        settings = load_settings()
        engine = connect(database_option(ctx) or settings.database_url)
    except ConfigError as error:
        errors.print(f"[red]error:[/red] {error}")
        raise typer.Exit(1) from error
    show_progress = not quiet and errors.is_terminal and output_format is OutputFormat.table
    try:
        with Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=errors, transient=True, disable=not show_progress,
        ) as progress:  # fmt: skip
            result = import_files(
                engine,
                files,
                settings=settings,
                profile=profile,
                record_type=record_type.value if record_type else None,
                skip_invalid=skip_invalid,
                rejects_dir=rejects_dir,
                progress=_ProgressBars(progress),
            )
    except (ProfileError, ValueError) as error:
        errors.print(f"[red]error:[/red] {error}")
        raise typer.Exit(1) from error
    finally:
        engine.dispose()
    if output_format is OutputFormat.json:
        typer.echo(json.dumps(result.to_dict(), indent=2, default=str))
    else:
        _print_table(console, result, skip_invalid)
    raise typer.Exit(_exit_code(result))
