"""The advice of an as-of date: every recommendation with its evidence, ordered by effect.

Recommendations are ordered by expected cash, largest first, then by kind and measure, and at
most ``policy.top`` are kept per kind. Concerns the data cannot cover are listed under
``not_computed`` with the reason, never left out in silence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl
from sqlalchemy import Engine

from receivables.advisor.collections import dunning_recommendations, response_rates
from receivables.advisor.context import AdviceContext, load_context
from receivables.advisor.customers import (
    concentration_recommendations,
    deteriorating_recommendations,
    terms_recommendations,
)
from receivables.advisor.discounts import DiscountOffer, discount_recommendations
from receivables.advisor.disputes import dispute_recommendations
from receivables.advisor.invoicing import invoicing_recommendations
from receivables.advisor.recommendation import Recommendation, figure
from receivables.analytics import LedgerFrames
from receivables.domain.advice import YEAR_DAYS, AdvicePolicy
from receivables.domain.discounts import DiscountTier
from receivables.provisioning import ProvisionInputs
from receivables.provisioning.result import money_text

# NOTE: the ledger has no delivery date, so the lag from delivery to invoice cannot be measured;
# only deliveries still waiting for their invoice are found (see :mod:`.invoicing`).
INVOICING_LAG_REASON = (
    "the ledger records no delivery dates, only document and due dates, so how long after delivery "
    "past invoices were issued cannot be measured; only delivered orders not yet invoiced are listed"
)


@dataclass(frozen=True)
class AdviceOptions:
    """The policy thresholds, the discount offer to test and the sales period of the effects."""

    policy: AdvicePolicy = field(default_factory=AdvicePolicy)
    offer: DiscountOffer = field(
        default_factory=lambda: DiscountOffer(DiscountTier.of("2", 10), 30, "2/10 net30")
    )
    period_days: int = 90


@dataclass(frozen=True)
class Advice:
    context: AdviceContext
    recommendations: list[Recommendation]
    not_computed: list[dict[str, str]]
    dunning_responses: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        context = self.context
        company = context.company
        dso = context.dso
        return {
            "as_of": context.as_of.isoformat(),
            "currency": company.code,
            "period_days": context.period_days,
            "summary": {
                "receivables": money_text(context.baseline.open_minor, company),
                "credit_sales": money_text(context.baseline.sales_minor, company),
                "dso": figure(dso),
                "turnover": figure(YEAR_DAYS / dso) if dso else None,
                "loss_allowance": money_text(context.provision.allowance_minor, company),
            },
            "recommendations": [item.to_dict(company) for item in self.recommendations],
            "not_computed": self.not_computed,
            "dunning_response_rates": self.dunning_responses,
        }


def build_advice(
    engine: Engine,
    ledger: LedgerFrames,
    attributes: pl.DataFrame,
    provision_inputs: ProvisionInputs,
    options: AdviceOptions,
) -> Advice:
    """Compute every recommendation as of ``provision_inputs.as_of`` and order them by effect."""
    context = load_context(engine, ledger, attributes, provision_inputs, options.policy, options.period_days)
    dunning, dunning_gap = dunning_recommendations(context)
    found = [
        *terms_recommendations(context),
        *deteriorating_recommendations(context),
        *concentration_recommendations(context),
        *dispute_recommendations(context),
        *discount_recommendations(context, options.offer),
        *dunning,
        *invoicing_recommendations(context),
    ]
    not_computed = [{"kind": "invoicing_lag", "reason": INVOICING_LAG_REASON}]
    if dunning_gap is not None:
        not_computed.append({"kind": "dunning", "reason": dunning_gap})
    return Advice(context, ordered(found, options.policy.top), not_computed, response_rates(context))


def ordered(recommendations: list[Recommendation], top: int) -> list[Recommendation]:
    """Sort by expected cash, largest first, and keep the ``top`` largest of each kind."""
    ranked = sorted(recommendations, key=lambda item: (-item.effect.cash_minor, item.kind, item.measure))
    kept: dict[str, int] = {}
    result = []
    for item in ranked:
        kept[item.kind] = kept.get(item.kind, 0) + 1
        if kept[item.kind] <= top:
            result.append(item)
    return result
