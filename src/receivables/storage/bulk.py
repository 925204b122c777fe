"""Bulk upserts of customers, documents and allocations from Polars frames.

Each writer stages the frame in a temporary table (``COPY`` on PostgreSQL, ``executemany`` on
SQLite) and moves it into the ledger with one ``INSERT ... SELECT ... ON CONFLICT DO UPDATE``
keyed by the natural keys:

- customers by ``code``;
- documents by ``(kind, number, instalment)``;
- allocations by ``(source, target, allocation_date)``, each document named by kind, number and
  instalment;
- exchange rates by ``(currency, rate_date)``.

The term columns (a customer's and a document's ``payment_term``, a document's ``instalment``
and ``discount_offers``, an allocation's ``source_instalment`` and ``target_instalment``) are
optional in the frames: a frame without them writes instalment 1 and no term.

A row equal to the stored one changes nothing, so writing the same frame twice is a no-op and a
changed row updates in place. Writers run inside the caller's transaction, so an import commits
all of its files or none.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl
from sqlalchemy import Connection, text

CUSTOMER_SCHEMA: dict[str, pl.DataType] = {
    "code": pl.String(),
    "name": pl.String(),
    "country": pl.String(),
    "currency": pl.String(),
    "industry": pl.String(),
    "segment": pl.String(),
}

DOCUMENT_SCHEMA: dict[str, pl.DataType] = {
    "customer_code": pl.String(),
    "kind": pl.String(),
    "number": pl.String(),
    "document_date": pl.Date(),
    "due_date": pl.Date(),
    "currency": pl.String(),
    "amount_minor": pl.Int64(),
    "tax_minor": pl.Int64(),
    "fx_rate": pl.String(),
    "disputed": pl.Boolean(),
    "reference": pl.String(),
}

ALLOCATION_SCHEMA: dict[str, pl.DataType] = {
    "source_kind": pl.String(),
    "source_number": pl.String(),
    "target_kind": pl.String(),
    "target_number": pl.String(),
    "allocation_date": pl.Date(),
    "amount_minor": pl.Int64(),
}

# Optional columns: their type and the value a frame without them writes.
CUSTOMER_TERM_COLUMNS: dict[str, tuple[pl.DataType, object]] = {
    "payment_term": (pl.String(), None),
}
DOCUMENT_TERM_COLUMNS: dict[str, tuple[pl.DataType, object]] = {
    "instalment": (pl.Int64(), 1),
    "payment_term": (pl.String(), None),
    "discount_offers": (pl.String(), None),
}
ALLOCATION_INSTALMENT_COLUMNS: dict[str, tuple[pl.DataType, object]] = {
    "source_instalment": (pl.Int64(), 1),
    "target_instalment": (pl.Int64(), 1),
}

EXCHANGE_RATE_SCHEMA: dict[str, pl.DataType] = {
    "currency": pl.String(),
    "rate_date": pl.Date(),
    "rate": pl.String(),
}

_SQL_TYPES = {
    pl.String(): "VARCHAR(200)",
    pl.Date(): "DATE",
    pl.Int64(): "BIGINT",
    pl.Boolean(): "BOOLEAN",
}


@dataclass(frozen=True)
class WriteCounts:
    """Rows of one frame that were new, changed, or already stored as they are."""

    inserted: int
    updated: int
    unchanged: int

    def __add__(self, other: WriteCounts) -> WriteCounts:
        return WriteCounts(
            self.inserted + other.inserted,
            self.updated + other.updated,
            self.unchanged + other.unchanged,
        )


# Staged text columns longer than the default VARCHAR(200).
_LONG_TEXT = {"discount_offers": "TEXT"}


class MissingReferenceError(ValueError):
    """Rows to write refer to customers or documents that are not stored."""


def with_optional_columns(
    frame: pl.DataFrame, columns: dict[str, tuple[pl.DataType, object]]
) -> tuple[pl.DataFrame, dict[str, pl.DataType]]:
    """Add each optional column ``frame`` lacks with its default; return it and their schema."""
    missing = [
        pl.lit(default, dtype).alias(name)
        for name, (dtype, default) in columns.items()
        if name not in frame.columns
    ]
    schema = {name: dtype for name, (dtype, _) in columns.items()}
    return (frame.with_columns(missing) if missing else frame), schema


def _is_postgres(connection: Connection) -> bool:
    return connection.dialect.name == "postgresql"


def _stage(connection: Connection, name: str, frame: pl.DataFrame, schema: dict[str, pl.DataType]) -> None:
    """Create the temporary table ``name`` and fill it with ``frame``."""
    frame = frame.select([pl.col(column).cast(dtype) for column, dtype in schema.items()])
    columns = ", ".join(
        f"{column} {_LONG_TEXT.get(column, _SQL_TYPES[dtype])}" for column, dtype in schema.items()
    )
    connection.execute(text(f"DROP TABLE IF EXISTS {name}"))
    connection.execute(text(f"CREATE TEMPORARY TABLE {name} ({columns})"))
    if frame.is_empty():
        return
    if _is_postgres(connection):
        buffer = io.BytesIO()
        frame.write_csv(buffer, include_header=False, null_value="\\N", date_format="%Y-%m-%d")
        raw = connection.connection.driver_connection
        with raw.cursor() as cursor:  # type: ignore[union-attr]
            statement = f"COPY {name} ({', '.join(schema)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
            with cursor.copy(statement) as copy:
                view = buffer.getbuffer()
                for start in range(0, len(view), 1 << 20):
                    copy.write(view[start : start + (1 << 20)])
        return
    placeholders = ", ".join("?" for _ in schema)
    raw = connection.connection.driver_connection
    cursor = raw.cursor()  # type: ignore[union-attr]
    try:
        cursor.executemany(f"INSERT INTO {name} VALUES ({placeholders})", frame.iter_rows())
    finally:
        cursor.close()


def _count(connection: Connection, table: str) -> int:
    return int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def _upsert(
    connection: Connection,
    table: str,
    columns: Sequence[str],
    select_sql: str,
    conflict: Sequence[str],
    staged_rows: int,
) -> WriteCounts:
    """Run ``INSERT INTO table (columns) select_sql ON CONFLICT (conflict) DO UPDATE`` of changed rows."""
    distinct = "IS DISTINCT FROM" if _is_postgres(connection) else "IS NOT"
    updates = [column for column in columns if column not in conflict]
    assignments = ", ".join(f"{column} = excluded.{column}" for column in updates)
    changed = " OR ".join(f"{table}.{column} {distinct} excluded.{column}" for column in updates)
    before = _count(connection, table)
    result = connection.execute(
        text(
            f"INSERT INTO {table} ({', '.join(columns)}) {select_sql} "
            f"ON CONFLICT ({', '.join(conflict)}) DO UPDATE SET {assignments} WHERE {changed}"
        )
    )
    inserted = _count(connection, table) - before
    touched = max(result.rowcount or 0, inserted)
    return WriteCounts(inserted, touched - inserted, staged_rows - touched)


def write_customers(connection: Connection, frame: pl.DataFrame) -> WriteCounts:
    """Insert new customers and update changed ones, by customer code."""
    frame, optional = with_optional_columns(frame, CUSTOMER_TERM_COLUMNS)
    schema = CUSTOMER_SCHEMA | optional
    _stage(connection, "stage_customers", frame, schema)
    columns = list(schema)
    select_sql = f"SELECT {', '.join(columns)} FROM stage_customers WHERE true"
    return _upsert(connection, "customers", columns, select_sql, ["code"], frame.height)


def write_documents(connection: Connection, frame: pl.DataFrame) -> WriteCounts:
    """Insert new documents and update changed ones, by kind, number and instalment.

    Every ``customer_code`` must already be stored; ``fx_rate`` is a decimal string.
    """
    frame, optional = with_optional_columns(frame, DOCUMENT_TERM_COLUMNS)
    _stage(connection, "stage_documents", frame, DOCUMENT_SCHEMA | optional)
    columns = [
        "customer_id", "kind", "number", "instalment", "document_date", "due_date", "currency",
        "amount_minor", "tax_minor", "fx_rate", "disputed", "reference", "payment_term",
        "discount_offers",
    ]  # fmt: skip
    select_sql = (
        "SELECT c.id, s.kind, s.number, s.instalment, s.document_date, s.due_date, s.currency, "
        "s.amount_minor, s.tax_minor, CAST(s.fx_rate AS NUMERIC(24, 10)), s.disputed, s.reference, "
        "s.payment_term, s.discount_offers "
        "FROM stage_documents s JOIN customers c ON c.code = s.customer_code WHERE true"
    )
    _raise_on_missing(
        connection,
        "SELECT DISTINCT s.customer_code FROM stage_documents s "
        "LEFT JOIN customers c ON c.code = s.customer_code WHERE c.id IS NULL",
        "documents name customers that are not stored",
    )
    conflict = ["kind", "number", "instalment"]
    return _upsert(connection, "documents", columns, select_sql, conflict, frame.height)


def _raise_on_missing(connection: Connection, sql: str, description: str) -> None:
    """Raise :class:`MissingReferenceError` naming the keys ``sql`` finds missing from storage.

    The writers join staged rows to what is stored, so a row whose customer or document is
    missing would otherwise be left out without a word. The importer checks first; this guards
    every other caller.
    """
    missing = [str(row[0]) for row in connection.execute(text(sql + " LIMIT 6"))]
    if missing:
        listed = ", ".join(missing[:5]) + (" and more" if len(missing) > 5 else "")
        raise MissingReferenceError(f"{description}: {listed}")


def delete_dropped_instalments(connection: Connection, keys: pl.DataFrame) -> int:
    """Delete the stored instalments of the documents in ``keys`` that ``keys`` leaves out.

    ``keys`` has ``kind``, ``number`` and ``instalment`` of every document just written: an
    invoice written with instalments 1 and 2 loses a stored instalment 3. The caller must have
    checked that no allocation points to the rows deleted. Returns how many rows were deleted.
    """
    schema = {"kind": pl.String(), "number": pl.String(), "instalment": pl.Int64()}
    _stage(connection, "stage_instalment_keys", keys, schema)
    # Without this index the NOT EXISTS below scans the staged keys once per stored document.
    connection.execute(
        text("CREATE INDEX ix_stage_instalment_keys ON stage_instalment_keys (kind, number, instalment)")
    )
    result = connection.execute(
        text(
            "DELETE FROM documents WHERE id IN (SELECT d.id FROM documents d "
            "JOIN (SELECT DISTINCT kind, number FROM stage_instalment_keys) w "
            "ON w.kind = d.kind AND w.number = d.number "
            "WHERE NOT EXISTS (SELECT 1 FROM stage_instalment_keys s WHERE s.kind = d.kind "
            "AND s.number = d.number AND s.instalment = d.instalment))"
        )
    )
    return int(result.rowcount or 0)


def write_allocations(connection: Connection, frame: pl.DataFrame) -> WriteCounts:
    """Insert new allocations and update changed amounts; both documents must already be stored."""
    frame, optional = with_optional_columns(frame, ALLOCATION_INSTALMENT_COLUMNS)
    _stage(connection, "stage_allocations", frame, ALLOCATION_SCHEMA | optional)
    columns = ["source_document_id", "target_document_id", "allocation_date", "amount_minor"]
    select_sql = (
        "SELECT src.id, tgt.id, s.allocation_date, s.amount_minor FROM stage_allocations s "
        "JOIN documents src ON src.kind = s.source_kind AND src.number = s.source_number "
        "AND src.instalment = s.source_instalment "
        "JOIN documents tgt ON tgt.kind = s.target_kind AND tgt.number = s.target_number "
        "AND tgt.instalment = s.target_instalment WHERE true"
    )
    _raise_on_missing(
        connection,
        "SELECT s.source_kind || ' ' || s.source_number || ' -> ' || s.target_kind || ' ' || s.target_number "
        "FROM stage_allocations s "
        "LEFT JOIN documents src ON src.kind = s.source_kind AND src.number = s.source_number "
        "AND src.instalment = s.source_instalment "
        "LEFT JOIN documents tgt ON tgt.kind = s.target_kind AND tgt.number = s.target_number "
        "AND tgt.instalment = s.target_instalment WHERE src.id IS NULL OR tgt.id IS NULL",
        "allocations name documents that are not stored",
    )
    conflict = ["source_document_id", "target_document_id", "allocation_date"]
    return _upsert(connection, "allocations", columns, select_sql, conflict, frame.height)


def write_exchange_rates(connection: Connection, frame: pl.DataFrame) -> WriteCounts:
    """Insert new exchange rates and update changed ones, by currency and date.

    ``rate`` is a decimal string: company-currency units per unit of ``currency``.
    """
    _stage(connection, "stage_exchange_rates", frame, EXCHANGE_RATE_SCHEMA)
    columns = ["currency", "rate_date", "rate"]
    select_sql = (
        "SELECT currency, rate_date, CAST(rate AS NUMERIC(24, 10)) FROM stage_exchange_rates WHERE true"
    )
    return _upsert(connection, "exchange_rates", columns, select_sql, ["currency", "rate_date"], frame.height)
