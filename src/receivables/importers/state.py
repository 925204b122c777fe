"""The stored part of the ledger that the checks of an import need, read as Polars frames.

Only the stored documents an import touches are read: the sources and targets of its
allocations, the imported documents when allocations are stored, and the documents at the other
end of their stored allocations. The keys go to a temporary table (``COPY`` on PostgreSQL), so
the reads are joins, whatever the size of the ledger. An empty ledger skips every document read.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from sqlalchemy import Connection, text

from receivables.domain.money import is_currency_code
from receivables.storage.frames import FX_SCALE

STORED_DOCUMENT_SCHEMA: dict[str, pl.DataType] = {
    "document_id": pl.Int64(),
    "kind": pl.String(),
    "number": pl.String(),
    "instalment": pl.Int64(),
    "customer_code": pl.String(),
    "currency": pl.String(),
    "document_date": pl.Date(),
    "amount_minor": pl.Int64(),
}
STORED_ALLOCATION_SCHEMA: dict[str, pl.DataType] = {
    "allocation_id": pl.Int64(),
    "source_kind": pl.String(),
    "source_number": pl.String(),
    "source_instalment": pl.Int64(),
    "target_kind": pl.String(),
    "target_number": pl.String(),
    "target_instalment": pl.Int64(),
    "allocation_date": pl.Date(),
    "amount_minor": pl.Int64(),
}
STORED_TERM_SCHEMA: dict[str, pl.DataType] = {"code": pl.String(), "payment_term": pl.String()}
STORED_INVOICE_TERM_SCHEMA: dict[str, pl.DataType] = {
    "kind": pl.String(),
    "number": pl.String(),
    "stored_term": pl.String(),
}
STORED_RATE_SCHEMA: dict[str, pl.DataType] = {
    "currency": pl.String(),
    "rate_date": pl.Date(),
    "rate_scaled": pl.Int64(),
}


@dataclass
class StoredState:
    """The company currency, customer codes, touched documents and allocations, and rates.

    ``customer_terms`` has the ``code`` and ``payment_term`` of every customer with a term;
    ``invoice_terms`` the ``stored_term`` of each stored document the import may schedule again.
    """

    company_currency: str | None
    customer_codes: pl.Series
    documents: pl.DataFrame
    allocations: pl.DataFrame
    rates: pl.DataFrame
    customer_terms: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=STORED_TERM_SCHEMA))
    invoice_terms: pl.DataFrame = field(
        default_factory=lambda: pl.DataFrame(schema=STORED_INVOICE_TERM_SCHEMA)
    )


def _driver_connection(connection: Connection) -> Any:
    """Return the DB-API connection (psycopg or sqlite3) under ``connection``, in its transaction."""
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


def _exists(connection: Connection, table: str) -> bool:
    return connection.execute(text(f"SELECT 1 FROM {table} LIMIT 1")).scalar() is not None


def _temporary_table(connection: Connection, name: str, select_sql: str) -> None:
    connection.execute(text(f"DROP TABLE IF EXISTS {name}"))
    connection.execute(text(f"CREATE TEMPORARY TABLE {name} AS {select_sql}"))
    # Fresh statistics let PostgreSQL pick hash joins for the reads below.
    connection.execute(text(f"ANALYZE {name}"))


def load_state(
    connection: Connection,
    document_keys: pl.DataFrame,
    allocation_keys: pl.DataFrame,
    currencies: list[str],
    term_keys: pl.DataFrame | None = None,
) -> StoredState:
    """Read the stored state the checks of one import need.

    The state has the company currency, every customer code and the rates of ``currencies``. It
    also has the stored allocations of the imported documents (``document_keys``) and of the
    ends of the imported allocations (``allocation_keys``). Of the stored documents it has those
    ends and the documents of those allocations. Imported documents without stored allocations
    are not read, because the import replaces them. Both key frames have ``kind`` and ``number``.

    ``term_keys`` (``kind``, ``number``) are the imported invoices that a payment term will
    schedule: the term they are stored with is read, so that importing them again keeps it.
    """
    company = connection.execute(
        text("SELECT value FROM company_settings WHERE key = 'company_currency'")
    ).scalar()
    codes = query_frame(connection, "SELECT code FROM customers", {"code": pl.String()}).get_column("code")
    terms = query_frame(
        connection,
        "SELECT code, payment_term FROM customers WHERE payment_term IS NOT NULL",
        STORED_TERM_SCHEMA,
    )
    rates = _stored_rates(connection, currencies)
    no_documents = pl.DataFrame(schema=STORED_DOCUMENT_SCHEMA)
    no_allocations = pl.DataFrame(schema=STORED_ALLOCATION_SCHEMA)
    if not _exists(connection, "documents"):
        return StoredState(company, codes, no_documents, no_allocations, rates, terms)
    invoice_terms = _invoice_terms(connection, term_keys)
    ends = allocation_keys.select("kind", "number").unique()
    imported = document_keys.select("kind", "number").unique().join(ends, on=["kind", "number"], how="anti")
    keys = pl.concat(
        [ends.with_columns(pl.lit("y").alias("is_end")), imported.with_columns(pl.lit("n").alias("is_end"))],
        how="vertical",
    )
    if not _exists(connection, "allocations"):
        # Without stored allocations, imported documents need nothing from the database.
        keys = keys.filter(pl.col("is_end") == "y")
    if keys.is_empty():
        return StoredState(company, codes, no_documents, no_allocations, rates, terms, invoice_terms)
    documents, allocations = _touched(connection, keys)
    return StoredState(company, codes, documents, allocations, rates, terms, invoice_terms)


def _invoice_terms(connection: Connection, keys: pl.DataFrame | None) -> pl.DataFrame:
    """Read the stored payment term of the documents with ``keys`` (those stored with one)."""
    if keys is None or keys.is_empty():
        return pl.DataFrame(schema=STORED_INVOICE_TERM_SCHEMA)
    stage_keys(connection, "import_term_keys", keys.select("kind", "number").unique())
    return query_frame(
        connection,
        "SELECT DISTINCT d.kind, d.number, d.payment_term FROM documents d "
        "JOIN import_term_keys k ON d.kind = k.kind AND d.number = k.number "
        "WHERE d.payment_term IS NOT NULL AND d.instalment = 1",
        STORED_INVOICE_TERM_SCHEMA,
    )


def _touched(connection: Connection, keys: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Read the stored allocations of the documents with ``keys`` and the documents they need.

    The documents read are the ends of imported allocations (``is_end = 'y'``) and both ends of
    every stored allocation read. The SQL uses joins and unions, not ``IN (subquery) OR IN
    (subquery)``, because PostgreSQL cannot hash such a subquery once it outgrows ``work_mem`` and
    then scans it once per row.
    """
    stage_keys(connection, "import_keys", keys)
    connection.execute(text("ANALYZE import_keys"))
    _temporary_table(
        connection,
        "import_document_ids",
        "SELECT d.id, k.is_end FROM documents d "
        "JOIN import_keys k ON d.kind = k.kind AND d.number = k.number",
    )
    columns = "a.id, a.source_document_id, a.target_document_id, a.allocation_date, a.amount_minor"
    _temporary_table(
        connection,
        "import_allocations",
        f"SELECT {columns} FROM allocations a "
        "JOIN import_document_ids i ON a.source_document_id = i.id "
        f"UNION SELECT {columns} FROM allocations a "
        "JOIN import_document_ids i ON a.target_document_id = i.id",
    )
    allocations = query_frame(
        connection,
        "SELECT a.id, s.kind, s.number, s.instalment, t.kind, t.number, t.instalment, "
        "a.allocation_date, a.amount_minor "
        "FROM import_allocations a JOIN documents s ON s.id = a.source_document_id "
        "JOIN documents t ON t.id = a.target_document_id",
        STORED_ALLOCATION_SCHEMA,
    )
    documents = query_frame(
        connection,
        "SELECT d.id, d.kind, d.number, d.instalment, c.code, d.currency, d.document_date, "
        "d.amount_minor "
        "FROM documents d JOIN customers c ON c.id = d.customer_id JOIN ("
        "SELECT id FROM import_document_ids WHERE is_end = 'y' "
        "UNION SELECT source_document_id FROM import_allocations "
        "UNION SELECT target_document_id FROM import_allocations) wanted ON wanted.id = d.id",
        STORED_DOCUMENT_SCHEMA,
    )
    return documents, allocations


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
