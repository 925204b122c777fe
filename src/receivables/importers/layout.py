"""The generic import layout: record types, their fields, required fields and column limits.

A file contains one record type. Its columns are named by the fields below; a mapping profile can
rename a foreign export's columns onto them. The lengths are those of the ledger tables, so a value
that passes here also fits the database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class RecordType(StrEnum):
    CUSTOMERS = "customers"
    DOCUMENTS = "documents"
    ALLOCATIONS = "allocations"
    EXCHANGE_RATES = "exchange_rates"


# Written in this order inside the one transaction, so every reference points to a stored row.
WRITE_ORDER = (
    RecordType.EXCHANGE_RATES,
    RecordType.CUSTOMERS,
    RecordType.DOCUMENTS,
    RecordType.ALLOCATIONS,
)


@dataclass(frozen=True)
class RecordLayout:
    """The columns of one record type in the generic layout."""

    record_type: RecordType
    fields: tuple[str, ...]
    required: tuple[str, ...]


LAYOUTS: dict[RecordType, RecordLayout] = {
    RecordType.CUSTOMERS: RecordLayout(
        RecordType.CUSTOMERS,
        ("customer_code", "name", "country", "currency", "industry", "segment", "payment_term"),
        ("customer_code", "name"),
    ),
    RecordType.DOCUMENTS: RecordLayout(
        RecordType.DOCUMENTS,
        (
            "kind",
            "number",
            "customer_code",
            "document_date",
            "due_date",
            "currency",
            "amount",
            "tax_amount",
            "fx_rate",
            "disputed",
            "reference",
            "instalment",
            "payment_term",
        ),
        ("kind", "number", "customer_code", "document_date", "currency", "amount"),
    ),
    RecordType.ALLOCATIONS: RecordLayout(
        RecordType.ALLOCATIONS,
        (
            "source_kind",
            "source_number",
            "target_kind",
            "target_number",
            "allocation_date",
            "amount",
            "currency",
            "source_instalment",
            "target_instalment",
        ),
        (
            "source_kind",
            "source_number",
            "target_kind",
            "target_number",
            "allocation_date",
            "amount",
            "currency",
        ),
    ),
    RecordType.EXCHANGE_RATES: RecordLayout(
        RecordType.EXCHANGE_RATES,
        ("currency", "rate_date", "rate"),
        ("currency", "rate_date", "rate"),
    ),
}

# Fields a profile may add to a documents file: the customer of each row (when the profile sets
# ``customers_from_rows``) and a sign code that flips the amount.
ROW_CUSTOMER_FIELDS = (
    "customer_name",
    "customer_country",
    "customer_currency",
    "customer_industry",
    "customer_segment",
)
SIGN_FIELD = "sign"
DOCUMENT_EXTRA_FIELDS = (*ROW_CUSTOMER_FIELDS, SIGN_FIELD)

# Fields filled from a profile's ``[settlement]`` table, never read from a column of their own.
SETTLEMENT_FIELDS = ("settlement_date", "settlement_amount", "settlement_number")

# Maximum lengths of text columns, as declared in storage/models.py.
MAX_LENGTHS = {
    "customer_code": 64,
    "name": 200,
    "customer_name": 200,
    "industry": 100,
    "customer_industry": 100,
    "segment": 100,
    "customer_segment": 100,
    "number": 64,
    "source_number": 64,
    "target_number": 64,
    "settlement_number": 64,
    "reference": 140,
    "payment_term": 200,
}


def fields_of(record_type: RecordType) -> tuple[str, ...]:
    """Return every field a file of ``record_type`` may map, the generic ones first."""
    layout = LAYOUTS[record_type]
    if record_type is RecordType.DOCUMENTS:
        return (*layout.fields, *DOCUMENT_EXTRA_FIELDS)
    return layout.fields


def all_fields() -> frozenset[str]:
    """Return every field name a profile may refer to, over all record types."""
    names: set[str] = set(DOCUMENT_EXTRA_FIELDS)
    for layout in LAYOUTS.values():
        names.update(layout.fields)
    return frozenset(names)


def detect_record_type(columns: Iterable[str]) -> RecordType | None:
    """Tell the record type from the fields a file provides, or ``None`` if they fit none.

    The most specific columns decide: allocation keys first, then document columns, then rates,
    then customers (a documents file also has ``customer_code``).
    """
    present = {column.strip().lower() for column in columns}
    if present & {"source_kind", "source_number", "target_kind", "target_number"}:
        return RecordType.ALLOCATIONS
    if present & {"kind", "document_date", "due_date", "tax_amount"}:
        return RecordType.DOCUMENTS
    if present & {"rate_date", "rate"}:
        return RecordType.EXCHANGE_RATES
    if {"customer_code", "name"} <= present:
        return RecordType.CUSTOMERS
    return None
