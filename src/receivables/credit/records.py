"""Reading one customer's credit records into domain objects: statements, bureau, limit, hold."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Row, select

from receivables.domain.credit.altman import AltmanModel
from receivables.domain.credit.bureau import BureauEvent, BureauReport, EventKind
from receivables.domain.credit.classes import RiskClass
from receivables.domain.credit.statements import AMOUNT_FIELDS, FinancialStatement
from receivables.domain.money import Money
from receivables.storage.credit_models import (
    BureauEventRow,
    BureauReportRow,
    CreditHoldRow,
    CreditLimitRow,
    CreditScoreRow,
    FinancialStatementRow,
)


def statements_of(
    connection: Connection, customer: int, code: str
) -> tuple[list[FinancialStatement], AltmanModel | None]:
    """Load the customer's statements, oldest first, and the Altman model the latest one names."""
    rows = connection.execute(
        select(FinancialStatementRow)
        .where(FinancialStatementRow.customer_id == customer)
        .order_by(FinancialStatementRow.fiscal_year)
    ).all()
    statements = []
    for row in rows:
        amounts = {
            name: Money.from_minor(getattr(row, f"{name}_minor"), row.currency)
            for name in AMOUNT_FIELDS
        }
        statements.append(FinancialStatement(code, row.fiscal_year, row.period_end, **amounts))
    model = AltmanModel(rows[-1].altman_model) if rows and rows[-1].altman_model else None
    return statements, model


def bureau_of(
    connection: Connection, customer: int
) -> tuple[list[BureauReport], list[BureauEvent]]:
    """Load the customer's bureau reports (scores in the provider's units) and events."""
    reports = [
        BureauReport(
            row.provider,
            row.report_date,
            None if row.score_hundredths is None else Decimal(row.score_hundredths).scaleb(-2),
            row.rating,
        )
        for row in connection.execute(
            select(BureauReportRow).where(BureauReportRow.customer_id == customer)
        )
    ]
    events = [
        BureauEvent(
            row.provider,
            EventKind(row.event_kind),
            row.event_date,
            None
            if row.amount_minor is None or row.currency is None
            else Money.from_minor(row.amount_minor, row.currency),
            row.note,
        )
        for row in connection.execute(
            select(BureauEventRow).where(BureauEventRow.customer_id == customer)
        )
    ]
    return reports, events


@dataclass(frozen=True)
class ApprovedLimit:
    """The limit in force: the latest approval of the customer."""

    amount: Money
    effective_date: date
    review_date: date
    reason: str
    approved_by: int


def current_limit(connection: Connection, customer: int) -> ApprovedLimit | None:
    row = connection.execute(
        select(CreditLimitRow.__table__)
        .where(CreditLimitRow.customer_id == customer)
        .order_by(CreditLimitRow.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    amount = Money.from_minor(row.amount_minor, row.currency)
    return ApprovedLimit(amount, row.effective_date, row.review_date, row.reason, row.approved_by)


def active_hold(connection: Connection, customer: int) -> Row[Any] | None:
    """Return the hold in force on the customer (a row of ``credit_holds``), if any."""
    return connection.execute(
        select(CreditHoldRow.__table__)
        .where(CreditHoldRow.customer_id == customer, CreditHoldRow.released_at.is_(None))
        .order_by(CreditHoldRow.id)
        .limit(1)
    ).first()


def stored_class(connection: Connection, customer: int) -> RiskClass | None:
    """Return the risk class of the latest stored score, if the customer was ever scored."""
    value = connection.execute(
        select(CreditScoreRow.risk_class).where(CreditScoreRow.customer_id == customer)
    ).scalar()
    return None if value is None else RiskClass(value)
