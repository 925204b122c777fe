"""The application context: settings, the database engine, "today" and the company currency."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from receivables.config import Settings, load_settings
from receivables.domain.money import Currency
from receivables.storage.database import connect, get_setting, set_setting

log = logging.getLogger(__name__)

COMPANY_CURRENCY = "company_currency"


def today(timezone: str = "UTC") -> date:
    """The company's current date in its time zone; the only place that reads the clock."""
    return datetime.now(ZoneInfo(timezone)).date()


@dataclass
class AppContext:
    settings: Settings
    engine: Engine

    @staticmethod
    def open(database_url: str | None = None, settings: Settings | None = None) -> AppContext:
        """Load the settings, connect to the database and bring its schema up to date."""
        settings = settings or load_settings()
        return AppContext(settings, connect(database_url or settings.database_url))

    def company_currency(self) -> Currency | None:
        """The currency reports are in: stored in the database, else from the settings, else unknown."""
        stored = get_setting(self.engine, COMPANY_CURRENCY)
        code = stored or self.settings.company_currency
        return Currency.of(code) if code else None

    def set_company_currency(self, code: str) -> Currency:
        currency = Currency.of(code)
        stored = get_setting(self.engine, COMPANY_CURRENCY)
        if stored != currency.code:
            set_setting(self.engine, COMPANY_CURRENCY, currency.code)
            log.info("company currency set to %s", currency.code)
        return currency

    def close(self) -> None:
        self.engine.dispose()
