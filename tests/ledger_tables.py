"""Small hand-written ledgers as CSV text, written to files and imported through the ledger importer.

Test folders describe their ledgers as dedented CSV text per file (``customers.csv``,
``documents.csv``, ``allocations.csv``, ``rates.csv``...). These helpers write such text to
files and import them, so each test runs the same path a user's import runs.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from pathlib import Path

from sqlalchemy import Engine

from receivables.config import Settings
from receivables.importers import import_files
from receivables.storage.database import set_setting


def write_table(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    """Write ``text``, dedented, into ``folder/name`` and return the path."""
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding=encoding, newline="")
    return path


def import_tables(engine: Engine, folder: Path, tables: Mapping[str, str], currency: str = "EUR") -> Engine:
    """Import the ``tables`` (file name to CSV text) in order into ``engine``; fail on any problem.

    The company currency is set to ``currency``. Returns the engine, for use in fixtures.
    """
    files = [write_table(folder, name, text) for name, text in tables.items()]
    result = import_files(engine, files, settings=Settings(company_currency=currency))
    assert not result.problems, result.problems
    set_setting(engine, "company_currency", currency)
    return engine
