"""One file from disk to typed records: read, map through the profile, parse and check each row."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from receivables.importers.document_records import document_records
from receivables.importers.layout import RecordType
from receivables.importers.mapping import map_source
from receivables.importers.problems import concat_problems, file_problem
from receivables.importers.profiles import Profile
from receivables.importers.reading import SourceError, SourceTable, csv_error, read_source
from receivables.importers.records import FileRecords, allocation_records, customer_records, rate_records

log = logging.getLogger(__name__)


@dataclass
class LoadedFile:
    """A file after its own checks. ``unusable`` when a problem of the whole file rejects every row."""

    index: int
    path: Path
    name: str
    profile: Profile
    record_type: RecordType | None = None
    table: SourceTable | None = None
    labels: dict[str, str] = field(default_factory=dict)
    records: FileRecords = field(default_factory=FileRecords)
    rows_read: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    unusable: bool = False


def build_records(record_type: RecordType, frame: pl.DataFrame, profile: Profile) -> FileRecords:
    if record_type is RecordType.CUSTOMERS:
        return customer_records(frame)
    if record_type is RecordType.DOCUMENTS:
        return document_records(frame, profile)
    if record_type is RecordType.ALLOCATIONS:
        return allocation_records(frame, profile)
    return rate_records(frame, profile)


def load_file(
    index: int, path: Path, profile: Profile, record_type: RecordType | None, scratch: Path
) -> LoadedFile:
    """Read and check one file; problems of the file itself end up in ``records.problems``."""
    loaded = LoadedFile(index, path, str(path), profile)
    try:
        loaded.table = read_source(path, profile, scratch)
    except SourceError as error:
        return _unusable(loaded, error.row, None, error.reason)
    mapped = map_source(loaded.table, profile, record_type, index)
    loaded.record_type, loaded.labels, loaded.ignored_columns = (
        mapped.record_type,
        mapped.labels,
        mapped.ignored_columns,
    )
    if mapped.frame is None:
        loaded.records = FileRecords(problems=mapped.problems)
        loaded.unusable = True
        loaded.rows_read = _count_rows(loaded.table)
        return loaded
    try:
        frame = mapped.frame.collect()
    except pl.exceptions.PolarsError as error:
        failure = _collect_error(loaded.table, profile, error)
        return _unusable(loaded, failure.row, None, failure.reason)
    loaded.rows_read = frame.height
    if frame.is_empty():
        return _unusable(loaded, loaded.table.header_row, None, "the file has a header but no data rows")
    assert loaded.record_type is not None
    loaded.records = build_records(loaded.record_type, frame, profile)
    log.debug("%s: %d rows of %s read", loaded.name, frame.height, loaded.record_type)
    return loaded


def _unusable(loaded: LoadedFile, row: int | None, field_name: str | None, reason: str) -> LoadedFile:
    loaded.records = FileRecords(
        problems=concat_problems([file_problem(loaded.index, row, field_name, None, reason)])
    )
    loaded.unusable = True
    return loaded


def _collect_error(table: SourceTable, profile: Profile, error: Exception) -> SourceError:
    if table.file_format == "csv" and table.read_path is not None and table.delimiter is not None:
        return csv_error(table.read_path, profile, table.delimiter, error)
    return SourceError(f"the file cannot be read: {str(error).splitlines()[0]}")


def _count_rows(table: SourceTable) -> int:
    """Count the data rows of a file rejected as a whole, blank rows included."""
    try:
        return int(table.frame.select(pl.len()).collect().item())
    except pl.exceptions.PolarsError:
        return 0
