"""Amounts and dates as a customer reads them, in the notice's language (Babel's CLDR data)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from babel.core import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_currency

from receivables.domain.money import Money


def locale_for(language: str) -> str:
    """Return ``language`` if Babel knows it, else English."""
    try:
        Locale.parse(language)
    except (UnknownLocaleError, ValueError):
        return "en"
    return language


def money_text(minor: int, currency: str, language: str) -> str:
    """Format minor units, such as ``123450`` EUR in German: ``1.234,50 €``."""
    return money_text_of(Money.from_minor(minor, currency).amount, currency, language)


def money_text_of(amount: Decimal, currency: str, language: str) -> str:
    return str(format_currency(amount, currency, locale=locale_for(language)))


def date_text(day: date, language: str) -> str:
    return str(format_date(day, format="medium", locale=locale_for(language)))
