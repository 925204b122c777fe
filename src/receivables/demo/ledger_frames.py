"""Generated ledgers as the frames the analytics load from a database, without the database.

The benchmark uses them to time the report on sizes too large to import on the machine at hand.
Ids are assigned in row order, as a fresh database would assign them, and each fx rate becomes
the integer of 1e-10 units that ``storage.frames`` reads.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from receivables.analytics import LedgerFrames
from receivables.demo.generator import DemoLedger
from receivables.storage.frames import ALLOCATIONS_SCHEMA, CUSTOMERS_SCHEMA, DOCUMENTS_SCHEMA, FX_SCALE


def _fx_rate_scaled(column: str) -> pl.Expr:
    """Turn a decimal string with at most 10 decimals into an integer of 1e-10 units, exactly."""
    parts = pl.col(column).str.split_exact(".", 1)
    whole = parts.struct.field("field_0").cast(pl.Int64)
    fraction = parts.struct.field("field_1").fill_null("").str.pad_end(10, "0").str.slice(0, 10)
    return whole * FX_SCALE + fraction.cast(pl.Int64)


def ledger_frames(chunks: Iterable[DemoLedger]) -> LedgerFrames:
    """Combine generated chunks into :class:`LedgerFrames` with database-style ids."""
    parts = list(chunks)
    customers = (
        pl.concat([part.customers for part in parts])
        .rename({"code": "customer_code"})
        .with_row_index("customer_id", offset=1)
        .with_columns(pl.col("customer_id").cast(pl.Int64))
    )
    documents = (
        pl.concat([part.documents for part in parts])
        .with_row_index("document_id", offset=1)
        .with_columns(
            pl.col("document_id").cast(pl.Int64), _fx_rate_scaled("fx_rate").alias("fx_rate_scaled")
        )
        .join(customers.select("customer_code", "customer_id"), on="customer_code", how="left")
    )
    keys = documents.select("kind", "number", "instalment", "document_id")
    allocations = (
        pl.concat([part.allocations for part in parts])
        .with_columns(pl.lit(1, pl.Int64).alias("source_instalment"))
        .join(
            keys,
            left_on=["source_kind", "source_number", "source_instalment"],
            right_on=["kind", "number", "instalment"],
            how="left",
        )
        .rename({"document_id": "source_id"})
        .join(
            keys,
            left_on=["target_kind", "target_number", "target_instalment"],
            right_on=["kind", "number", "instalment"],
            how="left",
        )
        .rename({"document_id": "target_id"})
    )
    return LedgerFrames(
        documents.select([pl.col(name).cast(dtype) for name, dtype in DOCUMENTS_SCHEMA.items()]),
        allocations.select([pl.col(name).cast(dtype) for name, dtype in ALLOCATIONS_SCHEMA.items()]),
        customers.select([pl.col(name).cast(dtype) for name, dtype in CUSTOMERS_SCHEMA.items()]),
    )
