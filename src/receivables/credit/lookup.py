"""Small targeted queries the single-customer paths share: customer ids, rates, the clock."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import Connection, select

from receivables.credit.errors import MissingRateError, UnknownCustomerError
from receivables.domain.money import Currency
from receivables.storage.models import CustomerRow, ExchangeRateRow


def utc_now() -> datetime:
    """The current instant in UTC, for audit timestamps only; dates come from ``as_of``."""
    return datetime.now(UTC)


def customer_row(connection: Connection, code: str) -> tuple[int, str | None, str | None]:
    """``(id, industry, segment)`` of the customer with ``code``; raise when there is none."""
    row = connection.execute(
        select(CustomerRow.id, CustomerRow.industry, CustomerRow.segment).where(
            CustomerRow.code == code
        )
    ).first()
    if row is None:
        raise UnknownCustomerError(code)
    return row.id, row.industry, row.segment


def customer_id(connection: Connection, code: str) -> int:
    return customer_row(connection, code)[0]


def rate_on(connection: Connection, currency: Currency, company: Currency, day: date) -> Decimal:
    """Company-currency units per unit of ``currency``: the latest stored rate on or before ``day``.

    The company currency itself has rate 1. Raise :class:`MissingRateError` when none is stored.
    """
    if currency == company:
        return Decimal(1)
    rate = connection.execute(
        select(ExchangeRateRow.rate)
        .where(ExchangeRateRow.currency == currency.code, ExchangeRateRow.rate_date <= day)
        .order_by(ExchangeRateRow.rate_date.desc())
        .limit(1)
    ).scalar()
    if rate is None:
        raise MissingRateError(currency.code, company.code, day)
    return Decimal(rate)
