"""What a dunning run reads: open items as of a date, customers with their settings, and the
collections state (open disputes, pending promises, notices that still chase open items).

Open items come from the ledger frames of ``receivables.analytics`` (one definition of "open on
a date"): debit documents dated on or before ``as_of`` with what is left after the allocations
dated on or before it, in the item's currency (``open_minor``) and in the company currency
(``open_company``), with ``days_past_due``. Each instalment is its own document row, so it is
its own item.
"""

from __future__ import annotations

from datetime import date

import polars as pl
from sqlalchemy import Engine

from receivables.analytics.frames import LedgerFrames
from receivables.analytics.snapshot import Period, positions
from receivables.domain.aging import AgingBuckets
from receivables.domain.dunning.notices import IN_HISTORY
from receivables.domain.money import Currency
from receivables.storage.frames import read_frame

ITEM_SCHEMA: dict[str, pl.DataType] = {
    "customer_id": pl.Int64(),
    "document_id": pl.Int64(),
    "disputed": pl.Boolean(),
    "open_minor": pl.Int64(),
    "open_company": pl.Int64(),
    "days_past_due": pl.Int32(),
}

CUSTOMERS_SQL = (
    "SELECT c.id AS customer_id, c.code AS customer_code, c.name, c.segment, k.email, "
    "k.language, k.street, k.postal_code, k.city, k.phone, o.policy AS policy_override, "
    "o.hold_until, o.collector, s.risk_class "
    "FROM customers c "
    "LEFT JOIN customer_contacts k ON k.customer_id = c.id "
    "LEFT JOIN dunning_overrides o ON o.customer_id = c.id "
    "LEFT JOIN credit_scores s ON s.customer_id = c.id"
)
CUSTOMERS_SCHEMA: dict[str, pl.DataType] = {
    "customer_id": pl.Int64(),
    "customer_code": pl.String(),
    "name": pl.String(),
    "segment": pl.String(),
    "email": pl.String(),
    "language": pl.String(),
    "street": pl.String(),
    "postal_code": pl.String(),
    "city": pl.String(),
    "phone": pl.String(),
    "policy_override": pl.String(),
    "hold_until": pl.Date(),
    "collector": pl.String(),
    "risk_class": pl.String(),
}

DISPUTED_SQL = "SELECT DISTINCT document_id FROM disputes WHERE status = 'open'"

PROMISES_SQL = (
    "SELECT p.id AS promise_id, p.customer_id, p.made_on, p.promised_date, p.amount_minor, "
    "p.grace_days, p.open_at_promise_minor, p.state, p.closed_on FROM promises p"
)
PROMISES_SCHEMA: dict[str, pl.DataType] = {
    "promise_id": pl.Int64(),
    "customer_id": pl.Int64(),
    "made_on": pl.Date(),
    "promised_date": pl.Date(),
    "amount_minor": pl.Int64(),
    "grace_days": pl.Int32(),
    "open_at_promise_minor": pl.Int64(),
    "state": pl.String(),
    "closed_on": pl.Date(),
}
PROMISE_ITEMS_SQL = (
    "SELECT i.promise_id, i.document_id FROM promise_items i "
    "JOIN promises p ON p.id = i.promise_id WHERE p.state = 'open'"
)

_HISTORY_STATES = ", ".join(f"'{status.value}'" for status in sorted(IN_HISTORY))
NOTICES_SQL = (
    "SELECT id AS notice_id, customer_id, level, notice_date, status FROM dunning_notices "
    f"WHERE status IN ({_HISTORY_STATES})"
)
NOTICES_SCHEMA: dict[str, pl.DataType] = {
    "notice_id": pl.Int64(),
    "customer_id": pl.Int64(),
    "level": pl.Int32(),
    "notice_date": pl.Date(),
    "status": pl.String(),
}
NOTICE_ITEMS_SQL = (
    "SELECT i.notice_id, i.document_id FROM dunning_notice_items i "
    f"JOIN dunning_notices n ON n.id = i.notice_id WHERE n.status IN ({_HISTORY_STATES})"
)


def open_items(frames: LedgerFrames, company: Currency, as_of: date) -> pl.DataFrame:
    """Return every debit document with an amount open at the end of ``as_of``."""
    if frames.is_empty:
        return pl.DataFrame(schema=ITEM_SCHEMA)
    prepared = frames.prepared
    view = prepared.view(company)
    return (
        positions(view, prepared, Period(as_of, 1), AgingBuckets())
        .filter(pl.col("is_debit") & (pl.col("open_minor") > 0))
        .select(
            "customer_id",
            "document_id",
            pl.col("disputed").fill_null(False),
            "open_minor",
            pl.col("open").alias("open_company"),
            pl.col("days_past_due").cast(pl.Int32),
        )
        .collect()
    )


def load_customers(engine: Engine) -> pl.DataFrame:
    return read_frame(engine, CUSTOMERS_SQL, CUSTOMERS_SCHEMA)


def load_open_disputes(engine: Engine) -> pl.DataFrame:
    return read_frame(engine, DISPUTED_SQL, {"document_id": pl.Int64()})


def load_promises(engine: Engine) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Return every promise, and the items of the open ones."""
    promises = read_frame(engine, PROMISES_SQL, PROMISES_SCHEMA)
    items = read_frame(
        engine, PROMISE_ITEMS_SQL, {"promise_id": pl.Int64(), "document_id": pl.Int64()}
    )
    return promises, items


def load_notices(engine: Engine) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Return the notices that count as contact history, and their items."""
    notices = read_frame(engine, NOTICES_SQL, NOTICES_SCHEMA)
    items = read_frame(
        engine, NOTICE_ITEMS_SQL, {"notice_id": pl.Int64(), "document_id": pl.Int64()}
    )
    return notices, items
