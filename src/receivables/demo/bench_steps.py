"""The steps of ``receivables bench``, each run in its own process by :mod:`receivables.demo.bench`.

Usage: ``python -m receivables.demo.bench_steps STEP JSON``. The step's parameters come as one
JSON object. Its result goes to standard output as one JSON line, and an error goes to standard
error with a non-zero exit code. Times are measured inside the step with ``time.perf_counter`` and
exclude starting the interpreter and migrating the database schema.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from receivables.analytics import compute_report, load_ledger
from receivables.config import load_settings
from receivables.demo.export import write_export
from receivables.demo.generator import DEFAULT_END, generate_benchmark
from receivables.demo.ledger_frames import ledger_frames
from receivables.importers import import_files
from receivables.services.context import AppContext


def generate(size: int, seed: int, directory: str) -> dict[str, Any]:
    """Generate a ledger of ``size`` invoices and write its CSV export into ``directory``."""
    started = time.perf_counter()
    files = write_export(generate_benchmark(size, seed=seed, end=DEFAULT_END), Path(directory))
    return {
        "seconds": time.perf_counter() - started,
        "rows": files.rows,
        "files": [str(path) for path in files.ordered],
        "as_of": DEFAULT_END.isoformat(),
    }


def import_step(url: str, files: list[str], company_currency: str) -> dict[str, Any]:
    """Import the CSV files into the database at ``url`` in one run of the importer.

    Raises when the importer reports any problem, so a rejected file never counts as a fast import.
    """
    settings = replace(load_settings(), company_currency=company_currency)
    context = AppContext.open(url, settings)
    try:
        context.set_company_currency(company_currency)
        started = time.perf_counter()
        result = import_files(context.engine, [Path(name) for name in files], settings=settings)
        seconds = time.perf_counter() - started
    finally:
        context.close()
    if not result.committed or not result.ok:
        raise RuntimeError(f"import failed: {result.problem_frame.head(5)}")
    return {"seconds": seconds, "rows": sum(item.rows_imported for item in result.files)}


def report_step(url: str, as_of: str, company_currency: str) -> dict[str, Any]:
    """Load the ledger frames from ``url`` and build the full report as of ``as_of``.

    ``report_seconds`` covers aging and every figure of the as-of date with the top customers.
    ``trend_seconds`` is the extra time of the same report with the monthly trend.
    ``end_to_end_seconds`` runs from opening the database to the report without the trend.
    """
    day = date.fromisoformat(as_of)
    started = time.perf_counter()
    context = AppContext.open(url)
    try:
        opened = time.perf_counter()
        frames = load_ledger(context.engine)
        loaded = time.perf_counter()
    finally:
        context.close()
    compute_report(frames, as_of=day, company_currency=company_currency, trend=False)
    reported = time.perf_counter()
    report = compute_report(frames, as_of=day, company_currency=company_currency, trend=True)
    with_trend = time.perf_counter()
    return {
        "open_seconds": opened - started,
        "load_seconds": loaded - opened,
        "report_seconds": reported - loaded,
        "trend_seconds": max(0.0, (with_trend - reported) - (reported - loaded)),
        "end_to_end_seconds": reported - started,
        "documents": frames.documents.height,
        "open_items": report.figures.open_items,
    }


def memory_report(size: int, seed: int, as_of: str, company_currency: str) -> dict[str, Any]:
    """Generate a ledger of ``size`` invoices as in-memory frames and build its report, no database."""
    day = date.fromisoformat(as_of)
    started = time.perf_counter()
    frames = ledger_frames(generate_benchmark(size, seed=seed, end=day))
    frames.prepared  # noqa: B018 - prepared here, as load_ledger does after loading
    prepared = time.perf_counter()
    compute_report(frames, as_of=day, company_currency=company_currency, trend=False)
    reported = time.perf_counter()
    report = compute_report(frames, as_of=day, company_currency=company_currency, trend=True)
    with_trend = time.perf_counter()
    return {
        "generate_seconds": prepared - started,
        "report_seconds": reported - prepared,
        "trend_seconds": max(0.0, (with_trend - reported) - (reported - prepared)),
        "documents": frames.documents.height,
        "open_items": report.figures.open_items,
    }


STEPS: dict[str, Callable[..., dict[str, Any]]] = {
    "generate": generate,
    "import": import_step,
    "report": report_step,
    "memory_report": memory_report,
}


def main(argv: list[str]) -> int:
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    if len(argv) != 3 or argv[1] not in STEPS:
        sys.stderr.write(f"usage: python -m receivables.demo.bench_steps {{{','.join(STEPS)}}} JSON\n")
        return 2
    result = STEPS[argv[1]](**json.loads(argv[2]))
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
