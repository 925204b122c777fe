"""Reading credit files (CSV or XLSX) into text frames, and the vectorized cell parsers.

Files go through the ledger importer's reader (:func:`receivables.importers.reading.read_source`)
with the generic profile: UTF-8 (or UTF-16 with a byte order mark), a sniffed delimiter, the first
sheet of a workbook, every cell as text. Header names are compared without case and surrounding
spaces. Cells follow the generic layout: ISO dates, ``.`` as the decimal point, no thousands
separator.

Every parser returns null where the text does not parse, and each check names the row and the
column, so a file's problems are found in one pass without a loop over rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from receivables.domain.money import Currency, is_currency_code
from receivables.importers.problems import Check, Problem, run_checks
from receivables.importers.profiles import Profile
from receivables.importers.reading import ROW, SourceError, read_source

FILE_INDEX = "_file"
AMOUNT_PATTERN = r"^[+-]?[0-9]{1,15}(\.[0-9]+)?$"
DECIMAL_PATTERN = r"^[+-]?[0-9]{1,14}(\.[0-9]+)?$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
READER_PROFILE = Profile(name="credit", description="the generic layout of credit files")


class CreditFileError(Exception):
    """A credit file cannot be read at all, or its header lacks a required column."""

    def __init__(self, file: str, reason: str) -> None:
        self.file = file
        self.reason = reason
        super().__init__(f"{file}: {reason}")


@dataclass
class FileReport:
    """One credit file: its record type, rows read and written, and the problems of its rows."""

    file: str
    record_type: str
    rows_read: int = 0
    rows_written: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def rows_rejected(self) -> int:
        return len({problem.row for problem in self.problems if problem.row is not None})


def read_text_frame(path: Path, scratch: Path) -> pl.DataFrame:
    """Read ``path`` as text cells with stripped lower-case headers, ``_row`` and ``_file``."""
    try:
        table = read_source(path, READER_PROFILE, scratch)
        frame = table.frame.collect()
    except SourceError as error:
        raise CreditFileError(path.name, error.reason) from error
    except pl.exceptions.PolarsError as error:
        raise CreditFileError(path.name, f"cannot be read: {str(error).splitlines()[0]}") from error
    names = {name: name.strip().lower() for name in frame.columns if name != ROW}
    seen: set[str] = set()
    for original, name in names.items():
        if name in seen:
            raise CreditFileError(path.name, f"column {original!r} appears twice in the header")
        seen.add(name)
    frame = frame.rename(names).with_columns(
        [pl.col(name).str.strip_chars() for name in names.values()]
    )
    return frame.with_columns(pl.lit(0, pl.Int32).alias(FILE_INDEX))


def require_columns(
    frame: pl.DataFrame, file: str, required: Sequence[str], optional: Sequence[str]
) -> pl.DataFrame:
    """Check the header has ``required``; add missing ``optional`` columns as nulls."""
    missing = [name for name in required if name not in frame.columns]
    if missing:
        raise CreditFileError(file, f"the header lacks the required columns {', '.join(missing)}")
    absent = [pl.lit(None, pl.String).alias(name) for name in optional if name not in frame.columns]
    return frame.with_columns(absent) if absent else frame


def blank(column: str) -> pl.Expr:
    """Return whether the cell is empty."""
    return pl.col(column).is_null() | (pl.col(column) == "")


def parse_date(column: str) -> pl.Expr:
    """Parse an ISO date; null when the text is not one."""
    text = pl.col(column)
    return pl.when(text.str.contains(DATE_PATTERN)).then(text.str.to_date("%Y-%m-%d", strict=False))


def amount_minor(column: str, minor_unit: pl.Expr) -> pl.Expr:
    """Major-unit text such as ``-1234.5`` as integer minor units; null when it is not an amount
    or has more decimals than ``minor_unit``."""
    text = pl.col(column)
    unsigned = text.str.strip_chars_start("+-")
    parts = unsigned.str.split_exact(".", 1)
    whole = parts.struct.field("field_0").cast(pl.Int64, strict=False)
    fraction = parts.struct.field("field_1").fill_null("")
    digits = fraction.str.len_chars()
    padded = fraction.str.pad_end(8, "0")
    scale = pl.lit(10, pl.Int64).pow(minor_unit.cast(pl.Int64))
    kept = (
        pl.when(minor_unit > 0)
        .then(padded.str.slice(0, minor_unit.cast(pl.UInt32)))
        .otherwise(pl.lit("0"))
    )
    value = whole * scale + kept.cast(pl.Int64, strict=False)
    sign = pl.when(text.str.starts_with("-")).then(-1).otherwise(1)
    valid = text.str.contains(AMOUNT_PATTERN) & (digits <= minor_unit)
    return pl.when(valid).then(value * sign)


def amount_problem(column: str, minor_unit: pl.Expr) -> pl.Expr:
    """Why the cell is not an amount with at most ``minor_unit`` decimals, or null."""
    text = pl.col(column)
    digits = text.str.split_exact(".", 1).struct.field("field_1").fill_null("").str.len_chars()
    return (
        pl.when(~text.str.contains(AMOUNT_PATTERN))
        .then(pl.lit("is not an amount such as 1234.50 (at most 15 digits before the point)"))
        .when(digits > minor_unit)
        .then(pl.format("has more decimals than the currency allows ({})", minor_unit))
    )


def hundredths(column: str) -> pl.Expr:
    """Parse a decimal with at most two decimals as integer hundredths; null otherwise."""
    return amount_minor(column, pl.lit(2))


def collect_problems(frame: pl.DataFrame, checks: Sequence[Check], file: str) -> list[Problem]:
    """Run ``checks`` on every row and turn the failures into problems of ``file``."""
    found = run_checks(frame, checks)
    return [
        Problem(file, row["row"], row["field"], row["value"], row["reason"])
        for row in found.sort("row", "field").iter_rows(named=True)
    ]


def without_problem_rows(frame: pl.DataFrame, problems: Sequence[Problem]) -> pl.DataFrame:
    rows = {problem.row for problem in problems if problem.row is not None}
    return frame.filter(~pl.col(ROW).is_in(list(rows))) if rows else frame


def minor_unit_column(frame: pl.DataFrame, column: str = "currency") -> pl.Expr:
    """Return the minor unit of each row's ISO 4217 currency; null for an unknown code."""
    units = {}
    for code in frame[column].drop_nulls().unique().to_list():
        if is_currency_code(code.upper()):
            units[code] = Currency.of(code).minor_unit
    return pl.col(column).replace_strict(units, default=None, return_dtype=pl.Int64)


def currency_check(column: str = "currency") -> Check:
    return Check(
        column, pl.col("_minor_unit").is_null(), "is not an ISO 4217 currency code such as EUR"
    )
