"""Loads of the whole ledger into Polars frames, for the batch analytics.

PostgreSQL streams each query with ``COPY ... TO STDOUT`` into Polars' CSV reader; SQLite reads
through its cursor. Both return the same columns and types.
"""

from __future__ import annotations

import io
from collections.abc import Mapping

import polars as pl
from sqlalchemy import Engine

# Column name to Polars type, as a class (pl.Int64) or an instance (pl.Datetime("us")).
Schema = Mapping[str, pl.DataType | type[pl.DataType]]

# fx_rate as an integer of 1e-10 units, so conversions stay in exact integer arithmetic.
FX_SCALE = 10_000_000_000

DOCUMENTS_SQL = (
    "SELECT d.id AS document_id, d.customer_id, c.code AS customer_code, d.kind, d.number, "
    "d.document_date, d.due_date, d.currency, d.amount_minor, d.tax_minor, "
    f"CAST(ROUND(d.fx_rate * {FX_SCALE}) AS BIGINT) AS fx_rate_scaled, d.disputed "
    "FROM documents d JOIN customers c ON c.id = d.customer_id"
)
DOCUMENTS_SCHEMA = {
    "document_id": pl.Int64, "customer_id": pl.Int64, "customer_code": pl.String, "kind": pl.String,
    "number": pl.String, "document_date": pl.Date, "due_date": pl.Date, "currency": pl.String,
    "amount_minor": pl.Int64, "tax_minor": pl.Int64, "fx_rate_scaled": pl.Int64, "disputed": pl.Boolean,
}  # fmt: skip

ALLOCATIONS_SQL = (
    "SELECT source_document_id AS source_id, target_document_id AS target_id, allocation_date, amount_minor "
    "FROM allocations"
)
ALLOCATIONS_SCHEMA = {
    "source_id": pl.Int64, "target_id": pl.Int64, "allocation_date": pl.Date, "amount_minor": pl.Int64,
}  # fmt: skip

# Instalments and terms, for the few documents that have them: every other document is
# instalment 1 without a term.
DOCUMENT_TERMS_SQL = (
    "SELECT id AS document_id, instalment, payment_term, discount_offers FROM documents "
    "WHERE instalment <> 1 OR payment_term IS NOT NULL OR discount_offers IS NOT NULL"
)
DOCUMENT_TERMS_SCHEMA: dict[str, pl.DataType] = {
    "document_id": pl.Int64(), "instalment": pl.Int64(), "payment_term": pl.String(),
    "discount_offers": pl.String(),
}  # fmt: skip

# The frozen discount offers of the instalments that have any, for the report's discount figures.
DISCOUNT_OFFERS_SQL = (
    "SELECT id AS document_id, discount_offers FROM documents WHERE discount_offers IS NOT NULL"
)
DISCOUNT_OFFERS_SCHEMA: dict[str, pl.DataType] = {
    "document_id": pl.Int64(),
    "discount_offers": pl.String(),
}

CUSTOMERS_SQL = (
    "SELECT id AS customer_id, code AS customer_code, name, country, currency, industry, segment "
    "FROM customers"
)
CUSTOMERS_SCHEMA = {
    "customer_id": pl.Int64, "customer_code": pl.String, "name": pl.String, "country": pl.String,
    "currency": pl.String, "industry": pl.String, "segment": pl.String,
}  # fmt: skip


def read_frame(engine: Engine, sql: str, schema: Schema) -> pl.DataFrame:
    """Run ``sql`` and return its rows as a frame with ``schema``."""
    if engine.dialect.name == "postgresql":
        return _copy_out(engine, sql, schema)
    with engine.connect() as connection:
        raw = connection.connection.driver_connection
        cursor = raw.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(sql)
            rows = cursor.fetchall()
        finally:
            cursor.close()
    frame = pl.DataFrame(
        rows,
        schema=[(name, pl.String if dtype == pl.Date else dtype) for name, dtype in schema.items()],
        orient="row",
    )
    dates = [name for name, dtype in schema.items() if dtype == pl.Date]
    return frame.with_columns([pl.col(name).str.to_date("%Y-%m-%d") for name in dates])


def _copy_out(engine: Engine, sql: str, schema: Schema) -> pl.DataFrame:
    buffer = io.BytesIO()
    with engine.connect() as connection:
        raw = connection.connection.driver_connection
        assert raw is not None, "a pooled connection always has its driver connection"
        with (
            raw.cursor() as cursor,
            cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)") as copy,
        ):
            for chunk in copy:
                buffer.write(chunk)
    buffer.seek(0)
    if buffer.getbuffer().nbytes == 0:
        return pl.DataFrame(schema=schema)
    booleans = [name for name, dtype in schema.items() if dtype == pl.Boolean]
    read_schema = {name: (pl.String if dtype == pl.Boolean else dtype) for name, dtype in schema.items()}
    frame = pl.read_csv(buffer, has_header=False, new_columns=list(schema), schema=read_schema)
    return frame.with_columns([(pl.col(name) == "t").alias(name) for name in booleans])


def load_documents(engine: Engine) -> pl.DataFrame:
    return read_frame(engine, DOCUMENTS_SQL, DOCUMENTS_SCHEMA)


def load_allocations(engine: Engine) -> pl.DataFrame:
    return read_frame(engine, ALLOCATIONS_SQL, ALLOCATIONS_SCHEMA)


def load_customers(engine: Engine) -> pl.DataFrame:
    return read_frame(engine, CUSTOMERS_SQL, CUSTOMERS_SCHEMA)


def load_document_terms(engine: Engine) -> pl.DataFrame:
    """Return instalment, payment term and discount offers of the documents that have any."""
    return read_frame(engine, DOCUMENT_TERMS_SQL, DOCUMENT_TERMS_SCHEMA)


def load_discount_offers(engine: Engine) -> pl.DataFrame:
    """Return document_id and the JSON discount offers of every instalment that has offers."""
    return read_frame(engine, DISCOUNT_OFFERS_SQL, DISCOUNT_OFFERS_SCHEMA)
