"""Recommendations about disputes: their causes, and the customers who dispute most.

An item counts as disputed when it is flagged ``disputed`` in the ledger or has a row in the
``disputes`` table. The delay a dispute causes is measured on the items dated in the 12-month
history and settled by ``as_of``: the amount-weighted days from document date to settlement of
disputed items less that of undisputed ones.

- ``dispute_causes``: with dispute reasons recorded, the reasons that point to invoicing errors
  (price, quantity, duplicate, terms) and their share; without, the disputed share alone.
  Expected cash: the disputed credit sales of the period, paid the extra days sooner.
- ``dispute_customers``: customers with ``dispute_items`` or more disputed items and a disputed
  share of ``dispute_share_percent`` or more of their invoiced amount in the history. Expected
  cash: the same rule on the customer's disputed sales of the period.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import polars as pl

from receivables.advisor.context import AdviceContext
from receivables.advisor.recommendation import Recommendation, figure
from receivables.analytics.conversion import to_company_minor
from receivables.domain.advice import cash_from_days
from receivables.domain.dunning.disputes import DisputeReason
from receivables.provisioning.history import debit_documents
from receivables.provisioning.result import money_text

INVOICING_ERRORS = (DisputeReason.PRICE, DisputeReason.QUANTITY, DisputeReason.DUPLICATE, DisputeReason.TERMS)


def disputed_items(context: AdviceContext) -> pl.DataFrame:
    """Return the debit documents dated in the history or the period, with ``company`` amount,
    ``disputed`` (flag or dispute row), ``reason`` (of the latest dispute row, if any),
    ``settled_on`` (last allocation when fully allocated by ``as_of``) and ``in_period``."""
    start = min(context.history_start, context.as_of - timedelta(days=context.period_days))
    debits = debit_documents(context.ledger.documents).filter(
        pl.col("document_date").is_between(start, context.as_of, closed="right")
    )
    allocations = context.ledger.allocations.filter(pl.col("allocation_date") <= context.as_of)
    totals = allocations.group_by("target_id").agg(
        pl.col("amount_minor").sum().alias("allocated"), pl.col("allocation_date").max().alias("last")
    )
    reasons = (
        context.disputes.filter(pl.col("opened_on") <= context.as_of)
        .sort("opened_on")
        .group_by("document_id")
        .last()
        .select("document_id", "reason")
    )
    period_start = context.as_of - timedelta(days=context.period_days - 1)
    return (
        debits.join(totals, left_on="document_id", right_on="target_id", how="left")
        .join(reasons, on="document_id", how="left")
        .with_columns(
            to_company_minor(pl.col("amount_minor"), context.company).alias("company"),
            (pl.col("disputed") | pl.col("reason").is_not_null()).alias("disputed"),
            pl.when(pl.col("allocated") == pl.col("amount_minor")).then(pl.col("last")).alias("settled_on"),
            (pl.col("document_date") >= period_start).alias("in_period"),
            (pl.col("document_date") > context.history_start).alias("in_history"),
        )
    )


def extra_days(items: pl.DataFrame) -> tuple[Decimal | None, Decimal | None]:
    """Amount-weighted days to pay of disputed and of undisputed settled items of the history."""
    settled = items.filter(pl.col("in_history") & pl.col("settled_on").is_not_null()).with_columns(
        (pl.col("settled_on") - pl.col("document_date")).dt.total_days().alias("days")
    )
    result = []
    for disputed in (True, False):
        part = settled.filter(pl.col("disputed") == disputed)
        amount = int(part["company"].sum())
        weighted = int((part["company"].cast(pl.Int128) * part["days"]).sum())
        result.append(Decimal(weighted) / amount if amount > 0 else None)
    return result[0], result[1]


def dispute_recommendations(context: AdviceContext) -> list[Recommendation]:
    """Return the causes recommendation (when disputes slow payment) and the customer ones."""
    items = disputed_items(context)
    disputed_days, undisputed_days = extra_days(items)
    if disputed_days is None or undisputed_days is None or disputed_days <= undisputed_days:
        return []
    delay = disputed_days - undisputed_days
    common = {
        "days_to_pay_disputed": figure(disputed_days),
        "days_to_pay_undisputed": figure(undisputed_days),
        "extra_days": figure(delay),
    }
    return [_causes(context, items, delay, common), *_customers(context, items, delay, common)]


def _causes(
    context: AdviceContext, items: pl.DataFrame, delay: Decimal, common: dict[str, str | None]
) -> Recommendation:
    history = items.filter(pl.col("in_history"))
    disputed = history.filter(pl.col("disputed"))
    invoicing = [reason.value for reason in INVOICING_ERRORS]
    evidence: dict[str, Any] = {
        **common,
        "disputed_items": disputed.height,
        "items": history.height,
        "disputed_share_percent": figure(
            _share(int(disputed["company"].sum()), int(history["company"].sum()))
        ),
    }
    recorded = disputed.filter(pl.col("reason").is_not_null())
    if recorded.height:
        counts = recorded.group_by("reason").agg(pl.len().alias("count")).sort("reason")
        evidence["by_reason"] = dict(counts.iter_rows())
        errors = recorded.filter(pl.col("reason").is_in(invoicing))
        evidence["invoicing_error_share_percent"] = figure(_share(errors.height, recorded.height))
        scope = pl.col("reason").is_in(invoicing)
        measure = "Check invoices for price, quantity, duplicate and terms errors before they go out"
    else:
        evidence["note"] = "no dispute reasons are recorded, only the ledger's disputed flags"
        scope = pl.lit(True)
        measure = "Find and remove the causes of disputes: record a reason with each dispute"
    sales = int(items.filter(pl.col("in_period") & pl.col("disputed") & scope)["company"].sum())
    effect = context.effect(cash_from_days(sales, delay, context.period_days))
    return Recommendation("dispute_causes", measure, effect, evidence)


def _customers(
    context: AdviceContext, items: pl.DataFrame, delay: Decimal, common: dict[str, str | None]
) -> list[Recommendation]:
    policy = context.policy
    per_customer = (
        items.group_by("customer_id")
        .agg(
            pl.col("disputed").filter(pl.col("in_history")).sum().alias("disputed_items"),
            pl.col("company")
            .filter(pl.col("in_history") & pl.col("disputed"))
            .sum()
            .alias("disputed_amount"),
            pl.col("company").filter(pl.col("in_history")).sum().alias("amount"),
            pl.col("company").filter(pl.col("in_period") & pl.col("disputed")).sum().alias("period_disputed"),
        )
        .join(context.attributes.select("customer_id", "customer_code"), on="customer_id")
        .with_columns((pl.col("disputed_amount") * 10_000 // pl.col("amount")).alias("share_hundredths"))
        .filter(
            (pl.col("disputed_items") >= policy.dispute_items)
            & (pl.col("share_hundredths") >= int(policy.dispute_share_percent * 100))
        )
    )
    result = []
    for row in per_customer.iter_rows(named=True):
        evidence = {
            **common,
            "disputed_items": row["disputed_items"],
            "disputed_amount": money_text(row["disputed_amount"], context.company),
            "disputed_share_percent": figure(_share(row["disputed_amount"], row["amount"])),
        }
        cash = cash_from_days(row["period_disputed"], delay, context.period_days)
        measure = f"Agree delivery and invoicing checks with {row['customer_code']}, which disputes often"
        result.append(
            Recommendation(
                "dispute_customers", measure, context.effect(cash), evidence, (row["customer_code"],)
            )
        )
    return result


def _share(part: int, whole: int) -> Decimal | None:
    return Decimal(part) * 100 / whole if whole > 0 else None
