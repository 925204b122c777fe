"""The ledger as Polars frames: what the analytics compute on.

:func:`load_ledger` reads documents, allocations and customers through ``storage.frames`` and
prepares the allocation totals that do not depend on the as-of date, so a report, or several for
different dates, only does the as-of work.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import cached_property

import polars as pl
from sqlalchemy import Engine

from receivables.analytics.errors import UnknownCustomerError
from receivables.analytics.prepared import PreparedLedger, prepare
from receivables.domain.money import Currency
from receivables.storage.database import get_setting
from receivables.storage.frames import (
    DISCOUNT_OFFERS_SCHEMA,
    load_allocations,
    load_customers,
    load_discount_offers,
    load_documents,
)

log = logging.getLogger(__name__)

# The company setting that contains the currency reports are in (written by the services layer).
STORED_CURRENCY_KEY = "company_currency"


@dataclass(frozen=True, eq=False)
class LedgerFrames:
    """Documents, allocations and customers with the columns of ``storage.frames``.

    ``documents``: document_id, customer_id, customer_code, kind, number, document_date, due_date,
    currency, amount_minor, tax_minor, fx_rate_scaled, disputed. ``allocations``: source_id,
    target_id, allocation_date, amount_minor. ``customers``: customer_id, customer_code, name, ...
    ``discount_offers``: document_id and the JSON offers of the instalments that have any
    (``storage.frames.load_discount_offers``).
    """

    documents: pl.DataFrame
    allocations: pl.DataFrame
    customers: pl.DataFrame = field(default_factory=pl.DataFrame)
    discount_offers: pl.DataFrame = field(
        default_factory=lambda: pl.DataFrame(schema=DISCOUNT_OFFERS_SCHEMA)
    )

    @cached_property
    def prepared(self) -> PreparedLedger:
        """The allocation totals per document, computed on first use."""
        return prepare(self.documents, self.allocations)

    @property
    def is_empty(self) -> bool:
        return self.documents.is_empty()

    def customer_names(self) -> pl.DataFrame:
        """Return customer_id, customer_code and name of each customer; without names, the code is used."""
        if {"customer_id", "customer_code", "name"} <= set(self.customers.columns):
            return self.customers.select("customer_id", "customer_code", "name")
        from_documents = self.documents.select("customer_id", "customer_code").unique("customer_id")
        return from_documents.with_columns(pl.col("customer_code").alias("name"))

    def for_customer(self, code: str) -> LedgerFrames:
        """Return the documents and allocations of one customer; raise if the code is not in the ledger."""
        documents = self.documents.filter(pl.col("customer_code") == code)
        if documents.is_empty():
            raise UnknownCustomerError(code)
        # Both documents of an allocation belong to one customer, so its target decides.
        allocations = self.allocations.join(
            documents.select(pl.col("document_id").alias("target_id")), on="target_id", how="semi"
        )
        customers = (
            self.customers.filter(pl.col("customer_code") == code) if self.customers.width else self.customers
        )
        offers = self.discount_offers.join(
            documents.select("document_id"), on="document_id", how="semi"
        )
        return LedgerFrames(documents, allocations, customers, offers)


def load_ledger(engine: Engine, company_currency: Currency | str | None = None) -> LedgerFrames:
    """Load the whole ledger from the database and prepare what no as-of date changes.

    That is the allocation totals per document, and the converted amounts and daily credit sales
    in ``company_currency``. Without it, the currency stored in the database is used, if any. A
    report in that currency then only does the work of its as-of date.
    """
    frames = LedgerFrames(
        load_documents(engine),
        load_allocations(engine),
        load_customers(engine),
        load_discount_offers(engine),
    )
    log.info(
        "loaded %d documents, %d allocations and %d customers",
        frames.documents.height,
        frames.allocations.height,
        frames.customers.height,
    )
    code = company_currency or get_setting(engine, STORED_CURRENCY_KEY)
    if not frames.is_empty:
        prepared = frames.prepared
        if code:
            prepared.view(code if isinstance(code, Currency) else Currency.of(code))
    return frames
