"""Fast inserts of many rows from a Polars frame: ``COPY`` on PostgreSQL, ``executemany`` on SQLite.

Used by ``credit review`` to store a score for every customer in one transaction.
"""

from __future__ import annotations

import io

import polars as pl
from sqlalchemy import Connection


def insert_frame(connection: Connection, table: str, frame: pl.DataFrame) -> int:
    """Insert every row of ``frame`` into ``table`` by column name, in the caller's transaction."""
    if frame.is_empty():
        return 0
    columns = ", ".join(frame.columns)
    raw = connection.connection.driver_connection
    if connection.dialect.name == "postgresql":
        buffer = io.BytesIO()
        frame.write_csv(buffer, include_header=False, null_value="")
        statement = f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv)"
        with raw.cursor() as cursor, cursor.copy(statement) as copy:  # type: ignore[union-attr]
            copy.write(buffer.getvalue())
        return frame.height
    marks = ", ".join("?" for _ in frame.columns)
    cursor = raw.cursor()  # type: ignore[union-attr]
    try:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", frame.rows())
    finally:
        cursor.close()
    return frame.height
