"""Typed records of customers, allocations and exchange rates from a mapped frame of text.

Each builder parses every column at once, runs its checks, and returns the typed frame (one row
per file row, bad rows included) with the problems found. Rules that need other rows, other files
or the database run later, in :mod:`receivables.importers.ledger_checks`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from receivables.importers.fields import (
    country_check,
    currency_check,
    currency_units,
    date_check,
    date_column,
    ensure_fields,
    keep_original,
    kind_check,
    length_checks,
    normalized_kind,
    raw,
    required_checks,
    unit_of,
)
from receivables.importers.formats import (
    decimal_text,
    minor_units,
    number_problem,
    rate_problem,
    with_number_parts,
)
from receivables.importers.layout import LAYOUTS, RecordType
from receivables.importers.problems import Check, empty_problems, run_checks
from receivables.importers.profiles import Profile
from receivables.importers.term_fields import instalment_check, instalment_column, with_canonical_term

ROW_SCHEMA: dict[str, pl.DataType] = {"_file": pl.Int32(), "_row": pl.Int64()}
CUSTOMER_SCHEMA: dict[str, pl.DataType] = {
    **ROW_SCHEMA,
    **dict.fromkeys(
        ["code", "name", "country", "currency", "industry", "segment", "payment_term"], pl.String()
    ),
}
DOCUMENT_SCHEMA: dict[str, pl.DataType] = {
    **ROW_SCHEMA, "_order": pl.Int32(), "customer_code": pl.String(), "kind": pl.String(),
    "number": pl.String(), "document_date": pl.Date(), "due_date": pl.Date(), "currency": pl.String(),
    "amount_minor": pl.Int64(), "tax_minor": pl.Int64(), "fx_rate": pl.String(),
    "disputed": pl.Boolean(), "reference": pl.String(), "instalment": pl.Int64(),
    "payment_term": pl.String(), "discount_offers": pl.String(), "_one_instalment": pl.Boolean(),
}  # fmt: skip
# ``_one_instalment``: the row named its instalment, so it replaces only that one of the stored
# instalments of its number; any other row describes the whole document and replaces them all.
ALLOCATION_SCHEMA: dict[str, pl.DataType] = {
    **ROW_SCHEMA, "_order": pl.Int32(), "source_kind": pl.String(), "source_number": pl.String(),
    "target_kind": pl.String(), "target_number": pl.String(), "allocation_date": pl.Date(),
    "amount_minor": pl.Int64(), "currency": pl.String(), "_raw_allocation_date": pl.String(),
    "_raw_allocation_amount": pl.String(), "source_instalment": pl.Int64(),
    "target_instalment": pl.Int64(),
}  # fmt: skip
RATE_SCHEMA: dict[str, pl.DataType] = {
    **ROW_SCHEMA, "currency": pl.String(), "rate_date": pl.Date(), "rate": pl.String(),
}  # fmt: skip
CUSTOMER_COLUMNS = list(CUSTOMER_SCHEMA)
ALLOCATION_COLUMNS = list(ALLOCATION_SCHEMA)


@dataclass
class FileRecords:
    """The typed records one file yields, with the problems found in its rows."""

    customers: pl.DataFrame | None = None
    documents: pl.DataFrame | None = None
    allocations: pl.DataFrame | None = None
    rates: pl.DataFrame | None = None
    row_customers: pl.DataFrame | None = None
    problems: pl.DataFrame = field(default_factory=empty_problems)


def with_amount(frame: pl.DataFrame, field_name: str, unit: pl.Expr, profile: Profile) -> pl.DataFrame:
    """Add ``_parts_<field>`` and ``_minor_<field>`` (signed minor units, null when invalid)."""
    frame = with_number_parts(frame, field_name, profile.decimal_separator, profile.thousands_separator)
    return frame.with_columns(minor_units(f"_parts_{field_name}", unit).alias(f"_minor_{field_name}"))


def amount_check(frame: pl.DataFrame, field_name: str, unit: pl.Expr, currency: pl.Expr) -> Check:
    """Flag a present cell that does not parse as an amount of its (known) currency."""
    problem = number_problem(f"_parts_{field_name}", unit, currency)
    return Check(
        field_name,
        pl.col(field_name).is_not_null() & unit.is_not_null() & problem.is_not_null(),
        problem,
        raw(frame, field_name),
    )


def customer_records(frame: pl.DataFrame) -> FileRecords:
    frame = keep_original(ensure_fields(frame, LAYOUTS[RecordType.CUSTOMERS].fields), ["country", "currency"])
    frame = frame.with_columns(pl.col("country").str.to_uppercase(), pl.col("currency").str.to_uppercase())
    units = currency_units(frame, "currency")
    frame, term_check = with_canonical_term(frame, "payment_term")
    checks = [
        *required_checks(LAYOUTS[RecordType.CUSTOMERS].required),
        *length_checks(frame, ["customer_code", "name", "industry", "segment"]),
        country_check(frame, "country"),
        currency_check(frame, "currency", units),
        term_check,
    ]
    problems = run_checks(frame, checks)
    typed = frame.rename({"customer_code": "code"}).select(CUSTOMER_COLUMNS)
    return FileRecords(customers=typed, problems=problems)


def rate_records(frame: pl.DataFrame, profile: Profile) -> FileRecords:
    frame = keep_original(ensure_fields(frame, LAYOUTS[RecordType.EXCHANGE_RATES].fields), ["currency"])
    frame = frame.with_columns(
        pl.col("currency").str.to_uppercase(), date_column("rate_date", profile.date_format)
    )
    frame = with_number_parts(frame, "rate", profile.decimal_separator, profile.thousands_separator)
    units = currency_units(frame, "currency")
    checks = [
        *required_checks(LAYOUTS[RecordType.EXCHANGE_RATES].required),
        currency_check(frame, "currency", units),
        date_check(frame, "rate_date", profile.date_format),
        Check(
            "rate",
            pl.col("rate").is_not_null() & rate_problem("_parts_rate").is_not_null(),
            rate_problem("_parts_rate"),
            raw(frame, "rate"),
        ),
    ]
    problems = run_checks(frame, checks)
    typed = frame.select(
        "_file",
        "_row",
        "currency",
        pl.col("_date_rate_date").alias("rate_date"),
        decimal_text("_parts_rate").alias("rate"),
    )
    return FileRecords(rates=typed, problems=problems)


def allocation_records(frame: pl.DataFrame, profile: Profile) -> FileRecords:
    layout = LAYOUTS[RecordType.ALLOCATIONS]
    frame = keep_original(ensure_fields(frame, layout.fields), ["source_kind", "target_kind", "currency"])
    frame = frame.with_columns(
        normalized_kind("source_kind"),
        normalized_kind("target_kind"),
        pl.col("currency").str.to_uppercase(),
        date_column("allocation_date", profile.date_format),
        instalment_column("source_instalment"),
        instalment_column("target_instalment"),
    )
    units = currency_units(frame, "currency")
    unit = unit_of("currency", units)
    frame = with_amount(frame, "amount", unit, profile)
    checks = [
        *required_checks(layout.required),
        kind_check(frame, "source_kind"),
        kind_check(frame, "target_kind"),
        *length_checks(frame, ["source_number", "target_number"]),
        date_check(frame, "allocation_date", profile.date_format),
        currency_check(frame, "currency", units),
        amount_check(frame, "amount", unit, pl.col("currency")),
        Check("amount", pl.col("_minor_amount") <= 0, "must be positive", raw(frame, "amount")),
        instalment_check(frame, "source_instalment"),
        instalment_check(frame, "target_instalment"),
    ]
    problems = run_checks(frame, checks)
    typed = frame.select(
        "_file",
        "_row",
        pl.lit(0, pl.Int32).alias("_order"),
        "source_kind",
        "source_number",
        "target_kind",
        "target_number",
        pl.col("_date_allocation_date").alias("allocation_date"),
        pl.col("_minor_amount").alias("amount_minor"),
        "currency",
        raw(frame, "allocation_date").alias("_raw_allocation_date"),
        raw(frame, "amount").alias("_raw_allocation_amount"),
        pl.col("_int_source_instalment").fill_null(1).alias("source_instalment"),
        pl.col("_int_target_instalment").fill_null(1).alias("target_instalment"),
    )
    return FileRecords(allocations=typed, problems=problems)
