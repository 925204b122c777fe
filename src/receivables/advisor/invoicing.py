"""Recommendations about invoicing: deliveries that are still waiting for their invoice.

The credit tables keep, per sales order, the part delivered but not yet invoiced (stage
``delivered``, imported with ``receivables credit import``). Its payment term only starts with
the invoice, so every day it waits delays its cash by a day. Expected cash: the delivered amount
in the company currency (:func:`receivables.advisor.context.delivered_orders`), brought forward
by as many days as it waits. No DSO effect is claimed, because it is not a receivable yet.

NOTE: orders carry their order date, not a delivery date, so the days since the order are an
upper bound of the days since delivery.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from receivables.advisor.context import AdviceContext
from receivables.advisor.recommendation import Recommendation
from receivables.domain.advice import Effect
from receivables.provisioning.result import money_text


def invoicing_recommendations(context: AdviceContext) -> list[Recommendation]:
    delivered = context.delivered.filter(pl.col("delivered_not_invoiced") > 0)
    if delivered.is_empty():
        return []
    amount = int(delivered["delivered_not_invoiced"].sum())
    orders = int(delivered["orders"].sum())
    oldest = delivered["oldest"].min()
    assert isinstance(oldest, date)
    codes = (
        delivered.join(context.attributes.select("customer_id", "customer_code"), on="customer_id")
        .sort("delivered_not_invoiced", descending=True)["customer_code"]
        .to_list()
    )
    evidence = {
        "delivered_orders": orders,
        "customers": delivered.height,
        "delivered_not_invoiced": money_text(amount, context.company),
        "oldest_order_date": oldest.isoformat(),
        "days_since_oldest_order": (context.as_of - oldest).days,
    }
    measure = f"Invoice the {orders} delivered orders now: their payment terms start only with the invoice"
    return [
        Recommendation(
            "unbilled_deliveries", measure, Effect(amount, None, None, None), evidence, tuple(codes)
        )
    ]
