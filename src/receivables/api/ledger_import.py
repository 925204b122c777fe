"""Ledger imports through the API: uploaded files, and records the ERP pushes as JSON.

Both go through ``receivables.importers.import_files``, the same checks and the same one
transaction as ``receivables import``. Imports upsert by natural keys (a customer by code, a
document by kind, number and instalment, an allocation by its documents and date), so sending
the same records again changes nothing.
"""

from __future__ import annotations

import csv
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from receivables.config import Settings
from receivables.importers import ImportResult, ProfileError, import_files
from receivables.importers.layout import LAYOUTS, RecordType
from receivables.service.errors import ApiError

SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def safe_file_name(name: str, position: int) -> str:
    """A file name without directories or odd characters, kept recognisable in problems."""
    base = SAFE_NAME.sub("_", Path(name or f"upload-{position}").name).strip("._") or f"upload-{position}"
    return f"{position:02d}-{base}"[:120]


def run_import(
    engine: Engine,
    settings: Settings,
    files: Sequence[Path],
    profile: str | None,
    record_type: str | None,
    skip_invalid: bool,
    rejects_dir: Path,
) -> ImportResult:
    """Import ``files``; a bad profile or record type is a 422 naming that field."""
    try:
        return import_files(
            engine,
            files,
            settings=settings,
            profile=profile,
            record_type=record_type,
            skip_invalid=skip_invalid,
            rejects_dir=rejects_dir,
        )
    except ProfileError as error:
        raise ApiError(422, "invalid_input", f"profile: {error}", "profile") from error
    except ValueError as error:
        raise ApiError(422, "invalid_input", f"record_type: {error}", "record_type") from error


def write_records(folder: Path, record_type: RecordType, rows: Sequence[dict[str, Any]]) -> Path:
    """Write ``rows`` as a CSV file of the generic layout for ``record_type``."""
    fields = LAYOUTS[record_type].fields
    path = folder / f"{record_type.value}.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=fields)
        writer.writeheader()
        for row in rows:
            writer.writerow({name: "" if row.get(name) is None else str(row[name]) for name in fields})
    return path


def import_records(
    engine: Engine, settings: Settings, batches: Sequence[tuple[RecordType, Sequence[dict[str, Any]]]]
) -> ImportResult:
    """Import record batches pushed as JSON, all or nothing, with the generic profile."""
    with tempfile.TemporaryDirectory(prefix="receivables-push-") as scratch:
        folder = Path(scratch)
        paths = [write_records(folder, record_type, rows) for record_type, rows in batches if rows]
        if not paths:
            raise ApiError(422, "invalid_input", "nothing to import: the lists are empty", None)
        return run_import(engine, settings, paths, "generic", None, False, folder)


def result_body(result: ImportResult, names: dict[str, str] | None = None) -> dict[str, Any]:
    """The import result as JSON; ``names`` maps the scratch file names to the names the client knows."""
    body = result.to_dict()
    if names:
        for item in body["files"]:
            item["file"] = names.get(Path(item["file"]).name, Path(item["file"]).name)
            item["rejects_file"] = None
        for problem in body["problems"]:
            problem["file"] = names.get(Path(str(problem["file"])).name, Path(str(problem["file"])).name)
    return body
