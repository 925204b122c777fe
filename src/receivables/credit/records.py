"""Reading one customer's credit records into domain objects: statements, bureau, limit, hold."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Row, select, text

from receivables.credit.errors import UnknownCustomerError
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


# One round trip for everything the order check needs besides the ledger and the orders.
CHECK_STATE_SQL = text(
    "SELECT c.id, s.risk_class, l.amount_minor AS limit_minor, l.currency AS limit_currency, "
    "l.review_date, (SELECT COUNT(*) FROM credit_holds h "
    "WHERE h.customer_id = c.id AND h.released_at IS NULL) AS holds "
    "FROM customers c LEFT JOIN credit_scores s ON s.customer_id = c.id "
    "LEFT JOIN credit_limits l "
    "ON l.id = (SELECT MAX(m.id) FROM credit_limits m WHERE m.customer_id = c.id) "
    "WHERE c.code = :code"
)


@dataclass(frozen=True)
class CheckState:
    """The customer's id, stored class, limit in force and whether a hold is in force."""

    customer_id: int
    risk_class: RiskClass | None
    limit: Money | None
    review_date: date | None
    on_hold: bool


def check_state(connection: Connection, code: str) -> CheckState:
    """Load what the order check needs about customer ``code``; raise when it is unknown."""
    row = connection.execute(CHECK_STATE_SQL, {"code": code}).first()
    if row is None:
        raise UnknownCustomerError(code)
    limit = (
        None if row.limit_minor is None else Money.from_minor(row.limit_minor, row.limit_currency)
    )
    review = row.review_date
    if review is not None and not isinstance(review, date):
        review = date.fromisoformat(str(review))
    return CheckState(
        row.id,
        None if row.risk_class is None else RiskClass(row.risk_class),
        limit,
        review,
        row.holds > 0,
    )
