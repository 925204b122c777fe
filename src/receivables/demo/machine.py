"""A description of the machine a benchmark ran on: CPU, cores, memory, OS and library versions."""

from __future__ import annotations

import platform
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import psutil
from sqlalchemy import text

from receivables.storage.database import connect


@dataclass(frozen=True)
class Machine:
    cpu: str
    cores: int
    memory_gib: float
    system: str
    python: str
    polars: str
    sqlite: str
    postgres: str | None


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _system() -> str:
    try:
        for line in Path("/etc/os-release").read_text(encoding="utf-8").splitlines():
            if line.startswith("PRETTY_NAME="):
                name = line.split("=", 1)[1].strip().strip('"')
                return f"{name}, Linux {platform.release()}"
    except OSError:
        pass
    return platform.platform()


def postgres_version(url: str) -> str:
    """Return the server version of the PostgreSQL database at ``url``."""
    engine = connect(url, upgrade_schema=False)
    try:
        with engine.connect() as connection:
            return str(connection.execute(text("SHOW server_version")).scalar_one())
    finally:
        engine.dispose()


def describe_machine(postgres_url: str | None) -> Machine:
    """Describe this machine; ``postgres`` is the server version when a URL is given."""
    return Machine(
        cpu=_cpu_model(),
        cores=psutil.cpu_count(logical=True) or 1,
        memory_gib=psutil.virtual_memory().total / 2**30,
        system=_system(),
        python=platform.python_version(),
        polars=pl.__version__,
        sqlite=sqlite3.sqlite_version,
        postgres=postgres_version(postgres_url) if postgres_url else None,
    )
