"""Fixtures of the stored-terms tests: a ledger imported from CSV text through the importer."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine

from receivables.config import Settings
from receivables.importers import import_files

EUR_COMPANY = Settings(company_currency="EUR")


@pytest.fixture
def import_ledger(engine: Engine, tmp_path: Path) -> Callable[..., None]:
    """Import CSV texts (dedented) into the test database; raise if any row is rejected."""
    counter = iter(range(1_000))

    def run(*texts: str) -> None:
        paths = []
        for text in texts:
            path = tmp_path / f"file{next(counter)}.csv"
            path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
            paths.append(path)
        result = import_files(engine, paths, settings=EUR_COMPANY)
        assert result.committed, [str(problem) for problem in result.problems]

    return run
