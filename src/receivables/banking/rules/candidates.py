"""Vectorized candidate search: which open items and customers each bank transaction may concern.

Everything that compares transactions with the whole ledger runs as Polars joins: reference and
invoice-number keys against the keys of every open item, payer IBANs and learned names against
the customer tables, and paid amounts against the open amounts of the identified customers. Only
the small per-transaction candidate lists go on to the decision.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from receivables.banking.rules.names import normalize_name
from receivables.banking.rules.numbers import text_keys, with_item_keys
from receivables.banking.rules.references import (
    compact,
    is_valid_rf,
    looks_like_rf,
    references_in_text,
    rf_body_for,
)

LINE_SCHEMA = {
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
ITEM_SCHEMA = {
    "document_id": pl.Int64,
    "customer_id": pl.Int64,
    "number": pl.String,
    "document_date": pl.Date,
    "due_date": pl.Date,
    "currency": pl.String,
    "open_minor": pl.Int64,
}
KEY_SCHEMA = {"transaction_id": pl.Int64, "kind": pl.String, "key": pl.String, "prefix": pl.String}
REFERENCE_SCHEMA = {"transaction_id": pl.Int64, "reference": pl.String, "is_rf": pl.Boolean}
KEY_KINDS = ("alnum", "prefixed", "groups", "digits")


@dataclass(frozen=True)
class Candidates:
    """The candidate frames of one run, each keyed by ``transaction_id``."""

    references: pl.DataFrame  # transaction_id, document_id, reference
    invalid_references: pl.DataFrame  # transaction_id, reference
    numbers: pl.DataFrame  # transaction_id, document_id, kind, prefix
    customers: pl.DataFrame  # transaction_id, customer_id, source, score
    amounts: pl.DataFrame  # transaction_id, document_id (one open item paid exactly)


def keyed_items(items: pl.DataFrame, min_digits: int) -> pl.DataFrame:
    """The open items with their number keys; long numbers get their hashed RF body."""
    keyed = with_item_keys(items, "number", min_digits)
    long_numbers = keyed.filter(pl.col("key_alnum").is_null())
    if long_numbers.height:
        bodies = pl.Series("key_alnum", [rf_body_for(n) for n in long_numbers["number"]])
        filled = long_numbers.with_columns(bodies)
        keyed = pl.concat([keyed.filter(pl.col("key_alnum").is_not_null()), filled])
    return keyed


def line_keys(
    lines: pl.DataFrame, min_digits: int
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Reference and number keys of each line: references, invalid RF references, numbers.

    This is the one per-line loop: the text of each transaction is tokenized once.
    """
    references, invalid, numbers = [], [], []
    columns = ["transaction_id", "remittance_text", "structured_reference", "end_to_end_id"]
    for transaction_id, text, structured, end_to_end in lines.select(columns).iter_rows():
        seen: set[str] = set()
        for candidate in _reference_candidates(text or "", structured, end_to_end):
            if candidate in seen:
                continue
            seen.add(candidate)
            shaped = looks_like_rf(candidate)
            if shaped and not is_valid_rf(candidate):
                invalid.append((transaction_id, candidate))
            else:
                references.append((transaction_id, candidate, shaped))
        free_text = " ".join(part for part in (text, end_to_end, structured) if part)
        for key in text_keys(free_text, min_digits):
            numbers.append((transaction_id, key.kind, key.key, key.prefix))
    return (
        pl.DataFrame(references, schema=REFERENCE_SCHEMA, orient="row"),
        pl.DataFrame(
            invalid, schema={"transaction_id": pl.Int64, "reference": pl.String}, orient="row"
        ),
        pl.DataFrame(numbers, schema=KEY_SCHEMA, orient="row"),
    )


def _reference_candidates(text: str, structured: str | None, end_to_end: str | None) -> list[str]:
    found = [compact(structured)] if structured else []
    found += references_in_text(text)
    if end_to_end and looks_like_rf(end_to_end):
        found.append(compact(end_to_end))
    return found


def reference_candidates(
    references: pl.DataFrame, items: pl.DataFrame, stored: pl.DataFrame
) -> pl.DataFrame:
    """Open items whose issued or derived reference is on the line (valid check digits only)."""
    columns = ["transaction_id", "document_id", "reference"]
    derived = (
        references.filter(pl.col("is_rf"))
        .with_columns(pl.col("reference").str.slice(4).alias("key_alnum"))
        .join(items.select("document_id", "key_alnum"), on="key_alnum")
        .select(columns)
    )
    issued = references.join(stored.select("reference", "document_id"), on="reference").select(
        columns
    )
    return pl.concat([derived, issued]).unique(["transaction_id", "document_id"])


def number_candidates(numbers: pl.DataFrame, items: pl.DataFrame) -> pl.DataFrame:
    """Open items whose number keys appear in the line's text, with the strongest kind found."""
    long_keys = (
        items.select("document_id", *[f"key_{kind}" for kind in KEY_KINDS])
        .unpivot(index="document_id", variable_name="kind", value_name="key")
        .drop_nulls("key")
        .with_columns(pl.col("kind").str.strip_prefix("key_"))
    )
    rank = {kind: index for index, kind in enumerate(KEY_KINDS)}
    return (
        numbers.join(long_keys, on=["kind", "key"])
        .with_columns(pl.col("kind").replace_strict(rank, return_dtype=pl.Int8).alias("rank"))
        .sort("rank")
        .unique(["transaction_id", "document_id"], keep="first")
        .select("transaction_id", "document_id", "kind", "prefix")
    )


def customer_candidates(
    lines: pl.DataFrame, ibans: pl.DataFrame, aliases: pl.DataFrame
) -> pl.DataFrame:
    """Customers found by a learned IBAN or a learned payer name (fuzzy names come later)."""
    by_iban = (
        lines.select("transaction_id", pl.col("counterparty_iban").alias("iban"))
        .drop_nulls("iban")
        .join(ibans.select("iban", "customer_id"), on="iban")
        .with_columns(
            pl.lit("iban").alias("source"),
            pl.col("customer_id").count().over("transaction_id").cast(pl.Float64).alias("score"),
        )
        .drop("iban")
    )
    names = lines.select(
        "transaction_id",
        pl.col("counterparty_name")
        .map_elements(normalize_name, return_dtype=pl.String)
        .alias("alias"),
    ).filter(pl.col("alias") != "")
    by_alias = (
        names.join(aliases.select("alias", "customer_id"), on="alias")
        .with_columns(pl.lit("alias").alias("source"), pl.lit(100.0).alias("score"))
        .drop("alias")
    )
    columns = ["transaction_id", "customer_id", "source", "score"]
    return pl.concat([by_iban.select(columns), by_alias.select(columns)]).unique(
        ["transaction_id", "customer_id", "source"]
    )


def amount_candidates(
    lines: pl.DataFrame, customers: pl.DataFrame, items: pl.DataFrame
) -> pl.DataFrame:
    """Open items of an identified customer, in the line's currency, open for exactly the amount."""
    return (
        customers.select("transaction_id", "customer_id")
        .unique()
        .join(lines.select("transaction_id", "currency", "amount_minor"), on="transaction_id")
        .join(
            items.select(
                "document_id", "customer_id", "currency", pl.col("open_minor").alias("amount_minor")
            ),
            on=["customer_id", "currency", "amount_minor"],
        )
        .select("transaction_id", "document_id")
        .unique()
    )
