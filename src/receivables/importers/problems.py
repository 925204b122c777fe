"""Problems found in imported files, kept as a Polars frame until the result is built.

A problem points to one cell: the file, the row as a spreadsheet shows it (the header is row 1,
the first data row is row 2), the column as the file names it, the cell's text and the reason.
Problems about the whole file point to the header row and may have no column.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

# ``field`` is the layout field while the import runs; the result turns it into the file's column.
PROBLEM_SCHEMA: dict[str, pl.DataType] = {
    "_file": pl.Int32(),
    "row": pl.Int64(),
    "field": pl.String(),
    "value": pl.String(),
    "reason": pl.String(),
}


@dataclass(frozen=True)
class Problem:
    """One bad cell, row or file of an import."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    reason: str

    def __str__(self) -> str:
        place = self.file if self.row is None else f"{self.file} row {self.row}"
        if self.column:
            place += f", column {self.column}"
        shown = f" {self.value!r}" if self.value not in (None, "") else ""
        return f"{place}:{shown} {self.reason}"


@dataclass(frozen=True)
class Check:
    """A rule on each row: where ``condition`` is true, the row has a problem in ``field``.

    ``value`` is the text reported for the cell; by default the field's own column.
    """

    field: str
    condition: pl.Expr
    reason: pl.Expr | str
    value: pl.Expr | None = None


def empty_problems() -> pl.DataFrame:
    return pl.DataFrame(schema=PROBLEM_SCHEMA)


def file_problem(
    file_index: int, row: int | None, field: str | None, value: str | None, reason: str
) -> pl.DataFrame:
    """Build a one-row problem frame for a problem of the whole file or its header."""
    return pl.DataFrame(
        {"_file": [file_index], "row": [row], "field": [field], "value": [value], "reason": [reason]},
        schema=PROBLEM_SCHEMA,
    )


def run_checks(frame: pl.DataFrame, checks: Sequence[Check]) -> pl.DataFrame:
    """Evaluate every check on every row of ``frame`` (which has ``_file`` and ``_row``).

    All conditions are computed in one pass; only the rows that fail one are looked at again.
    """
    if frame.is_empty() or not checks:
        return empty_problems()
    flags = frame.select(
        [check.condition.fill_null(False).alias(f"_check{index}") for index, check in enumerate(checks)]
    )
    failing = flags.select(pl.any_horizontal(pl.all())).to_series()
    if not failing.any():
        return empty_problems()
    bad_rows = frame.filter(failing)
    bad_flags = flags.filter(failing)
    parts = []
    for index, check in enumerate(checks):
        rows = bad_rows.filter(bad_flags[f"_check{index}"])
        if rows.is_empty():
            continue
        value = check.value if check.value is not None else pl.col(check.field)
        reason = pl.lit(check.reason) if isinstance(check.reason, str) else check.reason
        parts.append(
            rows.select(
                pl.col("_file").cast(pl.Int32),
                pl.col("_row").cast(pl.Int64).alias("row"),
                pl.lit(check.field, pl.String).alias("field"),
                value.cast(pl.String).alias("value"),
                reason.cast(pl.String).alias("reason"),
            )
        )
    return concat_problems(parts)


def concat_problems(parts: Sequence[pl.DataFrame]) -> pl.DataFrame:
    frames = [part.select(list(PROBLEM_SCHEMA)).cast(PROBLEM_SCHEMA) for part in parts if not part.is_empty()]  # type: ignore[arg-type]
    return pl.concat(frames, how="vertical") if frames else empty_problems()


def rejected_rows(problems: pl.DataFrame) -> pl.DataFrame:
    """Return the distinct ``(_file, _row)`` pairs with a problem; file-level problems have no row."""
    return (
        problems.filter(pl.col("row").is_not_null())
        .select(pl.col("_file"), pl.col("row").alias("_row"))
        .unique()
    )


def without_rows(frame: pl.DataFrame, rejected: pl.DataFrame) -> pl.DataFrame:
    """Drop the rows listed in ``rejected`` (by ``_file`` and ``_row``) from ``frame``."""
    if rejected.is_empty() or frame.is_empty():
        return frame
    keys = rejected.select(
        pl.col("_file").cast(frame.schema["_file"]), pl.col("_row").cast(frame.schema["_row"])
    )
    return frame.join(keys, on=["_file", "_row"], how="anti", maintain_order="left")
