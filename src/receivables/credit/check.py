"""The order check of one customer: exposure, limit, hold, class and delays in a few queries.

Reads only the customer's own rows: its documents and their allocations (open items, unapplied
credit, the worst undisputed delay), its order lines, its latest limit, any hold in force and
its stored risk class. A customer never scored takes the policy's ``unrated_class``. The rules
are those of :func:`receivables.domain.credit.check.check_order`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import Connection

from receivables.credit.ledger_queries import ledger_position
from receivables.credit.lookup import rate_on
from receivables.credit.orders import customer_orders
from receivables.credit.records import check_state
from receivables.domain.credit.check import CheckResult, CustomerCreditState, check_order
from receivables.domain.credit.exposure import Exposure
from receivables.domain.credit.policy import CreditPolicy
from receivables.domain.money import Currency, Money


@dataclass(frozen=True)
class OrderCheck:
    """The check's result and where the class came from (``stored`` or ``unrated``)."""

    customer_code: str
    as_of: date
    result: CheckResult
    class_source: str
    order_in_currency: Money


def customer_state(
    connection: Connection, code: str, as_of: date, company: Currency, policy: CreditPolicy
) -> tuple[CustomerCreditState, str]:
    """Everything the check needs about the customer on ``as_of``."""
    stored = check_state(connection, code)
    customer = stored.customer_id
    position = ledger_position(connection, customer, as_of, company)
    orders = customer_orders(connection, customer, as_of, company)
    exposure = Exposure(
        Money.from_minor(position.open_items, company),
        Money.from_minor(position.unapplied_credit, company),
        Money.from_minor(orders.open_orders, company),
        Money.from_minor(orders.delivered_not_invoiced, company),
    )
    state = CustomerCreditState(
        customer_code=code,
        exposure=exposure,
        credit_limit=stored.limit,
        review_date=stored.review_date,
        risk_class=stored.risk_class or policy.unrated_class,
        max_days_past_due=position.max_days_past_due,
        on_hold=stored.on_hold,
    )
    return state, "stored" if stored.risk_class else "unrated"


def check_customer_order(
    connection: Connection,
    code: str,
    order: Money,
    as_of: date,
    company: Currency,
    policy: CreditPolicy,
    rate: Decimal | None = None,
) -> OrderCheck:
    """Decide on an order of ``order`` for customer ``code``.

    An order in another currency converts at ``rate`` when given, else at the latest stored rate
    on or before ``as_of``.
    """
    state, source = customer_state(connection, code, as_of, company, policy)
    converted = order
    if order.currency != company:
        converted = order.convert(
            rate if rate is not None else rate_on(connection, order.currency, company, as_of),
            company,
        )
    result = check_order(state, converted, policy.for_class(state.risk_class), as_of)
    return OrderCheck(code, as_of, result, source, order)
