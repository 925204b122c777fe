"""Late interest shown on a notice: what each listed item has accrued up to the notice date.

The interest clause is the customer's contract valid on the notice date (``contracts``): the
agreed rate (``interest_regime = 'contract'``) or a statutory regime of the reference rate file.
Without a contract, a notice shows no interest. The accrual is
:func:`receivables.domain.interest.accrue_interest` from the day after the due date to the
notice date, on the item's amount less the allocations dated on or before each day. Interest is
only shown; the late-charge run is what charges it with a debit note.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Engine, inspect, text

from receivables.domain.day_count import DayCount
from receivables.domain.errors import ReceivablesError
from receivables.domain.interest import (
    ContractualInterest,
    DatedPayment,
    InterestPeriod,
    InterestRegime,
    accrue_interest,
)
from receivables.domain.money import Money
from receivables.dunning.notice_view import NoticeView
from receivables.rates import RatesFileError, load_rate_book

log = logging.getLogger(__name__)


def _regime(row: Any) -> InterestRegime | None:
    code = row.interest_regime
    if not code:
        return None
    if code == "contract":
        if row.interest_rate is None:
            return None
        return ContractualInterest(
            annual_rate=Decimal(row.interest_rate),
            day_count=DayCount(row.day_count or DayCount.ACT_365.value),
            grace_days=int(row.grace_days or 0),
        )
    return load_rate_book().regime(code)


def _contract(connection: Connection, customer_id: int, day: date) -> InterestRegime | None:
    row = connection.execute(
        text(
            "SELECT interest_regime, interest_rate, day_count, grace_days FROM contracts "
            "WHERE customer_id = :customer AND valid_from <= :day "
            "AND (valid_to IS NULL OR valid_to >= :day) ORDER BY valid_from DESC"
        ),
        {"customer": customer_id, "day": day},
    ).first()
    return None if row is None else _regime(row)


def _payments(connection: Connection, view: NoticeView) -> dict[int, list[DatedPayment]]:
    ids = [item.document_id for item in view.items]
    currencies = {item.document_id: item.currency for item in view.items}
    rows = connection.execute(
        text(
            "SELECT target_document_id, allocation_date, amount_minor FROM allocations "
            f"WHERE target_document_id IN ({', '.join(str(number) for number in ids)}) "
            "AND allocation_date <= :day ORDER BY allocation_date"
        ),
        {"day": view.notice_date},
    )
    payments: dict[int, list[DatedPayment]] = defaultdict(list)
    for row in rows:
        amount = Money.from_minor(row.amount_minor, currencies[row.target_document_id])
        payments[row.target_document_id].append(DatedPayment(row.allocation_date, amount))
    return payments


def has_contracts(engine: Engine) -> bool:
    """Whether the database has the contracts table of the terms integration."""
    return inspect(engine).has_table("contracts")


def interest_by_item(
    engine: Engine, view: NoticeView, contracts: bool = True
) -> tuple[dict[int, Money], str | None]:
    """Return the accrued interest per document of the notice, and the regime's name.

    ``contracts`` says whether the contracts table exists (see :func:`has_contracts`).
    """
    if not view.items or not contracts:
        return {}, None
    with engine.connect() as connection:
        try:
            regime = _contract(connection, view.customer_id, view.notice_date)
        except (ReceivablesError, RatesFileError, ValueError) as error:
            log.error(
                "interest clause of customer %s cannot be read: %s", view.customer_code, error
            )
            return {}, None
        if regime is None:
            return {}, None
        payments = _payments(connection, view)
    interest = {}
    for item in view.items:
        if item.due_date >= view.notice_date:
            continue
        period = InterestPeriod(item.due_date, view.notice_date)
        amount = Money.from_minor(item.amount_minor, item.currency)
        try:
            calculation = accrue_interest(
                item.due_date, amount, payments.get(item.document_id, []), period, regime
            )
        except ReceivablesError as error:
            log.error("interest on %s of notice %d: %s", item.number, view.id, error)
            continue
        interest[item.document_id] = calculation.interest
    return interest, regime.name
