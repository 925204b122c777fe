"""Import of open orders and of deliveries not yet invoiced.

Columns: ``customer_code, order_number, stage, order_date, currency, amount, fx_rate``. ``stage``
is ``open`` (ordered, not delivered; the default) or ``delivered`` (delivered, not yet invoiced).
``amount`` is the positive amount still open at that stage, in major units of ``currency``.
``fx_rate`` (company-currency units per unit of ``currency``) is optional: without it the check
converts at the latest stored exchange rate on or before its as-of date.

An orders file is the complete list of its stages at export time: importing it replaces the
stored orders of each stage it contains, so an order delivered or invoiced since the last export
disappears. An order whose row has a problem keeps its stored line until a good row replaces it.
"""

from __future__ import annotations

import polars as pl
from sqlalchemy import Connection, delete, select

from receivables.credit.reading import (
    FileReport,
    amount_minor,
    amount_problem,
    blank,
    collect_problems,
    currency_check,
    minor_unit_column,
    parse_date,
    require_columns,
    without_problem_rows,
)
from receivables.credit.writing import BATCH_ROWS, customer_ids, upsert
from receivables.importers.problems import Check
from receivables.storage.credit_models import CustomerOrderRow

REQUIRED = ("customer_code", "order_number", "order_date", "currency", "amount")
OPTIONAL = ("stage", "fx_rate")
STAGES = ("open", "delivered")
FX_PATTERN = r"^[0-9]{1,14}(\.[0-9]{1,10})?$"


def _parsed(frame: pl.DataFrame, ids: dict[str, int]) -> pl.DataFrame:
    stage = (
        pl.when(blank("stage")).then(pl.lit("open")).otherwise(pl.col("stage").str.to_lowercase())
    )
    return frame.with_columns(minor_unit_column(frame).alias("_minor_unit")).with_columns(
        pl.col("customer_code")
        .replace_strict(ids, default=None, return_dtype=pl.Int64)
        .alias("_customer_id"),
        stage.alias("_stage"),
        parse_date("order_date").alias("_date"),
        amount_minor("amount", pl.col("_minor_unit")).alias("_amount"),
    )


def _checks() -> list[Check]:
    unit = pl.col("_minor_unit")
    fx = pl.col("fx_rate")
    return [
        Check("customer_code", blank("customer_code"), "is missing"),
        Check(
            "customer_code",
            ~blank("customer_code") & pl.col("_customer_id").is_null(),
            "is not a known customer; import the customer first",
        ),
        Check("order_number", blank("order_number"), "is missing"),
        Check(
            "order_number",
            pl.col("order_number").str.len_chars() > 64,
            "is longer than 64 characters",
        ),
        Check("stage", ~pl.col("_stage").is_in(STAGES), "must be open or delivered"),
        Check("order_date", pl.col("_date").is_null(), "is not a date YYYY-MM-DD"),
        currency_check(),
        Check(
            "amount",
            unit.is_not_null() & amount_problem("amount", unit).is_not_null(),
            amount_problem("amount", unit),
        ),
        Check("amount", pl.col("_amount") <= 0, "must be positive"),
        Check(
            "fx_rate",
            ~blank("fx_rate") & (~fx.str.contains(FX_PATTERN) | ~fx.str.contains("[1-9]")),
            "is not a positive rate with at most 10 decimals",
        ),
        Check(
            "order_number",
            pl.struct("order_number", "_stage").is_duplicated(),
            "appears twice with this stage in the file",
        ),
    ]


def _remove_missing(connection: Connection, parsed: pl.DataFrame) -> int:
    """Delete stored orders of the file's stages whose numbers the file no longer lists."""
    stages = [stage for stage in parsed["_stage"].unique().to_list() if stage in STAGES]
    listed = set(zip(parsed["order_number"].to_list(), parsed["_stage"].to_list(), strict=True))
    stored = connection.execute(
        select(CustomerOrderRow.id, CustomerOrderRow.order_number, CustomerOrderRow.stage).where(
            CustomerOrderRow.stage.in_(stages)
        )
    )
    gone = [row.id for row in stored if (row.order_number, row.stage) not in listed]
    for start in range(0, len(gone), BATCH_ROWS):
        chunk = gone[start : start + BATCH_ROWS]
        connection.execute(delete(CustomerOrderRow).where(CustomerOrderRow.id.in_(chunk)))
    return len(gone)


def import_orders(connection: Connection, frame: pl.DataFrame, report: FileReport) -> None:
    """Replace the stored orders of the file's stages by its valid rows; fill in ``report``."""
    frame = require_columns(frame, report.file, REQUIRED, OPTIONAL)
    parsed = _parsed(frame, customer_ids(connection, frame["customer_code"].drop_nulls().to_list()))
    report.rows_read = parsed.height
    report.problems = collect_problems(parsed, _checks(), report.file)
    _remove_missing(connection, parsed)
    valid = without_problem_rows(parsed, report.problems)
    rows = valid.select(
        pl.col("_customer_id").alias("customer_id"),
        "order_number",
        pl.col("_stage").alias("stage"),
        pl.col("_date").alias("order_date"),
        pl.col("currency").str.to_uppercase().alias("currency"),
        pl.col("_amount").alias("amount_minor"),
        pl.when(blank("fx_rate"))
        .then(None)
        .otherwise(pl.col("fx_rate"))
        .cast(pl.Decimal(24, 10))
        .alias("fx_rate"),
    ).to_dicts()
    report.rows_written = upsert(connection, CustomerOrderRow, rows, ("order_number", "stage"))
