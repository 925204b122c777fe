"""Reading CSV and XLSX files into lazy frames of text, with the row number a spreadsheet shows.

Every cell is read as text, so leading zeros and odd formats reach the parsers untouched. CSV is
scanned lazily (``pl.scan_csv``), so only the columns a profile maps are parsed. The delimiter is
sniffed among ``,`` ``;`` tab and ``|`` unless the profile sets one. A UTF-8 byte order mark is
dropped. Files in another encoding (the profile's ``encoding``, or UTF-16 with a byte order mark)
are transcoded to UTF-8 in a scratch directory first.
"""

from __future__ import annotations

import codecs
import csv
import io
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

import fastexcel
import polars as pl

from receivables.importers.profiles import Profile

DELIMITERS = (",", ";", "\t", "|")
SNIFF_BYTES = 64 * 1024
SNIFF_RECORDS = 50
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
ROW = "_row"


class SourceError(Exception):
    """The file cannot be read as a table; ``row`` is where the reader stopped, when known."""

    def __init__(self, reason: str, row: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.row = row


@dataclass
class SourceTable:
    """A file as a lazy frame of text columns plus ``_row``, the 1-based spreadsheet row."""

    frame: pl.LazyFrame
    header: list[str]
    header_row: int
    file_format: str
    delimiter: str | None = None
    encoding: str = "utf-8"
    read_path: Path | None = None


def file_format(path: Path, profile: Profile) -> str:
    if profile.file_format:
        return profile.file_format
    return "xlsx" if path.suffix.lower() in SPREADSHEET_SUFFIXES else "csv"


def read_source(path: Path, profile: Profile, scratch: Path) -> SourceTable:
    """Open ``path`` as a table; raise :class:`SourceError` when it is empty or unreadable."""
    if not path.is_file():
        raise SourceError("file not found")
    if file_format(path, profile) == "xlsx":
        return _read_workbook(path, profile)
    return _read_csv(path, profile, scratch)


def _source_encoding(path: Path, profile: Profile) -> str:
    with path.open("rb") as handle:
        head = handle.read(4)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not head.startswith(
        codecs.BOM_UTF32_LE
    ):
        return "utf-16"
    return profile.encoding


def _as_utf8(path: Path, encoding: str, scratch: Path) -> Path:
    """Return a UTF-8 version of ``path``: the file itself, or a transcoded copy in ``scratch``."""
    if codecs.lookup(encoding).name in ("utf-8", "utf-8-sig"):
        return path
    target = scratch / f"{uuid.uuid4().hex}-{path.stem}.csv"
    try:
        with (
            path.open("r", encoding=encoding, newline="") as source,
            target.open("w", encoding="utf-8", newline="") as copy,
        ):
            shutil.copyfileobj(source, copy, 1 << 20)
    except UnicodeError as error:
        raise SourceError(
            f"the file is not valid {encoding}: {error}; set encoding in the profile"
        ) from error
    return target


def _read_csv(path: Path, profile: Profile, scratch: Path) -> SourceTable:
    encoding = _source_encoding(path, profile)
    read_path = _as_utf8(path, encoding, scratch)
    sample = _sample(read_path, profile.skip_rows)
    if not sample.strip():
        raise SourceError("the file is empty: expected a header row", row=profile.header_row)
    delimiter = profile.delimiter or sniff_delimiter(sample, profile.quote_char)
    frame = pl.scan_csv(
        read_path,
        separator=delimiter,
        quote_char=profile.quote_char,
        skip_rows=profile.skip_rows,
        infer_schema=False,
        encoding="utf8",
        raise_if_empty=False,
        row_index_name=ROW,
        row_index_offset=profile.header_row + 1,
    )
    try:
        header = [name for name in frame.collect_schema().names() if name != ROW]
    except pl.exceptions.PolarsError as error:
        raise csv_error(read_path, profile, delimiter, error) from error
    return SourceTable(frame, header, profile.header_row, "csv", delimiter, encoding, read_path)


def _sample(path: Path, skip_rows: int) -> str:
    with path.open("rb") as handle:
        raw = handle.read(SNIFF_BYTES)
    text = raw.decode("utf-8", errors="replace").removeprefix("\ufeff")
    lines = text.splitlines(keepends=True)[skip_rows:]
    if len(raw) == SNIFF_BYTES and len(lines) > 1:
        lines = lines[:-1]  # the last line may be cut in the middle
    return "".join(lines)


def sniff_delimiter(sample: str, quote_char: str = '"') -> str:
    """Pick the delimiter that splits the sample into the most consistent records of 2+ fields.

    Consistency (the share of records with as many fields as the header) counts first, then the
    number of fields. A file of one column falls back to a comma.
    """
    best, best_score = ",", (0.0, 0)
    for delimiter in DELIMITERS:
        reader = csv.reader(io.StringIO(sample), delimiter=delimiter, quotechar=quote_char)
        try:
            records = [record for _, record in zip(range(SNIFF_RECORDS), reader, strict=False) if any(record)]
        except csv.Error:
            continue
        if not records or len(records[0]) < 2:
            continue
        width = len(records[0])
        score = (sum(len(record) == width for record in records) / len(records), width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def csv_error(path: Path, profile: Profile, delimiter: str, error: Exception) -> SourceError:
    """Turn a Polars CSV error into a :class:`SourceError` that names the row where it happened."""
    message = str(error).splitlines()[0]
    if "utf-8" in message.lower():
        line = _first_invalid_utf8_line(path)
        return SourceError(
            f"line {line} is not valid UTF-8; set encoding in a profile (for example cp1252)",
            row=None,
        )
    if "more fields" in message:
        row = _first_long_record(path, profile, delimiter)
        return SourceError(f"the row has more fields than the header (delimiter {delimiter!r})", row=row)
    return SourceError(f"the file cannot be read as CSV: {message}")


def _first_invalid_utf8_line(path: Path) -> int | None:
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                return number
    return None


def _first_long_record(path: Path, profile: Profile, delimiter: str) -> int | None:
    """Find the spreadsheet row of the first record with more fields than the header (error path only)."""
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
        for _ in range(profile.skip_rows):
            handle.readline()
        reader = csv.reader(handle, delimiter=delimiter, quotechar=profile.quote_char)
        header = next(reader, [])
        for index, record in enumerate(reader):
            if len(record) > len(header):
                return profile.header_row + 1 + index
    return None


def _read_workbook(path: Path, profile: Profile) -> SourceTable:
    # NOTE: calamine starts a sheet at its first used row, so leading empty rows above the
    # header are not counted in the row numbers.
    try:
        reader = fastexcel.read_excel(path)
        sheet_name = _sheet_name(reader.sheet_names, profile)
        sheet = reader.load_sheet(sheet_name, header_row=profile.skip_rows, dtypes="string")
        frame = sheet.to_polars()
    except fastexcel.FastExcelError as error:
        raise SourceError(f"the workbook cannot be read: {str(error).splitlines()[0]}") from error
    if frame.width == 0:
        raise SourceError(f"sheet {sheet_name!r} is empty: expected a header row", row=profile.header_row)
    frame = frame.cast(pl.String).with_row_index(ROW, offset=profile.header_row + 1)
    return SourceTable(
        frame.lazy(), [name for name in frame.columns if name != ROW], profile.header_row, "xlsx"
    )


def _sheet_name(names: list[str], profile: Profile) -> str:
    if not names:
        raise SourceError("the workbook has no sheets")
    if profile.sheet is None:
        return names[0]
    if isinstance(profile.sheet, int):
        if profile.sheet > len(names):
            raise SourceError(f"sheet {profile.sheet} not found; the workbook has {len(names)} sheets")
        return names[profile.sheet - 1]
    if profile.sheet not in names:
        raise SourceError(f"sheet {profile.sheet!r} not found; the workbook has sheets {', '.join(names)}")
    return profile.sheet
