"""Page context besides the user: the settings, the company currency and the as-of date."""

from __future__ import annotations

from datetime import date

from fastapi import Request
from sqlalchemy import Engine

from receivables.api.common import service_today
from receivables.config import Settings
from receivables.credit.config import load_credit_settings
from receivables.domain.credit.settings import CreditSettings
from receivables.domain.money import Currency
from receivables.dunning.config import CollectionSettings, load_collection_settings
from receivables.service.dependencies import get_settings
from receivables.services.context import AppContext
from receivables.web.viewer import PageError


def settings_of(request: Request) -> Settings:
    return get_settings(request).settings


def company_currency(request: Request, engine: Engine) -> Currency:
    """Return the currency reports are in; raise a 409 page when none is set."""
    currency = AppContext(settings_of(request), engine).company_currency()
    if currency is None:
        raise PageError(
            409,
            "no company currency is set: run 'receivables init --company-currency EUR' "
            "(your code) or import a ledger first",
        )
    return currency


def as_of(request: Request) -> date:
    """Return the date pages and actions work on: the service's fixed date, else today."""
    return service_today(request)


def collection_settings(request: Request) -> CollectionSettings:
    return load_collection_settings(settings_of(request))


def credit_settings(request: Request) -> CreditSettings:
    return load_credit_settings(settings_of(request))
