"""Fixtures of the import tests: files written into ``tmp_path`` and one call of ``import_files``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from import_helpers import ALLOCATIONS_CSV, CUSTOMERS_CSV, DOCUMENTS_CSV, EUR_COMPANY
from sqlalchemy import Engine

from ledger_tables import write_table
from receivables.config import Settings
from receivables.importers import ImportResult, import_files


@pytest.fixture
def write_file(tmp_path: Path) -> Callable[..., Path]:
    """Write ``text`` (dedented) into ``tmp_path/name`` and return the path."""

    def write(name: str, text: str, encoding: str = "utf-8") -> Path:
        return write_table(tmp_path, name, text, encoding)

    return write


@pytest.fixture
def run_import(engine: Engine) -> Callable[..., ImportResult]:
    """Import the given files into the test database; the company currency is EUR unless given."""

    def run(*files: Path, settings: Settings = EUR_COMPANY, **options: object) -> ImportResult:
        return import_files(engine, list(files), settings=settings, **options)  # type: ignore[arg-type]

    return run


@pytest.fixture
def ledger_files(write_file: Callable[..., Path]) -> list[Path]:
    """Customers, documents and allocations of a small ledger in the generic layout."""
    return [
        write_file("customers.csv", CUSTOMERS_CSV),
        write_file("documents.csv", DOCUMENTS_CSV),
        write_file("allocations.csv", ALLOCATIONS_CSV),
    ]
