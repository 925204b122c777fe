"""Plain dictionaries of credit results, for JSON output (decimals and dates as strings)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from receivables.credit.check import OrderCheck
from receivables.credit.evaluation import CustomerEvaluation
from receivables.credit.holds import Hold
from receivables.credit.limits import LimitChange
from receivables.domain.credit.limits import LimitRecommendation
from receivables.domain.credit.trend import FinancialEvaluation
from receivables.domain.money import Money


def text(value: Decimal | Money | None) -> str | None:
    if value is None:
        return None
    return str(value.amount if isinstance(value, Money) else value)


def financial_dict(financial: FinancialEvaluation | None) -> dict[str, Any] | None:
    if financial is None:
        return None
    altman = financial.altman
    trend = financial.trend
    return {
        "fiscal_year": financial.statement.fiscal_year,
        "period_end": financial.statement.period_end.isoformat(),
        "currency": financial.statement.currency.code,
        "stale": financial.stale,
        "ratios": {name: text(ratio.value) for name, ratio in financial.ratios.items()},
        "ratio_notes": {name: ratio.note for name, ratio in financial.ratios.items() if ratio.note},
        "altman": {
            "model": altman.model.value,
            "score": text(altman.score),
            "zone": altman.zone.value if altman.zone else None,
            "components": {name: text(value) for name, value in altman.components.items()},
        },
        "trend": None
        if trend is None
        else {
            "previous_year": trend.previous_year,
            "years_apart": trend.years_apart,
            "sales_growth_percent": text(trend.sales_growth_percent),
            "z_change": text(trend.z_change),
            "previous_zone": trend.previous_zone,
            "zone_dropped": trend.zone_dropped,
        },
        "notes": financial.notes,
    }


def evaluation_dict(evaluation: CustomerEvaluation) -> dict[str, Any]:
    """Return the score, class, factors that moved it, sources and the three evaluations."""
    score = evaluation.score
    behaviour = evaluation.behaviour
    bureau = evaluation.bureau
    return {
        "customer": evaluation.customer_code,
        "as_of": evaluation.as_of.isoformat(),
        "score": text(score.score),
        "risk_class": score.risk_class.value,
        "score_class": score.score_class.value,
        "knockout": score.knockout,
        "factors": [
            {
                "source": f.source.value,
                "name": f.name,
                "value": text(f.value),
                "points": f.points,
                "contribution": text(f.contribution),
            }
            for f in score.moved_by()
        ],
        "sources": [
            {
                "source": s.source.value,
                "available": s.available,
                "sub_score": s.sub_score,
                "weight_percent": text(s.weight_percent),
                "note": s.note,
            }
            for s in score.sources
        ],
        "behaviour": {
            "items": behaviour.items,
            "weighted_days_late": text(behaviour.weighted_days_late),
            "late_share_percent": text(behaviour.late_share_percent),
            "max_days_late": behaviour.max_days_late,
            "disputed_share_percent": text(behaviour.disputed_share_percent),
            "broken_promises": behaviour.broken_promises,
            "trends": [
                {
                    "months": t.months,
                    "recent": text(t.recent),
                    "prior": text(t.prior),
                    "change": text(t.change),
                }
                for t in behaviour.trends
            ],
        },
        "financial": financial_dict(evaluation.financial),
        "bureau": {
            "score": text(bureau.score),
            "stale": bureau.stale,
            "provider": bureau.report.provider if bureau.report else None,
            "report_date": bureau.report.report_date.isoformat() if bureau.report else None,
            "events": {kind.value: count for kind, count in bureau.events.items()},
            "notes": bureau.notes,
        },
    }


def recommendation_dict(
    evaluation: CustomerEvaluation, recommendation: LimitRecommendation
) -> dict[str, Any]:
    return {
        "customer": evaluation.customer_code,
        "as_of": evaluation.as_of.isoformat(),
        "risk_class": evaluation.score.risk_class.value,
        "recommended_limit": text(recommendation.amount),
        "binding_method": recommendation.binding.value if recommendation.binding else None,
        "methods": [
            {
                "method": r.method.value,
                "amount": text(r.amount),
                "applies": r.amount is not None,
                "basis": r.basis,
            }
            for r in recommendation.methods
        ],
    }


def check_dict(check: OrderCheck) -> dict[str, Any]:
    result = check.result
    return {
        "customer": check.customer_code,
        "as_of": check.as_of.isoformat(),
        "decision": result.decision.value,
        "reasons": [reason.value for reason in result.reasons],
        "order": text(check.order_in_currency),
        "order_currency": check.order_in_currency.currency.code,
        "order_in_company_currency": text(result.order),
        "currency": result.order.currency.code,
        "exposure": text(result.exposure.total),
        "exposure_parts": result.exposure.to_dict(),
        "credit_limit": text(result.credit_limit),
        "limit_approved": result.limit_approved,
        "available": text(result.available),
        "risk_class": result.risk_class.value,
        "risk_class_source": check.class_source,
        "deposit_required": text(result.deposit),
    }


def limit_change_dict(change: LimitChange) -> dict[str, Any]:
    return {
        "amount": text(change.amount),
        "currency": change.amount.currency.code,
        "effective_date": change.effective_date.isoformat(),
        "review_date": change.review_date.isoformat(),
        "reason": change.reason,
        "approved_by": change.approved_by,
        "recommended": text(change.recommended),
        "binding_method": change.binding_method,
    }


def hold_dict(hold: Hold) -> dict[str, Any]:
    return {
        "customer": hold.customer_code,
        "placed_at": hold.placed_at.isoformat(),
        "placed_by": hold.placed_by,
        "reason": hold.reason,
        "released_at": hold.released_at.isoformat() if hold.released_at else None,
        "released_by": hold.released_by,
        "release_reason": hold.release_reason,
    }
