"""Uploaded files: kept in a scratch folder for the length of one request, under safe names."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fastapi import UploadFile

from receivables.api.ledger_import import safe_file_name
from receivables.service.errors import invalid

MAX_UPLOAD_BYTES = 200 * 1024 * 1024
CHUNK = 1024 * 1024
LIMIT_TEXT = f"{MAX_UPLOAD_BYTES // 2**20} MiB"
Names = dict[str, str]


@contextmanager
def saved_uploads(
    files: list[UploadFile], field: str = "files"
) -> Iterator[tuple[list[Path], dict[str, str]]]:
    """Save ``files`` and yield their paths and a map from saved name to the name the client sent."""
    if not files:
        raise invalid(field, "send at least one file")
    with tempfile.TemporaryDirectory(prefix="receivables-upload-") as scratch:
        folder = Path(scratch)
        paths, names = [], {}
        for position, upload in enumerate(files, start=1):
            name = safe_file_name(upload.filename or "", position)
            path = folder / name
            size = 0
            with path.open("wb") as stream:
                while chunk := upload.file.read(CHUNK):
                    size += len(chunk)
                    if size > MAX_UPLOAD_BYTES:
                        raise invalid(
                            field, f"{upload.filename} is larger than {MAX_UPLOAD_BYTES // 2**20} MiB"
                        )
                    stream.write(chunk)
            if size == 0:
                raise invalid(field, f"{upload.filename or name} is empty")
            paths.append(path)
            names[name] = upload.filename or name
        yield paths, names
