"""Recommendations and expected credit loss as JSON, as ``receivables advise`` and ``ecl`` give them.

The routes load the ledger and call the advisor and the provision matrix with the options of the
command line, so the numbers are the same as in the terminal and the HTML report.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from receivables.advisor import AdviceOptions, build_advice
from receivables.advisor.discounts import DiscountOffer, parse_offer
from receivables.analytics import AnalyticsError, LedgerFrames, load_ledger
from receivables.api.common import AsOfQuery, CompanyDep, EngineDep, TodayDep
from receivables.auth import Access, Principal
from receivables.domain.advice import AdvicePolicy
from receivables.domain.errors import ReceivablesError
from receivables.domain.provisioning import ProvisionMethod
from receivables.provisioning import ProvisionInputs, compute_provision, customer_attributes
from receivables.provisioning.allowance import SegmentBy
from receivables.service.dependencies import allow, get_settings
from receivables.service.errors import ApiError, invalid

router = APIRouter(tags=["advice"])
Reader = Annotated[Principal, Depends(allow(Access.READ_FORECASTS))]
Fraction = Query(ge=0, le=1)


def _ledger(engine: EngineDep, company: CompanyDep) -> LedgerFrames:
    ledger = load_ledger(engine, company)
    if ledger.is_empty:
        raise ApiError(409, "empty_ledger", "the ledger has no documents: import a ledger first")
    return ledger


@router.get("/recommendations", operation_id="list_recommendations")
def list_recommendations(
    request: Request,
    engine: EngineDep,
    today: TodayDep,
    company: CompanyDep,
    principal: Reader,
    as_of: AsOfQuery = None,
    period_days: Annotated[int | None, Query(ge=1, le=3660, description="Default from the settings.")] = None,
    discount_offer: Annotated[
        str, Query(max_length=64, description="The early-payment discount to test, such as 2/10 net30.")
    ] = "2/10 net30",
    cost_of_capital: Annotated[Decimal, Fraction] = Decimal("0.08"),
    take_up: Annotated[Decimal, Fraction] = Decimal("0.5"),
    late_days: Annotated[int, Query(ge=1, le=365, description="Days late that warrant shorter terms.")] = 15,
    top: Annotated[int, Query(ge=1, le=100, description="Recommendations per kind, largest first.")] = 10,
) -> dict[str, Any]:
    """List the measures that raise turnover or cut risk, with their evidence and expected effect.

    The keys are those of ``receivables advise --format json`` (``docs/advisor.md``).
    """
    try:
        tier, net_days = parse_offer(discount_offer)
    except ReceivablesError as error:
        raise invalid("discount_offer", str(error)) from error
    options = AdviceOptions(
        AdvicePolicy(late_days=late_days, top=top),
        DiscountOffer(tier, net_days, discount_offer, cost_of_capital * 100, take_up),
        period_days or get_settings(request).settings.period_days,
    )
    try:
        advice = build_advice(
            engine,
            _ledger(engine, company),
            customer_attributes(engine),
            ProvisionInputs(as_of or today, company),
            options,
        )
    except (ReceivablesError, AnalyticsError) as error:
        raise ApiError(409, "not_computable", str(error)) from error
    return advice.to_dict()


@router.get("/expected-credit-loss", operation_id="get_expected_credit_loss")
def get_expected_credit_loss(
    engine: EngineDep,
    today: TodayDep,
    company: CompanyDep,
    principal: Reader,
    as_of: AsOfQuery = None,
    method: Annotated[
        ProvisionMethod, Query(description="Loss rates or roll rates.")
    ] = ProvisionMethod.LOSS_RATE,
    segment_by: Annotated[
        SegmentBy, Query(description="The customer attribute of the rows.")
    ] = SegmentBy.SEGMENT,
    top: Annotated[int, Query(ge=0, le=1000, description="Customers with the largest allowance.")] = 20,
) -> dict[str, Any]:
    """Return the provision matrix by aging bucket and segment and the loss allowance.

    The keys are those of ``receivables ecl --format json`` with the default buckets and window
    and no forward-looking adjustment (``docs/advisor.md``).
    """
    try:
        provision = compute_provision(
            _ledger(engine, company),
            customer_attributes(engine),
            ProvisionInputs(as_of or today, company, method=method, segment_by=segment_by),
        )
    except (ReceivablesError, AnalyticsError) as error:
        raise ApiError(409, "not_computable", str(error)) from error
    result: dict[str, Any] = provision.to_dict(top=top)
    return result
