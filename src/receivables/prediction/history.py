"""The ledger's payment history as one row per open item ever issued, in company minor units.

An item (invoice or debit note instalment) is *paid* on the day of its last allocation once its
allocations add up to its whole amount, whether by payment, credit note or discount. An item that a
write-off document closed (wholly or in part) was never paid: it is marked ``written_off`` and
left out of training and validation, since its "pay date" is an accounting decision, not the
customer's behaviour.

``days_late`` of a paid item is ``paid_on - due_date`` in days: negative when paid early, 0 on
the due date. An item is late when ``days_late > 0``, the rule of the aging report (an item due
on the as-of date is current).

The risk classes come from the history of risk class changes, so a training row only sees the
class its customer had on that row's date. Disputes come from the disputes table with their
opening date, and from the stored ``disputed`` flag of each document, which has no date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl
from sqlalchemy import Engine

from receivables.analytics.frames import LedgerFrames
from receivables.domain.documents import DocumentKind
from receivables.domain.money import Currency
from receivables.storage.frames import read_frame

RISK_CLASSES_SQL = "SELECT customer_id, as_of, new_class FROM risk_class_changes"
RISK_CLASSES_SCHEMA: dict[str, pl.DataType] = {
    "customer_id": pl.Int64(), "as_of": pl.Date(), "new_class": pl.String(),
}  # fmt: skip
DISPUTES_SQL = "SELECT customer_id, document_id, opened_on FROM disputes"
DISPUTES_SCHEMA: dict[str, pl.DataType] = {
    "customer_id": pl.Int64(), "document_id": pl.Int64(), "opened_on": pl.Date(),
}  # fmt: skip
# Risk classes A (best) to E (worst) as an ordinal feature.
RISK_RANKS = {"A": 1, "B": 2, "C": 3, "D": 4, "E": 5}

ITEM_SCHEMA: dict[str, pl.DataType] = {
    "document_id": pl.Int64(), "customer_id": pl.Int64(), "document_date": pl.Date(),
    "due_date": pl.Date(), "amount": pl.Int64(), "disputed": pl.Boolean(), "paid_on": pl.Date(),
    "written_off": pl.Boolean(),
}  # fmt: skip


@dataclass(frozen=True, eq=False)
class PaymentHistory:
    """Everything the prediction learns from, loaded once.

    ``items``: one row per debit document (see ``ITEM_SCHEMA``), ``amount`` in company minor
    units, ``paid_on`` null while unpaid. ``risk_classes``: customer_id, as_of, risk_rank.
    ``disputes``: customer_id, document_id, opened_on. ``customers``: customer_id, customer_code.
    """

    ledger: LedgerFrames
    currency: Currency
    items: pl.DataFrame
    risk_classes: pl.DataFrame
    disputes: pl.DataFrame
    customers: pl.DataFrame

    @property
    def last_date(self) -> date | None:
        """The latest document or allocation date of the ledger: outcomes are known up to it."""
        dates = [
            self.ledger.documents["document_date"].max(),
            self.ledger.allocations["allocation_date"].max(),
        ]
        known = [day for day in dates if isinstance(day, date)]
        return max(known) if known else None


def load_history(engine: Engine, ledger: LedgerFrames, currency: Currency) -> PaymentHistory:
    """Build the payment history of ``ledger`` with the risk classes and disputes stored in ``engine``."""
    risk = read_frame(engine, RISK_CLASSES_SQL, RISK_CLASSES_SCHEMA)
    disputes = read_frame(engine, DISPUTES_SQL, DISPUTES_SCHEMA)
    return build_history(ledger, currency, risk, disputes)


def build_history(
    ledger: LedgerFrames,
    currency: Currency,
    risk_classes: pl.DataFrame | None = None,
    disputes: pl.DataFrame | None = None,
) -> PaymentHistory:
    """Build the payment history from frames already loaded (risk classes and disputes optional)."""
    risk = risk_classes if risk_classes is not None else pl.DataFrame(schema=RISK_CLASSES_SCHEMA)
    ranked = (
        risk.with_columns(pl.col("new_class").replace_strict(RISK_RANKS, default=None, return_dtype=pl.Int8))
        .select("customer_id", "as_of", pl.col("new_class").alias("risk_rank"))
        .drop_nulls("risk_rank")
        .sort("as_of")
    )
    return PaymentHistory(
        ledger=ledger,
        currency=currency,
        items=_items(ledger, currency),
        risk_classes=ranked,
        disputes=(disputes if disputes is not None else pl.DataFrame(schema=DISPUTES_SCHEMA)).sort(
            "opened_on"
        ),
        customers=ledger.documents.select("customer_id", "customer_code").unique("customer_id"),
    )


def _items(ledger: LedgerFrames, currency: Currency) -> pl.DataFrame:
    if ledger.is_empty:
        return pl.DataFrame(schema=ITEM_SCHEMA)
    view = ledger.prepared.view(currency)
    write_offs = ledger.documents.filter(pl.col("kind") == DocumentKind.WRITE_OFF.value).select(
        pl.col("document_id").alias("source_id")
    )
    written_off = ledger.allocations.join(write_offs, on="source_id", how="semi").select(
        pl.col("target_id").alias("document_id").unique(), pl.lit(True).alias("written_off")
    )
    paid = (pl.col("allocated_minor") == pl.col("amount_minor")) & pl.col("written_off").is_null()
    return (
        view.documents.lazy()
        .filter(pl.col("is_debit"))
        .join(written_off.lazy(), on="document_id", how="left")
        .select(
            "document_id", "customer_id", "document_date", "due_date",
            pl.col("amount_company").alias("amount"),
            pl.col("disputed"),
            pl.when(paid).then(pl.col("last_allocation")).alias("paid_on"),
            pl.col("written_off").fill_null(False),
        )
        .collect()
    )  # fmt: skip
