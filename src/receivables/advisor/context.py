"""The inputs of the advice as of a date, loaded once and shared by every recommendation.

Per customer (``customers``): the period's credit sales and open amounts (from the analytics'
customer totals), the payment behaviour of the 12-month history (weighted days late, late
share, the 3-month trend, in hundredths, from :func:`receivables.credit.batch_behaviour.behaviour_frame`),
the usual term in days (the median of due date less document date of its debit documents in the
history), the overdue open amount and the loss allowance of the provision matrix.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import polars as pl
from sqlalchemy import Engine

from receivables.analytics import LedgerFrames
from receivables.credit.batch_behaviour import behaviour_frame
from receivables.credit.orders import ORDERS_SCHEMA, ORDERS_SQL, order_totals_frame
from receivables.domain.advice import AdvicePolicy, Effect, effect_of_cash
from receivables.domain.credit.dates import add_months
from receivables.domain.documents import DEBIT_KINDS
from receivables.domain.metrics import dso_simple
from receivables.domain.money import Currency
from receivables.provisioning import ProvisionInputs, ProvisionResult, compute_provision
from receivables.scenarios.baseline import Baseline, baseline_figures
from receivables.storage.frames import read_frame

HISTORY_MONTHS = 12
DEBIT = [kind.value for kind in DEBIT_KINDS]

DISPUTES_SQL = "SELECT document_id, customer_id, reason, amount_minor, currency, opened_on FROM disputes"
DISPUTES_SCHEMA: dict[str, pl.DataType] = {
    "document_id": pl.Int64(), "customer_id": pl.Int64(), "reason": pl.String(),
    "amount_minor": pl.Int64(), "currency": pl.String(), "opened_on": pl.Date(),
}  # fmt: skip
NOTICES_SQL = (
    "SELECT n.id AS notice_id, n.level, n.level_name, n.channel, n.notice_date, n.status, "
    "i.document_id, i.open_minor, i.open_company_minor FROM dunning_notices n "
    "JOIN dunning_notice_items i ON i.notice_id = n.id"
)
NOTICES_SCHEMA: dict[str, pl.DataType] = {
    "notice_id": pl.Int64(), "level": pl.Int64(), "level_name": pl.String(), "channel": pl.String(),
    "notice_date": pl.Date(), "status": pl.String(), "document_id": pl.Int64(), "open_minor": pl.Int64(),
    "open_company_minor": pl.Int64(),
}  # fmt: skip
CLASS_CHANGES_SQL = "SELECT customer_id, as_of, old_class, new_class FROM risk_class_changes"
CLASS_CHANGES_SCHEMA: dict[str, pl.DataType] = {
    "customer_id": pl.Int64(), "as_of": pl.Date(), "old_class": pl.String(), "new_class": pl.String(),
}  # fmt: skip


@dataclass(frozen=True)
class AdviceContext:
    """Everything the recommendations read, as of ``as_of``, amounts in company minor units."""

    as_of: date
    company: Currency
    policy: AdvicePolicy
    period_days: int
    ledger: LedgerFrames
    attributes: pl.DataFrame
    baseline: Baseline
    customers: pl.DataFrame
    provision: ProvisionResult
    disputes: pl.DataFrame
    notices: pl.DataFrame
    class_changes: pl.DataFrame
    delivered: pl.DataFrame
    """Delivered, not yet invoiced orders per customer (:func:`delivered_orders`)."""

    @property
    def history_start(self) -> date:
        return add_months(self.as_of, -HISTORY_MONTHS)

    @property
    def dso(self) -> Decimal | None:
        """The exact simple DSO of the period: open receivables / credit sales * period days."""
        sales = self.baseline.sales_minor
        if sales <= 0:
            return None
        return dso_simple(Decimal(self.baseline.open_minor), Decimal(sales), self.period_days)

    def effect(self, cash_minor: int) -> Effect:
        return effect_of_cash(cash_minor, self.baseline.sales_minor, self.period_days, self.dso)


def load_context(
    engine: Engine,
    ledger: LedgerFrames,
    attributes: pl.DataFrame,
    provision_inputs: ProvisionInputs,
    policy: AdvicePolicy,
    period_days: int,
) -> AdviceContext:
    """Compute the baseline, behaviour and allowance, and read disputes, notices and class changes."""
    as_of, company = provision_inputs.as_of, provision_inputs.company
    baseline = baseline_figures(ledger, as_of, period_days, company)
    provision = compute_provision(ledger, attributes, provision_inputs)
    customers = customer_table(ledger, attributes, baseline, provision, as_of, company)
    return AdviceContext(
        as_of, company, policy, period_days, ledger, attributes, baseline, customers, provision,
        read_frame(engine, DISPUTES_SQL, DISPUTES_SCHEMA),
        read_frame(engine, NOTICES_SQL, NOTICES_SCHEMA),
        read_frame(engine, CLASS_CHANGES_SQL, CLASS_CHANGES_SCHEMA),
        delivered_orders(engine, as_of, company),
    )  # fmt: skip


def customer_table(
    ledger: LedgerFrames,
    attributes: pl.DataFrame,
    baseline: Baseline,
    provision: ProvisionResult,
    as_of: date,
    company: Currency,
) -> pl.DataFrame:
    """Return one row per customer with its figures, behaviour, usual term and allowance."""
    behaviour = behaviour_frame(ledger.documents, ledger.allocations, as_of, HISTORY_MONTHS, company)
    start = add_months(as_of, -HISTORY_MONTHS)
    terms = (
        ledger.documents.filter(
            pl.col("kind").is_in(DEBIT) & pl.col("document_date").is_between(start, as_of, closed="right")
        )
        .group_by("customer_id")
        .agg((pl.col("due_date") - pl.col("document_date")).dt.total_days().median().alias("term_days"))
    )
    items = provision.items
    overdue = items.group_by("customer_id").agg(
        pl.col("open").filter(pl.col("days_past_due") > 0).sum().alias("overdue"),
        pl.col("allowance").sum().alias("allowance"),
    )
    return (
        attributes.join(baseline.customers, on="customer_id", how="left")
        .join(behaviour, on="customer_id", how="left")
        .join(terms, on="customer_id", how="left")
        .join(overdue, on="customer_id", how="left")
        .with_columns(
            pl.col("credit_sales", "total_open", "disputed_open", "overdue", "allowance").fill_null(0),
            pl.col("items").fill_null(0),
            pl.col("term_days").round(0).cast(pl.Int64),
        )
        .sort("customer_code")
    )


DELIVERED = "delivered"


def delivered_orders(engine: Engine, as_of: date, company: Currency) -> pl.DataFrame:
    """Return per customer: ``delivered_not_invoiced`` (company minor units), ``orders`` and ``oldest``."""
    rows = (
        read_frame(engine, ORDERS_SQL, ORDERS_SCHEMA)
        .filter((pl.col("stage") == DELIVERED) & (pl.col("order_date") <= as_of))
        .group_by("customer_id")
        .agg(pl.len().alias("orders"), pl.col("order_date").min().alias("oldest"))
    )
    if rows.is_empty():
        return rows.with_columns(pl.lit(0, pl.Int64).alias("delivered_not_invoiced"))
    amounts = order_totals_frame(engine, as_of, company).select("customer_id", "delivered_not_invoiced")
    return rows.join(amounts, on="customer_id", how="left")
