"""Loads of the matching inputs from the database, as the frames the engine expects.

Open amounts count every allocation whatever its date, the rule :class:`Ledger.allocate` keeps,
so a match never spends what a later-dated allocation already took. Only items issued on or
before the as-of date and transactions booked on or before it take part.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
from sqlalchemy import Engine

from receivables.banking.rules.engine import MatchInputs
from receivables.storage.frames import read_frame

LINES_SQL = (
    "SELECT id, booking_date, amount_minor, currency, counterparty_name, counterparty_iban, "
    "remittance_text, structured_reference, end_to_end_id FROM bank_transactions "
    "WHERE status IN ('unmatched', 'suggested') AND amount_minor > 0 AND booking_date <= '{as_of}'"
)
LINES_SCHEMA: dict[str, Any] = {
    "transaction_id": pl.Int64,
    "booking_date": pl.Date,
    "amount_minor": pl.Int64,
    "currency": pl.String,
    "counterparty_name": pl.String,
    "counterparty_iban": pl.String,
    "remittance_text": pl.String,
    "structured_reference": pl.String,
    "end_to_end_id": pl.String,
}
ITEMS_SQL = (
    "SELECT d.id, d.customer_id, d.number, d.document_date, d.due_date, d.currency, "
    "d.amount_minor - COALESCE(a.allocated, 0) AS open_minor FROM documents d "
    "LEFT JOIN (SELECT target_document_id, SUM(amount_minor) AS allocated FROM allocations "
    "GROUP BY target_document_id) a ON a.target_document_id = d.id "
    "WHERE d.kind IN ('invoice', 'debit_note') AND d.document_date <= '{as_of}' "
    "AND d.amount_minor - COALESCE(a.allocated, 0) > 0"
)
ITEMS_SCHEMA: dict[str, Any] = {
    "document_id": pl.Int64,
    "customer_id": pl.Int64,
    "number": pl.String,
    "document_date": pl.Date,
    "due_date": pl.Date,
    "currency": pl.String,
    "open_minor": pl.Int64,
}


def _frame(engine: Engine, sql: str, schema: dict[str, Any]) -> pl.DataFrame:
    return read_frame(engine, sql, schema)


def load_inputs(engine: Engine, as_of: date, company_currency: str) -> MatchInputs:
    """Everything one matching run compares; ``as_of`` is a date, so the SQL text is safe."""
    day = as_of.isoformat()
    return MatchInputs(
        lines=_frame(engine, LINES_SQL.format(as_of=day), LINES_SCHEMA),
        items=_frame(engine, ITEMS_SQL.format(as_of=day), ITEMS_SCHEMA),
        customers=_frame(
            engine,
            "SELECT id, code, name FROM customers",
            {"customer_id": pl.Int64, "customer_code": pl.String, "name": pl.String},
        ),
        company_currency=company_currency,
        ibans=_frame(
            engine,
            "SELECT iban, customer_id FROM customer_ibans",
            {"iban": pl.String, "customer_id": pl.Int64},
        ),
        aliases=_frame(
            engine,
            "SELECT alias, customer_id FROM customer_aliases",
            {"alias": pl.String, "customer_id": pl.Int64},
        ),
        prefixes=_frame(
            engine,
            "SELECT customer_id, prefix FROM reference_patterns",
            {"customer_id": pl.Int64, "prefix": pl.String},
        ),
        references=_frame(
            engine,
            "SELECT reference, document_id FROM payment_references",
            {"reference": pl.String, "document_id": pl.Int64},
        ),
        rates=_frame(
            engine,
            "SELECT currency, rate_date, CAST(rate AS VARCHAR(40)) FROM exchange_rates",
            {"currency": pl.String, "rate_date": pl.Date, "rate": pl.String},
        ),
    )
