"""Open orders and deliveries not yet invoiced, in the company currency, for one customer or all.

Each order line converts at its own ``fx_rate`` when the file gave one, else at the latest stored
exchange rate of its currency on or before the as-of date, rounded half-up to the company
currency's minor unit per line before lines are added. Lines dated after the as-of date do not
count yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import polars as pl
from sqlalchemy import Connection, Engine, bindparam, select, text

from receivables.analytics.conversion import to_company_minor, unit_scale_column
from receivables.credit.lookup import rate_on
from receivables.domain.money import Currency, Money
from receivables.storage.credit_models import CustomerOrderRow
from receivables.storage.frames import FX_SCALE, read_frame

ORDERS_SQL = (
    "SELECT customer_id, stage, order_date, currency, amount_minor, "
    f"CAST(ROUND(fx_rate * {FX_SCALE}) AS BIGINT) AS fx_rate_scaled FROM customer_orders"
)
ORDERS_SCHEMA: dict[str, pl.DataType] = {
    "customer_id": pl.Int64(),
    "stage": pl.String(),
    "order_date": pl.Date(),
    "currency": pl.String(),
    "amount_minor": pl.Int64(),
    "fx_rate_scaled": pl.Int64(),
}

# One customer's order lines for the order check; built once, since it runs on every check.
CUSTOMER_ORDERS_QUERY = select(
    CustomerOrderRow.stage,
    CustomerOrderRow.currency,
    CustomerOrderRow.amount_minor,
    text(f"CAST(ROUND(fx_rate * {FX_SCALE}) AS BIGINT) AS fx_rate_scaled"),
).where(
    CustomerOrderRow.customer_id == bindparam("customer"),
    CustomerOrderRow.order_date <= bindparam("as_of"),
)


@dataclass(frozen=True)
class OrderTotals:
    """Open orders and delivered-not-invoiced amounts in company minor units."""

    open_orders: int = 0
    delivered_not_invoiced: int = 0


def _scaled(rate: Decimal) -> int:
    return int((rate * FX_SCALE).to_integral_value())


def customer_orders(
    connection: Connection, customer: int, as_of: date, company: Currency
) -> OrderTotals:
    """Add up the customer's order lines dated on or before ``as_of`` per stage, converted."""
    rows = connection.execute(CUSTOMER_ORDERS_QUERY, {"customer": customer, "as_of": as_of})
    totals = {"open": 0, "delivered": 0}
    for row in rows:
        money = Money.from_minor(row.amount_minor, row.currency)
        if money.currency != company:
            scaled = row.fx_rate_scaled
            if scaled is None:
                scaled = _scaled(rate_on(connection, money.currency, company, as_of))
            money = money.convert(Decimal(scaled).scaleb(-10), company)
        totals[row.stage] = totals.get(row.stage, 0) + money.minor_units()
    return OrderTotals(totals["open"], totals["delivered"])


def order_totals_frame(engine: Engine, as_of: date, company: Currency) -> pl.DataFrame:
    """customer_id, ``open_orders`` and ``delivered_not_invoiced`` (company minor units) of every
    customer with order lines; raise :class:`MissingRateError` when a currency has no rate."""
    orders = read_frame(engine, ORDERS_SQL, ORDERS_SCHEMA).filter(pl.col("order_date") <= as_of)
    missing = orders.filter(
        pl.col("fx_rate_scaled").is_null() & (pl.col("currency") != company.code)
    )
    rates = {}
    with engine.connect() as connection:
        for code in missing["currency"].unique().to_list():
            rates[code] = _scaled(rate_on(connection, Currency.of(code), company, as_of))
    codes = orders["currency"].unique().to_list()
    converted = orders.with_columns(
        pl.coalesce(
            "fx_rate_scaled",
            pl.col("currency").replace_strict(rates, default=None, return_dtype=pl.Int64),
        ),
        unit_scale_column(pl.col("currency"), codes).alias("unit_scale"),
    ).with_columns(to_company_minor(pl.col("amount_minor"), company).alias("_company"))
    return converted.group_by("customer_id").agg(
        pl.col("_company").filter(pl.col("stage") == "open").sum().alias("open_orders"),
        pl.col("_company")
        .filter(pl.col("stage") == "delivered")
        .sum()
        .alias("delivered_not_invoiced"),
    )
