"""What the routers share: the request context, pagination, dates and money as JSON."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Query, Request
from pydantic import BaseModel
from sqlalchemy import Connection, Engine, select

from receivables.banking.rules.settings import MatchSettings
from receivables.banking.settings import load_match_settings
from receivables.credit.config import load_credit_settings
from receivables.domain.credit.settings import CreditSettings
from receivables.domain.money import Currency, Money
from receivables.dunning.config import CollectionSettings, load_collection_settings
from receivables.service.dependencies import engine_dependency, get_engine, get_settings
from receivables.service.errors import ApiError, invalid
from receivables.service.settings import ServiceSettings
from receivables.services.context import COMPANY_CURRENCY, today
from receivables.storage.models import CompanySetting

T = TypeVar("T")
MAX_PAGE = 500


class Capabilities:
    """The settings of each capability, read once per application and shared by its requests."""

    def __init__(self, request: Request) -> None:
        self.service = get_settings(request)

    @cached_property
    def credit(self) -> CreditSettings:
        return load_credit_settings(self.service.settings)

    @cached_property
    def collections(self) -> CollectionSettings:
        return load_collection_settings(self.service.settings)

    @cached_property
    def matching(self) -> MatchSettings:
        return load_match_settings()


async def capabilities(request: Request) -> Capabilities:
    state = request.app.state
    if not hasattr(state, "capabilities"):
        state.capabilities = Capabilities(request)
    found: Capabilities = state.capabilities
    return found


COMPANY_CURRENCY_QUERY = select(CompanySetting.value).where(CompanySetting.key == COMPANY_CURRENCY)


def company_currency(request: Request) -> Currency:
    """The company currency; 409 while it is unknown (nothing imported, nothing configured)."""
    with get_engine(request).connect() as connection:
        return read_company_currency(connection, get_settings(request))


def read_company_currency(connection: Connection, settings: ServiceSettings) -> Currency:
    """Read the company currency on a connection the route has open: ``company_currency`` without
    its thread hop and pool checkout."""
    stored = connection.execute(COMPANY_CURRENCY_QUERY).scalar()
    code = stored or settings.settings.company_currency
    if not code:
        raise ApiError(
            409,
            "no_company_currency",
            "the company currency is unknown: import documents or set RECEIVABLES_COMPANY_CURRENCY",
        )
    return Currency.of(code)


EngineDep = Annotated[Engine, Depends(engine_dependency)]
CompanyDep = Annotated[Currency, Depends(company_currency)]
CapabilitiesDep = Annotated[Capabilities, Depends(capabilities)]
AsOfQuery = Annotated[
    date | None,
    Query(description="Date of the figures, YYYY-MM-DD; default today in the company's time zone."),
]


def service_today(request: Request) -> date:
    """The date that counts as today: the configured ``as_of`` (a served demo), else the clock."""
    fixed: date | None = get_settings(request).as_of
    return fixed if fixed is not None else today()


async def today_dependency(request: Request) -> date:
    return service_today(request)


TodayDep = Annotated[date, Depends(today_dependency)]


@dataclass(frozen=True)
class Page:
    limit: int
    offset: int


async def page_params(
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="Items per page, 1-500.")] = 50,
    offset: Annotated[int, Query(ge=0, description="Items to skip.")] = 0,
) -> Page:
    return Page(limit, offset)


PageDep = Annotated[Page, Depends(page_params)]


class PageOf(BaseModel):
    """One page of a list: ``items``, and ``total`` items over all pages."""

    items: list[Any]
    total: int
    limit: int
    offset: int


def page_of(items: list[Any], page: Page) -> PageOf:
    """Cut one page out of a full list that the capability returned."""
    return PageOf(
        items=items[page.offset : page.offset + page.limit],
        total=len(items),
        limit=page.limit,
        offset=page.offset,
    )


def money_text(minor: int, currency: Currency) -> str:
    """An amount in minor units as a decimal string in the currency's major unit, such as ``"10.50"``."""
    return str(Money.from_minor(minor, currency).amount)


def parse_money(text: str, currency: Currency, field: str, *, positive: bool = True) -> Money:
    """Parse an amount sent as a decimal string; 422 naming ``field`` when it is not one."""
    value = _decimal(text, field)
    if positive and value <= 0:
        raise invalid(field, f"{text} must be positive")
    try:
        return Money.of(value, currency.code)
    except ValueError as error:
        raise invalid(field, str(error)) from error


def decimal_of(text: str | None, field: str) -> Decimal | None:
    """Parse an optional decimal string; 422 naming ``field`` when it is not a finite number."""
    return None if text is None else _decimal(text, field)


def _decimal(text: str, field: str) -> Decimal:
    try:
        value = Decimal(text)
    except ArithmeticError as error:
        raise invalid(field, f"{text!r} is not an amount; send a decimal string such as 1250.00") from error
    if not value.is_finite():
        raise invalid(field, f"{text!r} is not an amount")
    return value
