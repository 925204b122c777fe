"""Recommendations about single customers and the customer mix.

- ``terms``: a customer with at least ``minimum_items`` items due in the history and weighted
  days late of ``late_days`` or more gets terms shorter by its days late (at most its usual
  term). Expected cash: its period sales paid that many days sooner. When it also pays
  ``segment_gap_days`` later than the median customer of its segment, the measure adds a move
  to a stricter segment.
- ``deteriorating``: weighted days late of the last 3 months ``worsening_days`` or more above
  the months before, or a risk class worse than the one before it, set in the history. Expected
  cash: its overdue open amount, collected now.
- ``concentration``: the largest customer above ``largest_share_percent`` of the receivables
  or the five largest above ``top5_share_percent``. Expected cash: the receivables above a cap
  of ``largest_share_percent`` per customer, taken off by limits or credit insurance.
"""

from __future__ import annotations

from decimal import Decimal

import polars as pl

from receivables.advisor.context import AdviceContext
from receivables.advisor.recommendation import Recommendation, figure, hundredths
from receivables.domain.advice import Effect, cash_from_days, herfindahl_index, shorter_terms_days
from receivables.provisioning.result import money_text


def terms_recommendations(context: AdviceContext) -> list[Recommendation]:
    policy = context.policy
    customers = context.customers.with_columns(
        pl.col("weighted_days_late").median().over("segment").alias("segment_median")
    )
    late = customers.filter(
        (pl.col("items") >= policy.minimum_items)
        & (pl.col("weighted_days_late") >= policy.late_days * 100)
        & (pl.col("credit_sales") > 0)
    )
    result = []
    for row in late.iter_rows(named=True):
        days = shorter_terms_days(Decimal(row["weighted_days_late"]) / 100, row["term_days"])
        if days < 1:
            continue
        gap = row["weighted_days_late"] - (row["segment_median"] or 0)
        measure = f"Shorten the payment terms of {row['customer_code']} by {days} days"
        if row["term_days"] is not None:
            measure += f", from {row['term_days']} to {row['term_days'] - days}"
        if gap >= policy.segment_gap_days * 100:
            measure += f", or move it from segment {row['segment'] or 'unassigned'} to a stricter one"
        cash = cash_from_days(row["credit_sales"], days, context.period_days)
        evidence = {
            "weighted_days_late": hundredths(row["weighted_days_late"]),
            "late_share_percent": hundredths(row["late_share_percent"]),
            "items_due": row["items"],
            "usual_term_days": row["term_days"],
            "segment": row["segment"],
            "segment_median_days_late": hundredths(row["segment_median"]),
            "credit_sales": money_text(row["credit_sales"], context.company),
            "open": money_text(row["total_open"], context.company),
        }
        result.append(
            Recommendation("terms", measure, context.effect(cash), evidence, (row["customer_code"],))
        )
    return result


def deteriorating_recommendations(context: AdviceContext) -> list[Recommendation]:
    policy = context.policy
    changes = context.class_changes.filter(
        (pl.col("as_of") > context.history_start)
        & (pl.col("as_of") <= context.as_of)
        & pl.col("old_class").is_not_null()
        & (pl.col("new_class") > pl.col("old_class"))
    )
    latest = changes.sort("as_of").group_by("customer_id").last()
    customers = context.customers.join(
        latest.select("customer_id", "old_class", "new_class", pl.col("as_of").alias("class_changed_on")),
        on="customer_id",
        how="left",
    )
    worse = customers.filter(
        (pl.col("trend_3") >= policy.worsening_days * 100).fill_null(False)
        | pl.col("new_class").is_not_null()
    )
    result = []
    for row in worse.iter_rows(named=True):
        evidence = {
            "recent_3_months_days_late": hundredths(row["recent_3"]),
            "prior_days_late": hundredths(row["prior_3"]),
            "change_days": hundredths(row["trend_3"]),
            "risk_class_change": f"{row['old_class']} -> {row['new_class']}" if row["new_class"] else None,
            "overdue": money_text(row["overdue"], context.company),
            "open": money_text(row["total_open"], context.company),
            "loss_allowance": money_text(row["allowance"], context.company),
        }
        measure = f"Review the credit limit of {row['customer_code']}"
        if row["overdue"] > 0:
            measure += " and collect its overdue items now"
        effect = context.effect(int(row["overdue"]))
        result.append(Recommendation("deteriorating", measure, effect, evidence, (row["customer_code"],)))
    return result


def concentration_recommendations(context: AdviceContext) -> list[Recommendation]:
    policy = context.policy
    ranked = context.customers.filter(pl.col("total_open") > 0).sort(
        ["total_open", "customer_code"], descending=[True, False]
    )
    total = int(ranked["total_open"].sum())
    if total <= 0:
        return []
    amounts = [int(value) for value in ranked["total_open"]]
    largest = Decimal(amounts[0]) * 100 / total
    top5 = Decimal(sum(amounts[:5])) * 100 / total
    if largest <= policy.largest_share_percent and top5 <= policy.top5_share_percent:
        return []
    cap = int(Decimal(total) * policy.largest_share_percent / 100)
    above = ranked.filter(pl.col("total_open") > cap)
    excess = int((above["total_open"] - cap).sum())
    evidence = {
        "receivables": money_text(total, context.company),
        "largest_share_percent": figure(largest),
        "top5_share_percent": figure(top5),
        "top10_share_percent": figure(Decimal(sum(amounts[:10])) * 100 / total),
        "herfindahl_index": figure(herfindahl_index(amounts)),
        "cap_per_customer": money_text(cap, context.company),
        "customers_above_cap": above.height,
    }
    codes = tuple(ranked["customer_code"].head(5).to_list())
    measure = (
        f"Cap each customer's receivables at {figure(policy.largest_share_percent)} % of the total "
        "by limits or credit insurance"
    )
    # Capping exposure takes risk off but need not speed up payment, so no DSO effect is claimed.
    return [Recommendation("concentration", measure, Effect(excess, None, None, None), evidence, codes)]
