"""Reports as JSON: every metric of ``receivables report``, and the weekly cash forecast."""

from __future__ import annotations

import dataclasses
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from receivables.analytics import compute_report, load_ledger
from receivables.api.common import AsOfQuery, CompanyDep, EngineDep, TodayDep, money_text
from receivables.api.visibility import customer_id_for
from receivables.auth import Access, Principal
from receivables.domain.aging import AgingBasis, AgingBuckets, InvalidBucketsError
from receivables.prediction.api import predict_open_items, weekly_forecast
from receivables.service.dependencies import allow, get_settings
from receivables.service.errors import invalid
from receivables.services.report_sections import build_sections

router = APIRouter(tags=["reports"])
Reader = Annotated[Principal, Depends(allow(Access.READ_REPORTS))]


class AgingBy(StrEnum):
    due_date = "due_date"
    document_date = "document_date"


@router.get("/reports/receivables", operation_id="get_receivables_report")
def get_receivables_report(
    request: Request,
    engine: EngineDep,
    today: TodayDep,
    company: CompanyDep,
    principal: Reader,
    as_of: AsOfQuery = None,
    period_days: Annotated[int | None, Query(ge=1, le=3660, description="Default from the settings.")] = None,
    buckets: Annotated[
        str | None, Query(description="Upper bucket edges in days, such as 0,30,60,90.")
    ] = None,
    by: AgingBy = AgingBy.due_date,
    customer: Annotated[str | None, Query(max_length=64, description="Report on one customer.")] = None,
    top: Annotated[int, Query(ge=0, le=1000)] = 10,
) -> dict[str, Any]:
    """Return aging, DSO, CEI, turnover, days to pay, top overdue customers, the trend and sections.

    The keys and formats are those of ``receivables report --format json`` (``docs/metrics.md``).
    """
    settings = get_settings(request).settings
    basis = AgingBasis.DUE_DATE if by is AgingBy.due_date else AgingBasis.DOCUMENT_DATE
    try:
        aging = AgingBuckets.parse(buckets or settings.aging_buckets, basis)
    except InvalidBucketsError as error:
        raise invalid("buckets", str(error)) from error
    if customer is not None:
        with engine.connect() as connection:
            customer_id_for(connection, principal, customer)
    report = compute_report(
        load_ledger(engine, company),
        as_of=(as_of or today),
        period_days=period_days or settings.period_days,
        buckets=aging,
        company_currency=company,
        customer_code=customer,
        top=top,
    )
    if customer is None:
        report = dataclasses.replace(report, sections=build_sections(engine, report.as_of, company, settings))
    return report.to_dict()


@router.get("/forecasts/cash", operation_id="get_cash_forecast")
def get_cash_forecast(
    engine: EngineDep,
    today: TodayDep,
    company: CompanyDep,
    principal: Annotated[Principal, Depends(allow(Access.READ_FORECASTS))],
    as_of: AsOfQuery = None,
    weeks: Annotated[int, Query(ge=1, le=52, description="Weeks to forecast.")] = 13,
) -> dict[str, Any]:
    """Forecast the collections of the open items week by week from their predicted pay dates.

    Amounts are in the company currency; ``*_minor`` columns of the forecast are returned as
    decimal strings without the suffix.
    """
    day = as_of or today
    prediction = predict_open_items(engine, day, currency=company.code, validation=False)
    frame = weekly_forecast(prediction.frame, day, weeks)
    return {
        "as_of": day.isoformat(),
        "currency": company.code,
        "method_fallback": prediction.fallback_reason,
        "weeks": [_amounts(row, company) for row in frame.to_dicts()],
    }


def _amounts(row: dict[str, Any], company: CompanyDep) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, value in row.items():
        if name.endswith("_minor") and value is not None:
            values[name.removesuffix("_minor")] = money_text(round(value), company)
        else:
            values[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return values
