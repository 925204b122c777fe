"""The Markdown page of a benchmark run: machine, command, results per size and the targets."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from receivables.demo.bench import SizeResult, size_label
from receivables.demo.machine import Machine
from receivables.services.bench_page import write_section

TARGET_IMPORT_ROWS_PER_SECOND = 400_000
TARGET_REPORT_SECONDS = 1.0
TARGET_END_TO_END_SECONDS = 10.0
TARGET_PEAK_BYTES = 4 * 10**9
TARGET_SIZE = 10_000_000
MISSING = "n/a"
HEADING = "## Ledger import and report"

INTRO = """\
Measured with `receivables bench`. For each size it generates a synthetic ledger with the demo
generator: that many invoices, plus the credit notes, payments, debit notes, write-offs and
allocations that settle them. It writes the CSV export in the generic import layout and imports the
four files through the importer into a fresh SQLite file and a fresh PostgreSQL schema. It then
loads the ledger frames from each database and builds the full report as of the last day of the
data. Each step runs in its own process, and peak memory is the largest maximum resident set size
of those processes. Times are measured inside each step, without interpreter start-up. The
machine's one-minute load average at the start of each step shows how much other work competed.

Columns: *rows* counts the data rows of the four CSV files. *Import rows/s* is rows divided by
the time of the import call, after the schema migration. *Load s* reads documents, allocations
and customers into Polars and prepares the allocation totals. *Report s* builds aging, all
metrics and the top customers from loaded frames, and *trend s* is the extra time of the monthly
trend. *End to end s* runs from opening the PostgreSQL database, schema check included, to the
finished report without the trend. A size marked *in memory* was not imported: its frames were
generated in memory, with the ids a fresh database would give, to time the report alone.
"""


@dataclass(frozen=True)
class BenchPage:
    """Everything the page shows besides the results: when, where and how the run was made."""

    machine: Machine
    run_date: date
    command: str
    notes: Sequence[str] = ()


def _seconds(value: float | None) -> str:
    return MISSING if value is None else f"{value:.2f}"


def _with_unit(text: str) -> str:
    return text if text == MISSING else f"{text} s"


def _rate(rows: int | None, seconds: float | None) -> str:
    if rows is None or not seconds:
        return MISSING
    return f"{rows / seconds:,.0f}"


def _memory(value: int) -> str:
    return MISSING if not value else f"{value / 10**9:.2f} GB"


def _rows(result: SizeResult) -> int | None:
    rows = result.value("generate", "rows")
    return sum(rows.values()) if rows else None


def _report_step(result: SizeResult) -> str:
    """Name the step whose report time stands for the size: PostgreSQL, SQLite, else in memory."""
    for step in ("postgres_report", "sqlite_report", "memory_report"):
        if result.value(step, "report_seconds") is not None:
            return step
    return "postgres_report"


def _report_cell(result: SizeResult, key: str, unit: str = "") -> str:
    step = _report_step(result)
    text = _seconds(result.value(step, key))
    if text == MISSING:
        return text
    return f"{text}{unit} (in memory)" if step == "memory_report" else f"{text}{unit}"


def _imported(result: SizeResult) -> bool:
    return any(name.endswith("_import") for name in result.steps)


def _end_to_end(result: SizeResult) -> float | None:
    value = result.value("postgres_report", "end_to_end_seconds")
    return float(value) if value is not None else None


def results_table(results: Sequence[SizeResult]) -> list[str]:
    lines = [
        "| invoices | rows | import rows/s SQLite | import rows/s PostgreSQL | load s SQLite "
        "| load s PostgreSQL | report s | trend s | end to end s | peak memory |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for result in results:
        rows = _rows(result)
        cells = [
            size_label(result.size),
            MISSING if rows is None else f"{rows:,}",
            _rate(rows, result.value("sqlite_import", "seconds")),
            _rate(rows, result.value("postgres_import", "seconds")),
            _seconds(result.value("sqlite_report", "load_seconds")),
            _seconds(result.value("postgres_report", "load_seconds")),
            _report_cell(result, "report_seconds"),
            _report_cell(result, "trend_seconds"),
            _seconds(_end_to_end(result)),
            _memory(result.peak_rss_bytes) if _imported(result) else MISSING,
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def steps_table(results: Sequence[SizeResult]) -> list[str]:
    lines = [
        "| invoices | step | wall s | peak memory | load average at start | result |",
        "| ---: | --- | ---: | ---: | ---: | --- |",
    ]
    for result in results:
        for name, step in result.steps.items():
            outcome = "ok" if step.ok else "failed"
            load = MISSING if step.load_average is None else f"{step.load_average:.1f}"
            lines.append(
                f"| {size_label(result.size)} | {name} | {step.wall_seconds:.2f} | "
                f"{_memory(step.peak_rss_bytes)} | {load} | {outcome} |"
            )
    return lines


def _verdict(value: float | None, limit: float, at_most: bool) -> str:
    if value is None:
        return "not measured"
    met = value <= limit if at_most else value >= limit
    return "met" if met else "not met"


def _import_rate(result: SizeResult) -> float | None:
    rows, seconds = _rows(result), result.value("postgres_import", "seconds")
    return rows / seconds if rows and seconds else None


def targets_table(results: Sequence[SizeResult]) -> list[str]:
    """Compare the import rate of the largest size and the 10M figures with the targets."""
    imported = [result for result in results if _import_rate(result) is not None]
    largest = max(imported, key=lambda result: result.size, default=None)
    import_rate = _import_rate(largest) if largest else None
    at_target = next((result for result in results if result.size == TARGET_SIZE), None)
    report = at_target.value(_report_step(at_target), "report_seconds") if at_target else None
    report_text = _report_cell(at_target, "report_seconds", " s") if at_target else MISSING
    end_to_end = _end_to_end(at_target) if at_target else None
    peak = (
        at_target.peak_rss_bytes if at_target and _imported(at_target) and at_target.peak_rss_bytes else None
    )

    measured_rate = (
        f"{import_rate:,.0f} rows/s at {size_label(largest.size)}" if largest and import_rate else MISSING
    )
    rows = [
        ("import into PostgreSQL >= 400,000 rows/s", measured_rate,
         _verdict(import_rate, TARGET_IMPORT_ROWS_PER_SECOND, at_most=False)),
        ("aging and all metrics for 10M invoices <= 1 s once loaded", report_text,
         _verdict(report, TARGET_REPORT_SECONDS, at_most=True)),
        ("the same <= 10 s end to end from PostgreSQL", _with_unit(_seconds(end_to_end)),
         _verdict(end_to_end, TARGET_END_TO_END_SECONDS, at_most=True)),
        ("peak memory <= 4 GB at 10M invoices", _memory(peak or 0),
         _verdict(peak, TARGET_PEAK_BYTES, at_most=True)),
    ]  # fmt: skip
    lines = ["| target | measured | verdict |", "| --- | ---: | --- |"]
    lines += [f"| {name} | {value} | {verdict} |" for name, value, verdict in rows]
    return lines


def problems(results: Sequence[SizeResult]) -> list[str]:
    lines = []
    for result in results:
        for name, step in result.steps.items():
            if not step.ok:
                detail = " ".join((step.error or "").split())[-600:]
                lines.append(f"- {size_label(result.size)}, step {name} failed: `{detail}`")
        for name in result.skipped:
            lines.append(
                f"- {size_label(result.size)}, step {name} did not run because an earlier step failed."
            )
    return lines


def machine_table(machine: Machine) -> list[str]:
    rows = [
        ("CPU", f"{machine.cpu}, {machine.cores} cores"),
        ("memory", f"{machine.memory_gib:.1f} GiB"),
        ("operating system", machine.system),
        ("Python", machine.python),
        ("Polars", machine.polars),
        ("SQLite", machine.sqlite),
        ("PostgreSQL", machine.postgres or "not used"),
    ]
    return ["| | |", "| --- | --- |", *[f"| {name} | {value} |" for name, value in rows]]


def render_section(results: Sequence[SizeResult], page: BenchPage) -> str:
    """Return the Markdown section of the ledger benchmark, from its heading to its last table."""
    parts = [
        HEADING,
        INTRO.strip(),
        f"Run on {page.run_date.isoformat()} with `{page.command}`.",
        "### Machine",
        "\n".join(machine_table(page.machine)),
        "### Results",
        "\n".join(results_table(results)),
        "### Targets",
        "\n".join(targets_table(results)),
    ]
    notes = [*problems(results), *(f"- {note}" for note in page.notes)]
    if notes:
        parts += ["### Notes", "\n".join(notes)]
    parts += ["### Steps", "\n".join(steps_table(results))]
    return "\n\n".join(parts) + "\n"


def write_page(results: Sequence[SizeResult], page: BenchPage, path: Path) -> Path:
    """Write the ledger benchmark section into ``path``, keeping the page's other sections."""
    return write_section(path, render_section(results, page), first=True)
