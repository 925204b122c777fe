"""Staging of Polars frames in temporary tables, for set-based writes of a whole run.

PostgreSQL receives the rows with ``COPY``; SQLite with ``executemany``. The caller then moves
them into the real tables with one ``INSERT ... SELECT`` each, inside its own transaction.
"""

from __future__ import annotations

import io
from collections.abc import Mapping

import polars as pl
from sqlalchemy import Connection, text

SQL_TYPES: tuple[tuple[pl.DataType, str], ...] = (
    (pl.Int64(), "BIGINT"),
    (pl.Int32(), "INTEGER"),
    (pl.String(), "TEXT"),
    (pl.Date(), "DATE"),
    (pl.Boolean(), "BOOLEAN"),
)
# SQLite waits this long for another writer before it raises "database is locked".
SQLITE_BUSY_MILLISECONDS = 60_000


def sql_type(dtype: pl.DataType) -> str:
    for known, name in SQL_TYPES:
        if dtype == known:
            return name
    raise ValueError(f"no SQL type for the column type {dtype}")


def is_postgres(connection: Connection) -> bool:
    return connection.dialect.name == "postgresql"


def wait_for_writers(connection: Connection) -> None:
    """Let a SQLite connection wait for a concurrent writer instead of failing at once."""
    if not is_postgres(connection):
        connection.exec_driver_sql(f"PRAGMA busy_timeout = {SQLITE_BUSY_MILLISECONDS}")


def stage(
    connection: Connection, name: str, frame: pl.DataFrame, schema: Mapping[str, pl.DataType]
) -> None:
    """Create the temporary table ``name`` with ``schema`` and fill it with ``frame``."""
    frame = frame.select([pl.col(column).cast(dtype) for column, dtype in schema.items()])
    columns = ", ".join(f"{column} {sql_type(dtype)}" for column, dtype in schema.items())
    connection.execute(text(f"DROP TABLE IF EXISTS {name}"))
    connection.execute(text(f"CREATE TEMPORARY TABLE {name} ({columns})"))
    if frame.is_empty():
        return
    raw = connection.connection.driver_connection
    if is_postgres(connection):
        buffer = io.BytesIO()
        frame.write_csv(buffer, include_header=False, null_value="\\N", date_format="%Y-%m-%d")
        statement = f"COPY {name} ({', '.join(schema)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
        with raw.cursor() as cursor, cursor.copy(statement) as copy:  # type: ignore[union-attr]
            copy.write(buffer.getvalue())
        return
    placeholders = ", ".join("?" for _ in schema)
    cursor = raw.cursor()  # type: ignore[union-attr]
    try:
        rows = frame.with_columns(
            [
                pl.col(column).dt.to_string("%Y-%m-%d")
                for column, dtype in schema.items()
                if dtype == pl.Date
            ]
        ).iter_rows()
        cursor.executemany(f"INSERT INTO {name} VALUES ({placeholders})", rows)
    finally:
        cursor.close()
