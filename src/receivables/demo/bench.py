"""The benchmark run: for each ledger size, generate, export, import and report, step by step.

Each step runs in a child process (``python -m receivables.demo.bench_steps``) so that its peak
memory is its own: the parent reaps the child with :func:`os.wait4` and reads the child's maximum
resident set size from its resource usage. A failed step is recorded with the end of its error
output, and the steps that need its result are skipped.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from receivables.demo.customers import COMPANY_CURRENCY
from receivables.demo.generator import DEFAULT_END
from receivables.storage.database import normalize_url

SIZE_PATTERN = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kKmM]?)\s*$")
MULTIPLIERS = {"": 1, "k": 1_000, "m": 1_000_000}
ERROR_TAIL_LINES = 12


def parse_sizes(text_value: str) -> list[int]:
    """Read sizes such as ``"100k,1M,10M"`` as numbers of invoices; raise ``ValueError`` if invalid."""
    sizes = []
    for part in text_value.split(","):
        match = SIZE_PATTERN.match(part)
        if not match:
            raise ValueError(
                f"invalid size {part.strip()!r}: use a number with an optional k or M, such as 100k"
            )
        size = int(float(match.group(1)) * MULTIPLIERS[match.group(2).lower()])
        if size < 1:
            raise ValueError(f"invalid size {part.strip()!r}: it must be at least 1")
        sizes.append(size)
    return sizes


def size_label(size: int) -> str:
    """Format a size the short way: 100000 is ``100k``, 10000000 is ``10M``."""
    for suffix, factor in (("M", 1_000_000), ("k", 1_000)):
        if size >= factor and size % (factor // 10) == 0:
            value = size / factor
            return f"{value:g}{suffix}"
    return str(size)


@dataclass
class StepResult:
    """One step in its child process: its output values, wall time, peak memory, or its error.

    ``load_average`` is the one-minute load average of the machine when the step started, a hint
    of how much other work competed with it.
    """

    name: str
    values: dict[str, Any] = field(default_factory=dict)
    wall_seconds: float = 0.0
    peak_rss_bytes: int = 0
    error: str | None = None
    load_average: float | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class SizeResult:
    """The steps run for one ledger size, by step name."""

    size: int
    steps: dict[str, StepResult] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)

    def value(self, step: str, key: str) -> Any:
        result = self.steps.get(step)
        return result.values.get(key) if result is not None and result.ok else None

    @property
    def peak_rss_bytes(self) -> int:
        return max((step.peak_rss_bytes for step in self.steps.values()), default=0)


@dataclass(frozen=True)
class BenchConfig:
    sizes: list[int]
    work_dir: Path
    postgres_url: str | None = None
    skip_sqlite: bool = False
    seed: int = 2024
    keep_files: bool = False
    memory_sizes: list[int] = field(default_factory=list)


def run_step(name: str, params: dict[str, Any]) -> StepResult:
    """Run one step in a child process and measure its wall time and peak resident memory."""
    load_average = os.getloadavg()[0]
    with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
        started = time.perf_counter()
        command = [sys.executable, "-m", "receivables.demo.bench_steps", name, json.dumps(params)]
        process = subprocess.Popen(command, stdout=stdout, stderr=stderr, stdin=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        stdout.seek(0)
        stderr.seek(0)
        output, errors = stdout.read().decode(), stderr.read().decode(errors="replace")
    result = StepResult(
        name, wall_seconds=wall, peak_rss_bytes=usage.ru_maxrss * 1024, load_average=load_average
    )
    if process.returncode != 0 or not output.strip():
        tail = "\n".join(errors.strip().splitlines()[-ERROR_TAIL_LINES:])
        result.error = f"exit code {process.returncode}: {tail or 'no error output'}"
        return result
    result.values = json.loads(output.strip().splitlines()[-1])
    return result


def _postgres_schema_url(url: str, schema: str) -> str:
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-csearch_path%3D{schema}"


def _create_schema(url: str, schema: str, drop: bool = False) -> None:
    engine = create_engine(normalize_url(url), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            statement = f'DROP SCHEMA IF EXISTS "{schema}" CASCADE' if drop else f'CREATE SCHEMA "{schema}"'
            connection.execute(text(statement))
    finally:
        engine.dispose()


def _database_steps(result: SizeResult, prefix: str, url: str, files: list[str], as_of: str) -> None:
    """Import the files into a fresh database at ``url``, then load the frames and build the report."""
    imported = run_step("import", {"url": url, "files": files, "company_currency": COMPANY_CURRENCY})
    result.steps[f"{prefix}_import"] = imported
    if not imported.ok:
        result.skipped.append(f"{prefix}_report")
        return
    params = {"url": url, "as_of": as_of, "company_currency": COMPANY_CURRENCY}
    result.steps[f"{prefix}_report"] = run_step("report", params)


def _run_size(config: BenchConfig, size: int, progress: Callable[[str], None]) -> SizeResult:
    result = SizeResult(size)
    directory = config.work_dir / size_label(size)
    shutil.rmtree(directory, ignore_errors=True)
    progress(f"{size_label(size)}: generating the ledger and its CSV export")
    generated = run_step(
        "generate", {"size": size, "seed": config.seed, "directory": str(directory / "export")}
    )
    result.steps["generate"] = generated
    if not generated.ok:
        result.skipped += ["sqlite_import", "postgres_import"]
        return result
    files, as_of = generated.values["files"], generated.values["as_of"]
    if not config.skip_sqlite:
        progress(f"{size_label(size)}: SQLite import and report")
        _database_steps(result, "sqlite", f"sqlite:///{(directory / 'bench.db').resolve()}", files, as_of)
    if config.postgres_url:
        schema = f"bench_{size_label(size).lower().replace('.', '_')}_{uuid.uuid4().hex[:8]}"
        progress(f"{size_label(size)}: PostgreSQL import and report (schema {schema})")
        _create_schema(config.postgres_url, schema)
        try:
            _database_steps(
                result, "postgres", _postgres_schema_url(config.postgres_url, schema), files, as_of
            )
        finally:
            _create_schema(config.postgres_url, schema, drop=True)
    if not config.keep_files:
        shutil.rmtree(directory, ignore_errors=True)
    return result


def check_postgres_url(url: str) -> str:
    """Return ``url`` in the psycopg form; raise ``ValueError`` unless it names a PostgreSQL database."""
    normalized = normalize_url(url)
    if make_url(normalized).get_backend_name() != "postgresql":
        raise ValueError(f"invalid PostgreSQL URL {url!r}: use postgresql://user@host:port/database")
    return normalized


def _run_memory_size(config: BenchConfig, size: int, progress: Callable[[str], None]) -> SizeResult:
    """Time only the report of a size, on frames generated in memory, because its import is left out."""
    result = SizeResult(size)
    progress(f"{size_label(size)}: generating in memory and reporting, without import")
    params = {
        "size": size,
        "seed": config.seed,
        "as_of": DEFAULT_END.isoformat(),
        "company_currency": COMPANY_CURRENCY,
    }
    result.steps["memory_report"] = run_step("memory_report", params)
    return result


def run_benchmark(
    config: BenchConfig, progress: Callable[[str], None] = lambda message: None
) -> list[SizeResult]:
    """Run every size of ``config`` in turn; ``progress`` receives one line per stage."""
    config.work_dir.mkdir(parents=True, exist_ok=True)
    results = [_run_size(config, size, progress) for size in config.sizes]
    return results + [_run_memory_size(config, size, progress) for size in config.memory_sizes]
