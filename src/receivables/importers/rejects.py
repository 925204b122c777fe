"""Rejects files: the rows an import left out, as the file had them, with the reasons.

One CSV per input file, named ``<stem>.rejects.csv``, in the rejects directory or next to the
input. It contains the original columns as text, then ``row`` (the spreadsheet row), ``column``
and ``reason``. A row with several problems lists them separated by ``; ``. It is UTF-8 and uses the
input's delimiter, so a user can fix the rows and import the file again.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from receivables.importers.loading import LoadedFile

ADDED_COLUMNS = ("row", "column", "reason")


def rejects_path(loaded: LoadedFile, directory: Path | None, taken: set[Path]) -> Path:
    folder = directory if directory is not None else loaded.path.parent
    path = folder / f"{loaded.path.stem}.rejects.csv"
    if path in taken:
        path = folder / f"{loaded.path.stem}-{loaded.index + 1}.rejects.csv"
    taken.add(path)
    return path


def _reasons_by_row(loaded: LoadedFile, problems: pl.DataFrame, original: pl.DataFrame) -> pl.DataFrame:
    """Collect one line per rejected row with its columns and reasons.

    A problem of the whole file applies to every row.
    """
    if loaded.unusable:
        first = problems.row(0, named=True)
        return original.select(
            pl.col("_row").alias("row"),
            pl.lit(first["column"], pl.String).alias("column"),
            pl.lit(first["reason"]).alias("reason"),
        )
    return (
        problems.filter(pl.col("row").is_not_null())
        .group_by("row", maintain_order=True)
        .agg(
            pl.col("column").drop_nulls().unique(maintain_order=True).str.join("; ").alias("column"),
            pl.col("reason").str.join("; ").alias("reason"),
        )
    )


def write_rejects(
    loaded: LoadedFile, problems: pl.DataFrame, directory: Path | None, taken: set[Path]
) -> Path | None:
    """Write the rejected rows of ``loaded``; return the path, or ``None`` when there is nothing to write.

    ``problems`` are this file's problems with the columns of the result (row, column, reason).
    """
    if loaded.table is None or problems.is_empty():
        return None
    original = loaded.table.frame.collect().with_columns(pl.col("_row").cast(pl.Int64))
    columns = [name for name in original.columns if name != "_row"]
    original = original.filter(
        pl.any_horizontal([pl.col(name).str.strip_chars().str.len_bytes() > 0 for name in columns])
    )
    reasons = _reasons_by_row(loaded, problems, original)
    if reasons.is_empty():
        return None
    added = {name: (f"rejected_{name}" if name in columns else name) for name in ADDED_COLUMNS}
    rejected = original.join(reasons, left_on="_row", right_on="row", how="inner").sort("_row")
    rejected = rejected.select(
        *columns,
        pl.col("_row").alias(added["row"]),
        pl.col("column").alias(added["column"]),
        pl.col("reason").alias(added["reason"]),
    )
    path = rejects_path(loaded, directory, taken)
    path.parent.mkdir(parents=True, exist_ok=True)
    rejected.write_csv(path, separator=loaded.table.delimiter or ",")
    return path
