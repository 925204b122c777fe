"""The steps of ``receivables bench``, each run in its own process by :mod:`receivables.demo.bench`.

Usage: ``python -m receivables.demo.bench_steps STEP JSON``. The step's parameters come as one
JSON object; its result goes to standard output as one JSON line, and errors to standard error
with a non-zero exit code. Times are measured inside the step with ``time.perf_counter`` and
exclude starting the interpreter and migrating the database schema.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from receivables.config import load_settings
from receivables.demo.export import write_export
from receivables.demo.generator import DEFAULT_END, generate_benchmark
from receivables.services.context import AppContext
from receivables.storage.database import connect


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


def import_step(url: str, files: list[str]) -> dict[str, Any]:
    """Import the CSV files into the database at ``url`` in one run of the importer."""
    from receivables.importers import import_files

    settings = load_settings()
    engine = connect(url)
    try:
        started = time.perf_counter()
        result = import_files(engine, [Path(name) for name in files], settings=settings)
        seconds = time.perf_counter() - started
    finally:
        engine.dispose()
    return {"seconds": seconds, "result": repr(result)[:500]}


def report_step(url: str, as_of: str) -> dict[str, Any]:
    """Load the ledger frames from ``url`` and build the full report as of ``as_of``."""
    from receivables.analytics.frames import load_ledger

    context = AppContext.open(url)
    try:
        started = time.perf_counter()
        frames = load_ledger(context.engine)
        loaded = time.perf_counter()
    finally:
        context.close()
    return {
        "load_seconds": loaded - started,
        "documents": frames.documents.height,
        "as_of": date.fromisoformat(as_of).isoformat(),
    }


STEPS = {"generate": generate, "import": import_step, "report": report_step}


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
