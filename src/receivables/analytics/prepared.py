"""The parts of the ledger that do not depend on the as-of date, computed once per load.

Every as-of figure needs "how much of this document was allocated on or before day t". Grouping
all allocations for each report would cost a pass and a join over the whole allocation table, so
the totals per document are computed once:

- ``allocated_minor``, ``first_allocation`` and ``last_allocation`` on each document: for a day
  before the first allocation nothing is applied, from the last one on everything is;
- documents sorted by customer, an order every later step keeps, so grouped sums per customer
  take Polars' fast path for sorted keys (about ten times faster than hashing 10 million rows);
- ``movements``: the allocation rows of the few documents allocated on two or more dates, the only
  ones for which a day can fall between the first and the last allocation (they "straddle" it).

An allocation counts on both of its documents: on its target (an open item, whose open amount it
reduces) and on its source (a credit document, whose unapplied credit it uses up).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from receivables.analytics.conversion import unit_scale_column
from receivables.analytics.errors import InvalidLedgerDataError
from receivables.domain.documents import DEBIT_KINDS, DocumentKind

KINDS = [kind.value for kind in DocumentKind]
DEBIT = [kind.value for kind in DEBIT_KINDS]
# The sign of each kind in credit sales: invoices and debit notes add, credit notes subtract.
SALE_SIGNS = {
    DocumentKind.INVOICE.value: 1,
    DocumentKind.DEBIT_NOTE.value: 1,
    DocumentKind.CREDIT_NOTE.value: -1,
    DocumentKind.PAYMENT.value: 0,
    DocumentKind.WRITE_OFF.value: 0,
}

DOCUMENT_COLUMNS = [
    "document_id", "customer_id", "is_debit", "sale_sign", "document_date", "due_date", "currency",
    "unit_scale", "amount_minor", "fx_rate_scaled", "disputed", "allocated_minor",
    "first_allocation", "last_allocation",
]  # fmt: skip


@dataclass(frozen=True)
class PreparedLedger:
    """Documents with their allocation totals, and the allocations of multi-date documents."""

    documents: pl.DataFrame
    movements: pl.DataFrame

    @property
    def first_date(self) -> date | None:
        """The earliest document date of the ledger, or None when it is empty."""
        first = self.documents["document_date"].min()
        return first if isinstance(first, date) else None


def prepare(documents: pl.DataFrame, allocations: pl.DataFrame) -> PreparedLedger:
    """Attach allocation totals to each document and keep the rows of multi-date allocations."""
    _check_kinds(documents)
    sides = pl.concat(
        [
            allocations.select(pl.col("target_id").alias("document_id"), "allocation_date", "amount_minor"),
            allocations.select(pl.col("source_id").alias("document_id"), "allocation_date", "amount_minor"),
        ]
    )
    totals = sides.group_by("document_id").agg(
        pl.col("amount_minor").sum().alias("allocated_minor"),
        pl.col("allocation_date").min().alias("first_allocation"),
        pl.col("allocation_date").max().alias("last_allocation"),
    )
    currencies = documents["currency"].unique().to_list()
    prepared = (
        documents.lazy()
        .join(totals.lazy(), on="document_id", how="left")
        .with_columns(
            pl.col("kind").is_in(DEBIT).alias("is_debit"),
            pl.col("kind").replace_strict(SALE_SIGNS, return_dtype=pl.Int8).alias("sale_sign"),
            unit_scale_column(pl.col("currency"), currencies).alias("unit_scale"),
            pl.col("allocated_minor").fill_null(0),
        )
        .select(DOCUMENT_COLUMNS)
        .sort("customer_id", "document_date")
        .collect()
    )
    movements = sides.join(
        totals.filter(pl.col("first_allocation") != pl.col("last_allocation")).drop("allocated_minor"),
        on="document_id",
        how="inner",
    )
    return PreparedLedger(prepared, movements)


def _check_kinds(documents: pl.DataFrame) -> None:
    unknown = documents.filter(~pl.col("kind").is_in(KINDS))
    if unknown.height:
        examples = ", ".join(
            f"{row['kind']} {row['number']}" for row in unknown.head(5).iter_rows(named=True)
        )
        raise InvalidLedgerDataError(
            f"{unknown.height} stored documents have a kind other than {', '.join(KINDS)}: {examples}"
        )
