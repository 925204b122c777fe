"""Credit: the order check, scores, limit recommendations, limit approvals and holds.

The routes call the functions ``receivables credit`` calls, with the signed-in user as the
acting user, so the credit rules and the credit audit trail are the same as on the command line.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from receivables.api.common import (
    AsOfQuery,
    CapabilitiesDep,
    CompanyDep,
    EngineDep,
    TodayDep,
    parse_money,
    read_company_currency,
)
from receivables.api.events import announce_hold
from receivables.api.visibility import customer_id_for
from receivables.auth import Access, Principal
from receivables.credit.check import check_customer_order
from receivables.credit.evaluation import evaluate_customer
from receivables.credit.holds import place_hold, release_hold
from receivables.credit.limits import approve_limit, limit_history, recommend
from receivables.credit.serialize import (
    check_dict,
    evaluation_dict,
    hold_dict,
    limit_change_dict,
    recommendation_dict,
)
from receivables.domain.credit.roles import Action
from receivables.domain.money import Currency
from receivables.service.dependencies import READ_ONLY, SettingsDep, allow
from receivables.service.errors import invalid

router = APIRouter(tags=["credit"])


class OrderCheckRequest(BaseModel):
    customer: str = Field(min_length=1, max_length=64, description="Customer code.")
    amount: str = Field(description="Amount of the new order as a decimal string, such as 12500.00.")
    currency: str | None = Field(
        None, min_length=3, max_length=3, description="ISO 4217 code; default the company currency."
    )
    rate: Decimal | None = Field(
        None, gt=0, description="Company-currency units per unit of currency; default the stored rate."
    )
    as_of: date | None = None


@router.post("/credit/order-checks", operation_id="check_order", openapi_extra={READ_ONLY: True})
def check_order(
    body: OrderCheckRequest,
    engine: EngineDep,
    settings: SettingsDep,
    today: TodayDep,
    capabilities: CapabilitiesDep,
    principal: Annotated[Principal, Depends(allow(Access.CHECK_ORDER))],
) -> JSONResponse:
    """Decide whether a new order may go ahead on credit: approve or hold, with the reasons.

    The check changes nothing, so it needs no idempotency key.
    """
    day = body.as_of or today
    # Integrations call this route most, so it reads the company currency on its own connection:
    # ``CompanyDep``, a sync dependency, would cost another thread hop and another pool checkout.
    with engine.connect() as connection:
        company = read_company_currency(connection, settings)
        try:
            currency = Currency.of(body.currency) if body.currency else company
        except ValueError as error:
            raise invalid("currency", str(error)) from error
        order = parse_money(body.amount, currency, "amount")
        customer_id_for(connection, principal, body.customer)
        check = check_customer_order(
            connection, body.customer, order, day, company, capabilities.credit.policy, body.rate
        )
    # FastAPI sends a Response unchanged. A returned dict it would validate against the return
    # annotation in the thread pool (another thread hop) and walk with jsonable_encoder, although
    # check_dict returns only JSON types: strings, None, booleans, and lists and dicts of strings.
    return JSONResponse(check_dict(check))


@router.get("/customers/{code}/credit", operation_id="get_credit_evaluation")
def get_credit_evaluation(
    code: str,
    engine: EngineDep,
    today: TodayDep,
    company: CompanyDep,
    capabilities: CapabilitiesDep,
    principal: Annotated[Principal, Depends(allow(Access.READ_LEDGER))],
    as_of: AsOfQuery = None,
) -> dict[str, Any]:
    """Evaluate a customer: the score, the risk class and the factors that moved it."""
    with engine.connect() as connection:
        customer_id_for(connection, principal, code)
        evaluation = evaluate_customer(connection, code, (as_of or today), company, capabilities.credit)
    return evaluation_dict(evaluation)


@router.get("/customers/{code}/credit/recommendation", operation_id="get_limit_recommendation")
def get_limit_recommendation(
    code: str,
    engine: EngineDep,
    today: TodayDep,
    company: CompanyDep,
    capabilities: CapabilitiesDep,
    principal: Annotated[Principal, Depends(allow(Access.READ_REPORTS))],
    as_of: AsOfQuery = None,
) -> dict[str, Any]:
    """Recommend a credit limit by every method, and name the one that binds."""
    with engine.connect() as connection:
        customer_id_for(connection, principal, code)
    evaluation, recommendation = recommend(engine, code, (as_of or today), company, capabilities.credit)
    return recommendation_dict(evaluation, recommendation)


@router.get("/customers/{code}/credit/limits", operation_id="list_credit_limits")
def list_credit_limits(
    code: str, engine: EngineDep, principal: Annotated[Principal, Depends(allow(Access.READ_LEDGER))]
) -> dict[str, Any]:
    """List every approval of the customer's credit limit, oldest first."""
    with engine.connect() as connection:
        customer_id_for(connection, principal, code)
    return {
        "customer": code,
        "history": [limit_change_dict(change) for change in limit_history(engine, code)],
    }


class LimitApproval(BaseModel):
    amount: str = Field(description="The approved limit in the company currency, such as 50000.00.")
    reason: str = Field(min_length=1, max_length=500)
    review_date: date | None = Field(None, description="When to review the limit; default by the risk class.")
    as_of: date | None = None


@router.post("/customers/{code}/credit/limits", operation_id="approve_credit_limit", status_code=201)
def approve_credit_limit(
    code: str,
    body: LimitApproval,
    engine: EngineDep,
    today: TodayDep,
    company: CompanyDep,
    capabilities: CapabilitiesDep,
    principal: Annotated[Principal, Depends(allow(Action.APPROVE_LIMIT))],
) -> dict[str, Any]:
    """Approve the customer's credit limit; it takes effect at once and is kept in the history."""
    limit = parse_money(body.amount, company, "amount")
    day = body.as_of or today
    if body.review_date is not None and body.review_date <= day:
        raise invalid("review_date", f"{body.review_date} must be after {day}")
    change = approve_limit(
        engine, code, limit, body.reason, principal.name, day, company, capabilities.credit, body.review_date
    )
    return {"customer": code, **limit_change_dict(change)}


class HoldRequest(BaseModel):
    reason: str = Field(
        min_length=1, max_length=500, description="Why, in a few words; kept in the audit trail."
    )


@router.post("/customers/{code}/credit/hold", operation_id="place_credit_hold", status_code=201)
def place_credit_hold(
    code: str,
    body: HoldRequest,
    engine: EngineDep,
    principal: Annotated[Principal, Depends(allow(Action.PLACE_HOLD))],
) -> dict[str, Any]:
    """Put the customer on credit hold; 409 when it already is. Announces ``customer.on_hold``."""
    with engine.connect() as connection:
        customer_id_for(connection, principal, code)
    hold = place_hold(engine, code, body.reason, principal.name)
    values = hold_dict(hold)
    announce_hold(engine, values)
    return values


@router.post("/customers/{code}/credit/release", operation_id="release_credit_hold")
def release_credit_hold(
    code: str,
    body: HoldRequest,
    engine: EngineDep,
    principal: Annotated[Principal, Depends(allow(Action.RELEASE_HOLD))],
) -> dict[str, Any]:
    """Release the customer's credit hold; 409 when it is not on hold."""
    with engine.connect() as connection:
        customer_id_for(connection, principal, code)
    return hold_dict(release_hold(engine, code, body.reason, principal.name))
