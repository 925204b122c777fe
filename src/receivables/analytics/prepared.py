"""The parts of the ledger that do not depend on the as-of date, computed once per load.

Every as-of figure needs "how much of this document was allocated on or before day t". Instead
of grouping the allocations for every report, each document gets, once:

- ``allocated_minor``, ``first_allocation`` and ``last_allocation``: for a day before the first
  allocation nothing is applied, from the last one on everything is;
- ``movements``: the allocation rows of the few documents allocated on two or more days, the only
  ones for which a day can fall between the first and the last allocation (they "straddle" it).

Documents are sorted by customer, an order every later step keeps, so grouped sums per customer
take Polars' fast path for sorted keys rather than hashing millions of rows.

Then, once per company currency (:meth:`PreparedLedger.view`), each document's whole amount and its
amount after all its allocations are converted, and the credit sales of each day are summed. Only
documents straddling the as-of date still need converting at report time. All others are open for
either their whole amount or what remains after all allocations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import polars as pl

from receivables.analytics.allocation_totals import (
    NO_FIRST,
    NO_LAST,
    AllocationTotals,
    allocation_totals,
    day_column,
)
from receivables.analytics.conversion import to_company_minor, unit_scale_column
from receivables.analytics.errors import InvalidLedgerDataError
from receivables.domain.documents import DEBIT_KINDS, DocumentKind
from receivables.domain.money import Currency

KINDS = [kind.value for kind in DocumentKind]
DEBIT = [kind.value for kind in DEBIT_KINDS]
# The sign of each kind in credit sales: invoices and debit notes add, credit notes subtract.
# An early-payment discount is a cost of collection, not a reduction of the sale.
SALE_SIGNS = {
    DocumentKind.INVOICE.value: 1,
    DocumentKind.DEBIT_NOTE.value: 1,
    DocumentKind.CREDIT_NOTE.value: -1,
    DocumentKind.PAYMENT.value: 0,
    DocumentKind.WRITE_OFF.value: 0,
    DocumentKind.DISCOUNT.value: 0,
}

DOCUMENT_COLUMNS = [
    "document_id", "customer_id", "is_debit", "sale_sign", "document_date", "due_date", "currency",
    "unit_scale", "amount_minor", "fx_rate_scaled", "disputed",
]  # fmt: skip


@dataclass(frozen=True)
class CompanyView:
    """The prepared documents with ``amount_company`` (the whole amount) and ``remaining_company``
    (what is left after all allocations) in company minor units, and ``daily_sales``: credit sales
    per ``document_date`` in company minor units."""

    currency: Currency
    documents: pl.DataFrame
    daily_sales: pl.DataFrame


@dataclass(frozen=True)
class PreparedLedger:
    """Documents in customer order with their allocation totals, and multi-day allocations."""

    documents: pl.DataFrame
    movements: pl.DataFrame
    _views: dict[str, CompanyView] = field(default_factory=dict, compare=False, repr=False)

    @property
    def first_date(self) -> date | None:
        """The earliest document date of the ledger, or None when it is empty."""
        first = self.documents["document_date"].min()
        return first if isinstance(first, date) else None

    def view(self, company: Currency) -> CompanyView:
        """Return the ledger converted to ``company``, computed on first use and kept."""
        if company.code not in self._views:
            self._views[company.code] = _company_view(self.documents, company)
        return self._views[company.code]


def prepare(documents: pl.DataFrame, allocations: pl.DataFrame) -> PreparedLedger:
    """Sort the documents by customer and attach their allocation totals."""
    _check_kinds(documents)
    currencies = documents["currency"].unique().to_list()
    ordered = (
        documents.lazy()
        .with_columns(
            pl.col("kind").is_in(DEBIT).alias("is_debit"),
            pl.col("kind").replace_strict(SALE_SIGNS, return_dtype=pl.Int8).alias("sale_sign"),
            unit_scale_column(pl.col("currency"), currencies).alias("unit_scale"),
        )
        .select(DOCUMENT_COLUMNS)
        .sort("customer_id")
        .collect()
    )
    totals = allocation_totals(ordered["document_id"].to_numpy(), allocations)
    _check_allocations(documents, ordered, totals)
    prepared = ordered.with_columns(
        pl.Series("allocated_minor", totals.allocated_minor),
        day_column(totals.first_day, "first_allocation", NO_FIRST),
        day_column(totals.last_day, "last_allocation", NO_LAST),
        pl.col("customer_id").set_sorted(),
    )
    return PreparedLedger(prepared, totals.movements)


def _company_view(documents: pl.DataFrame, company: Currency) -> CompanyView:
    converted = documents.with_columns(
        to_company_minor(pl.col("amount_minor"), company).alias("amount_company"),
        to_company_minor(pl.col("amount_minor") - pl.col("allocated_minor"), company).alias(
            "remaining_company"
        ),
        pl.col("customer_id").set_sorted(),
    )
    daily = (
        converted.lazy()
        .filter(pl.col("sale_sign") != 0)
        .group_by("document_date")
        .agg((pl.col("amount_company") * pl.col("sale_sign")).sum().alias("sales"))
        .sort("document_date")
        .collect()
    )
    return CompanyView(company, converted, daily)


def _check_allocations(documents: pl.DataFrame, ordered: pl.DataFrame, totals: AllocationTotals) -> None:
    """Raise unless every allocation joins two documents of one currency and none is over-allocated.

    The figures rely on both rules of the domain ledger: an allocation's minor units are in the
    currency of both its documents, and no open item or credit document goes below zero.
    """
    currencies = ordered["currency"].cast(pl.Categorical).to_physical().to_numpy()
    mixed = np.flatnonzero(currencies[totals.target_rows] != currencies[totals.source_rows])
    if len(mixed):
        example = _describe(documents, int(ordered["document_id"][int(totals.target_rows[mixed[0]])]))
        raise InvalidLedgerDataError(
            f"{len(mixed)} allocations join documents of two currencies, such as the one to {example}"
        )
    over = np.flatnonzero(totals.allocated_minor > ordered["amount_minor"].to_numpy())
    if len(over):
        example = _describe(documents, int(ordered["document_id"][int(over[0])]))
        raise InvalidLedgerDataError(
            f"{len(over)} documents are allocated beyond their amount, such as {example}"
        )


def _describe(documents: pl.DataFrame, document_id: int) -> str:
    row = documents.filter(pl.col("document_id") == document_id).row(0, named=True)
    return f"{row['kind']} {row['number']}"


def _check_kinds(documents: pl.DataFrame) -> None:
    unknown = documents.filter(~pl.col("kind").is_in(KINDS))
    if unknown.height:
        examples = ", ".join(
            f"{row['kind']} {row['number']}" for row in unknown.head(5).iter_rows(named=True)
        )
        raise InvalidLedgerDataError(
            f"{unknown.height} stored documents have a kind other than {', '.join(KINDS)}: {examples}"
        )
