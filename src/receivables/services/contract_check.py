"""Compare stored invoices with the contract valid on each invoice date.

The rule is :func:`receivables.domain.contracts.check_invoice_terms`. On a large ledger it would
schedule every invoice on its own, so the batch first finds with Polars the invoices that can
differ. Those have no contract valid on the invoice date, a contract term that cannot schedule
them, or other due dates or discounts than the contract's schedule gives. The schedule comes from
:func:`receivables.importers.term_schedules.schedule_invoices`, which equals
``PaymentTerm.schedule``. Only those invoices go through the domain rule, which words each
finding. A test checks that the batch finds what the domain rule finds on every invoice.

An invoice's instalments are put together again: its amount and tax are their sums, its due
dates theirs in instalment order, its discounts the (deadline, percent) of every frozen offer.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import polars as pl
from sqlalchemy import Engine

from receivables.domain.contracts import (
    Contract,
    ContractBook,
    InvoiceTerms,
    TermDeviation,
    check_invoice_terms,
)
from receivables.domain.discounts import DiscountBase
from receivables.domain.money import Currency, Money
from receivables.domain.statutory import RateBook
from receivables.importers.term_schedules import schedule_invoices
from receivables.services.contracts import stored_contracts
from receivables.storage.frames import read_frame

log = logging.getLogger(__name__)

INVOICES_SQL = (
    "SELECT c.code, d.number, d.instalment, d.document_date, d.due_date, d.currency, "
    "d.amount_minor, d.tax_minor, d.discount_offers FROM documents d "
    "JOIN customers c ON c.id = d.customer_id WHERE d.kind = 'invoice'"
)
INVOICES_SCHEMA: dict[str, pl.DataType] = {
    "customer_code": pl.String(), "number": pl.String(), "instalment": pl.Int64(),
    "document_date": pl.Date(), "due_date": pl.Date(), "currency": pl.String(),
    "amount_minor": pl.Int64(), "tax_minor": pl.Int64(), "discount_offers": pl.String(),
}  # fmt: skip
OFFER_TYPE = pl.List(pl.Struct({"percent": pl.String(), "deadline": pl.String()}))


@dataclass(frozen=True)
class ContractCheck:
    """How many invoices were compared, and every difference found."""

    invoices: int
    deviations: list[TermDeviation]


def _discount_keys(offers: pl.Expr) -> pl.Expr:
    """Turn JSON offer lists into sorted ``deadline percent`` texts, one per offer."""
    decoded = offers.str.json_decode(OFFER_TYPE)
    return decoded.list.eval(
        pl.format(
            "{} {}", pl.element().struct.field("deadline"), pl.element().struct.field("percent")
        )
    )


def _invoices(rows: pl.DataFrame) -> pl.DataFrame:
    """Return one row per invoice: totals, due dates in instalment order, sorted discount keys."""
    rows = rows.sort("number", "instalment").with_columns(
        _discount_keys(pl.col("discount_offers")).alias("_keys")
    )
    return rows.group_by("number", maintain_order=True).agg(
        pl.col("customer_code").first(),
        pl.col("document_date").first(),
        pl.col("currency").first(),
        pl.col("amount_minor").sum(),
        pl.col("tax_minor").sum(),
        pl.col("due_date").alias("due_dates"),
        pl.col("_keys").explode().drop_nulls().unique().sort().alias("discounts"),
    )


def _contract_frame(book_contracts: list[Contract]) -> pl.DataFrame:
    return pl.DataFrame(
        [
            (c.customer_code, c.valid_from, c.valid_to, c.term.to_text(), c.discount_base.value)
            for c in book_contracts
        ],
        schema={"customer_code": pl.String(), "valid_from": pl.Date(), "valid_to": pl.Date(),
                "payment_term": pl.String(), "discount_base": pl.String()},
        orient="row",
    )  # fmt: skip


def _matching(invoices: pl.DataFrame, contracts: list[Contract]) -> pl.DataFrame:
    """Return ``_invoice`` of the invoices whose due dates and discounts equal their contract's."""
    valid = pl.col("valid_from") <= pl.col("document_date")
    valid &= pl.col("valid_to").is_null() | (pl.col("document_date") <= pl.col("valid_to"))
    joined = invoices.join(_contract_frame(contracts), on="customer_code", how="inner").filter(
        valid
    )
    terms = {contract.term.to_text(): contract.term for contract in contracts}
    units = {code: Currency.of(code).minor_unit for code in invoices["currency"].unique()}
    matched = []
    for base in DiscountBase:
        group = joined.filter(pl.col("discount_base") == base.value)
        if group.is_empty():
            continue
        frame = group.with_columns(
            pl.col("currency").replace_strict(units, return_dtype=pl.Int64).alias("minor_unit")
        )
        expected = (
            schedule_invoices(frame, terms, base)
            .instalments.sort("_invoice", "instalment")
            .with_columns(_discount_keys(pl.col("discount_offers")).alias("_keys"))
            .group_by("_invoice")
            .agg(
                pl.col("due_date").alias("expected_dates"),
                pl.col("_keys").explode().drop_nulls().unique().sort().alias("expected_discounts"),
            )
        )
        same = (pl.col("expected_dates") == pl.col("due_dates")) & (
            pl.col("expected_discounts") == pl.col("discounts")
        )
        matched.append(
            group.join(expected, on="_invoice", how="inner").filter(same).select("_invoice")
        )
    return pl.concat(matched) if matched else pl.DataFrame(schema={"_invoice": pl.Int64()})


def _invoice_terms(row: dict[str, Any]) -> InvoiceTerms:
    currency = str(row["currency"])
    discounts = []
    for key in row["discounts"] or []:
        deadline, percent = str(key).split(" ")
        discounts.append((date.fromisoformat(deadline), Decimal(percent)))
    return InvoiceTerms(
        customer_code=str(row["customer_code"]),
        number=str(row["number"]),
        invoice_date=row["document_date"],
        amount=Money.from_minor(int(row["amount_minor"]), currency),
        tax=Money.from_minor(int(row["tax_minor"]), currency),
        due_dates=tuple(row["due_dates"]),
        discounts=tuple(discounts),
    )


def check_contracts(
    engine: Engine,
    rates: RateBook,
    *,
    customer: str | None = None,
    first: date | None = None,
    last: date | None = None,
) -> ContractCheck:
    """Check the invoices dated ``first`` to ``last`` (all by default) against their contracts."""
    with engine.connect() as connection:
        contracts = stored_contracts(connection, rates)
    book = ContractBook(contracts)
    rows = read_frame(engine, INVOICES_SQL, INVOICES_SCHEMA)
    if customer is not None:
        rows = rows.filter(pl.col("customer_code") == customer)
    if first is not None:
        rows = rows.filter(pl.col("document_date") >= first)
    if last is not None:
        rows = rows.filter(pl.col("document_date") <= last)
    invoices = (
        _invoices(rows).with_row_index("_invoice").with_columns(pl.col("_invoice").cast(pl.Int64))
    )
    suspects = invoices.join(_matching(invoices, contracts), on="_invoice", how="anti")
    deviations = check_invoice_terms(
        [_invoice_terms(row) for row in suspects.iter_rows(named=True)], book
    )
    log.info(
        "contract check: %d invoices, %d looked at one by one, %d differences",
        invoices.height, suspects.height, len(deviations),
    )  # fmt: skip
    return ContractCheck(invoices.height, deviations)
