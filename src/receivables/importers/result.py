"""The result of an import (counts per file and the problems found) and its progress events."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from receivables.importers.problems import Problem
from receivables.storage.bulk import WriteCounts

RESULT_PROBLEM_SCHEMA: dict[str, pl.DataType] = {
    "file": pl.String(),
    "row": pl.Int64(),
    "column": pl.String(),
    "value": pl.String(),
    "reason": pl.String(),
}

STAGES = ("read", "check", "write")


@dataclass(frozen=True)
class ProgressEvent:
    """A file reached ``stage``, step ``step`` of ``steps``; ``rows`` once the file is read."""

    file: str
    stage: str
    step: int
    steps: int
    rows: int | None = None


ProgressCallback = Callable[[ProgressEvent], None]


@dataclass
class FileResult:
    """One imported file: what it held, what was rejected, and what the writers did with the rest.

    ``written`` maps a record type (``customers``, ``documents``, ``allocations``,
    ``exchange_rates``) to the writer's counts. A documents file with settlements or customers
    from its rows has counts for several types.
    """

    file: str
    profile: str
    record_type: str | None = None
    rows_read: int = 0
    rows_rejected: int = 0
    written: dict[str, WriteCounts] = field(default_factory=dict)
    rejects_file: Path | None = None
    ignored_columns: list[str] = field(default_factory=list)
    sha256: str | None = None

    @property
    def rows_imported(self) -> int:
        return self.rows_read - self.rows_rejected if self.written else 0

    def totals(self) -> WriteCounts:
        result = WriteCounts(0, 0, 0)
        for counts in self.written.values():
            result = result + counts
        return result

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "profile": self.profile,
            "record_type": self.record_type,
            "rows_read": self.rows_read,
            "rows_rejected": self.rows_rejected,
            "rows_imported": self.rows_imported,
            "written": {
                name: {"inserted": counts.inserted, "updated": counts.updated, "unchanged": counts.unchanged}
                for name, counts in self.written.items()
            },
            "rejects_file": str(self.rejects_file) if self.rejects_file else None,
            "ignored_columns": self.ignored_columns,
            "sha256": self.sha256,
        }


@dataclass
class ImportResult:
    """The outcome of :func:`receivables.importers.import_files`; it never prints.

    ``committed`` is true when the import wrote to the database. Without ``skip_invalid`` a single problem
    keeps the whole file set out of the database.
    """

    files: list[FileResult]
    problem_frame: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=RESULT_PROBLEM_SCHEMA))
    committed: bool = False
    company_currency: str | None = None
    company_currency_set: bool = False

    @property
    def problems(self) -> list[Problem]:
        return [Problem(**row) for row in self.problem_frame.iter_rows(named=True)]

    @property
    def ok(self) -> bool:
        """True when no row or file had a problem."""
        return self.problem_frame.is_empty()

    def totals(self) -> dict[str, WriteCounts]:
        """Counts per record type over all files."""
        result: dict[str, WriteCounts] = {}
        for file_result in self.files:
            for name, counts in file_result.written.items():
                result[name] = result.get(name, WriteCounts(0, 0, 0)) + counts
        return result

    def to_dict(self) -> dict[str, Any]:
        return {
            "committed": self.committed,
            "company_currency": self.company_currency,
            "company_currency_set": self.company_currency_set,
            "files": [file_result.to_dict() for file_result in self.files],
            "problems": self.problem_frame.to_dicts(),
        }
