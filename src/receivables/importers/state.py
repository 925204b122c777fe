"""What the database already holds that the checks of an import need, read as Polars frames.

Only the stored documents an import touches are read: those with the kind and number of an
imported document or of an allocation's source or target, plus the documents those have stored
allocations with. The keys of interest go to a temporary table (``COPY`` on PostgreSQL), so the
reads are joins, whatever the size of the ledger. An empty ledger skips every document read.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import polars as pl
from sqlalchemy import Connection, text

from receivables.domain.money import is_currency_code
from receivables.storage.frames import FX_SCALE

STORED_DOCUMENT_SCHEMA: dict[str, pl.DataType] = {
    "document_id": pl.Int64(),
    "kind": pl.String(),
    "number": pl.String(),
    "customer_code": pl.String(),
    "currency": pl.String(),
    "document_date": pl.Date(),
    "amount_minor": pl.Int64(),
}
STORED_ALLOCATION_SCHEMA: dict[str, pl.DataType] = {
    "allocation_id": pl.Int64(),
    "source_id": pl.Int64(),
    "target_id": pl.Int64(),
    "allocation_date": pl.Date(),
    "amount_minor": pl.Int64(),
}
STORED_RATE_SCHEMA: dict[str, pl.DataType] = {
    "currency": pl.String(),
    "rate_date": pl.Date(),
    "rate_scaled": pl.Int64(),
}


@dataclass
class StoredState:
    """The company currency, customer codes, touched documents and allocations, and rates."""

    company_currency: str | None
    customer_codes: pl.Series
    documents: pl.DataFrame
    allocations: pl.DataFrame
    rates: pl.DataFrame


def _driver_connection(connection: Connection) -> Any:
    """The DB-API connection under ``connection`` (psycopg or sqlite3), inside its transaction."""
    raw = connection.connection.driver_connection
    assert raw is not None, "the connection is closed"
    return raw


def query_frame(connection: Connection, sql: str, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """Run ``sql`` on the caller's connection (its temporary tables included) into a frame."""
    raw = _driver_connection(connection)
    if connection.dialect.name == "postgresql":
        buffer = io.BytesIO()
        with raw.cursor() as cursor, cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)") as copy:
            for chunk in copy:
                buffer.write(chunk)
        if buffer.getbuffer().nbytes == 0:
            return pl.DataFrame(schema=schema)
        buffer.seek(0)
        return pl.read_csv(buffer, has_header=False, new_columns=list(schema), schema=schema)
    cursor = raw.cursor()
    try:
        cursor.execute(sql)
        rows = cursor.fetchall()
    finally:
        cursor.close()
    text_schema = {name: (pl.String() if dtype == pl.Date() else dtype) for name, dtype in schema.items()}
    frame = pl.DataFrame(rows, schema=text_schema, orient="row")
    return frame.with_columns(
        [pl.col(name).str.to_date("%Y-%m-%d") for name, dtype in schema.items() if dtype == pl.Date()]
    )


def stage_keys(connection: Connection, name: str, frame: pl.DataFrame) -> None:
    """Fill the temporary table ``name`` with the text columns of ``frame``."""
    columns = ", ".join(f"{column} VARCHAR(200)" for column in frame.columns)
    connection.execute(text(f"DROP TABLE IF EXISTS {name}"))
    connection.execute(text(f"CREATE TEMPORARY TABLE {name} ({columns})"))
    if frame.is_empty():
        return
    raw = _driver_connection(connection)
    if connection.dialect.name == "postgresql":
        buffer = io.BytesIO()
        frame.write_csv(buffer, include_header=False, null_value="\\N")
        with (
            raw.cursor() as cursor,
            cursor.copy(
                f"COPY {name} ({', '.join(frame.columns)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
            ) as copy,
        ):
            copy.write(buffer.getvalue())
        return
    cursor = raw.cursor()
    try:
        placeholders = ", ".join("?" for _ in frame.columns)
        cursor.executemany(f"INSERT INTO {name} VALUES ({placeholders})", frame.iter_rows())
    finally:
        cursor.close()


def load_state(connection: Connection, keys: pl.DataFrame, currencies: list[str]) -> StoredState:
    """Read what the checks need for documents with ``keys`` (kind, number) and rates of ``currencies``."""
    company = connection.execute(
        text("SELECT value FROM company_settings WHERE key = 'company_currency'")
    ).scalar()
    codes = query_frame(connection, "SELECT code FROM customers", {"code": pl.String()}).get_column("code")
    rates = _stored_rates(connection, currencies)
    has_documents = connection.execute(text("SELECT 1 FROM documents LIMIT 1")).scalar() is not None
    if not has_documents or keys.is_empty():
        return StoredState(
            company,
            codes,
            pl.DataFrame(schema=STORED_DOCUMENT_SCHEMA),
            pl.DataFrame(schema=STORED_ALLOCATION_SCHEMA),
            rates,
        )
    stage_keys(connection, "import_keys", keys.select("kind", "number").unique())
    connection.execute(text("DROP TABLE IF EXISTS import_document_ids"))
    connection.execute(
        text(
            "CREATE TEMPORARY TABLE import_document_ids AS SELECT d.id FROM documents d "
            "JOIN import_keys k ON d.kind = k.kind AND d.number = k.number"
        )
    )
    allocations = query_frame(
        connection,
        "SELECT a.id, a.source_document_id, a.target_document_id, a.allocation_date, a.amount_minor "
        "FROM allocations a WHERE a.source_document_id IN (SELECT id FROM import_document_ids) "
        "OR a.target_document_id IN (SELECT id FROM import_document_ids)",
        STORED_ALLOCATION_SCHEMA,
    )
    documents = query_frame(
        connection,
        "SELECT d.id, d.kind, d.number, c.code, d.currency, d.document_date, d.amount_minor "
        "FROM documents d JOIN customers c ON c.id = d.customer_id WHERE d.id IN ("
        "SELECT id FROM import_document_ids "
        "UNION SELECT a.source_document_id FROM allocations a "
        "JOIN import_document_ids i ON a.target_document_id = i.id "
        "UNION SELECT a.target_document_id FROM allocations a "
        "JOIN import_document_ids i ON a.source_document_id = i.id)",
        STORED_DOCUMENT_SCHEMA,
    )
    return StoredState(company, codes, documents, allocations, rates)


def _stored_rates(connection: Connection, currencies: list[str]) -> pl.DataFrame:
    wanted = [code for code in currencies if is_currency_code(code)]  # checked codes only: they go into SQL
    if not wanted:
        return pl.DataFrame(schema=STORED_RATE_SCHEMA)
    listed = ", ".join(f"'{code}'" for code in wanted)
    return query_frame(
        connection,
        f"SELECT currency, rate_date, CAST(ROUND(rate * {FX_SCALE}) AS BIGINT) FROM exchange_rates "
        f"WHERE currency IN ({listed})",
        STORED_RATE_SCHEMA,
    )
