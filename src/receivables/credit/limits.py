"""Credit limits: the recommendation by the named methods, approvals by a user, and the history.

The recommendation reads the customer's live evaluation (its class and latest statement), its
net credit sales and our own over ``policy.limits.history_months``, all in the company currency.
A statement in another currency converts at the latest stored rate on or before ``as_of``; with
no rate, the statement methods do not apply and give that as their basis.

An approval needs a user allowed to approve limits (credit manager or admin), a reason, and a
review date after ``as_of`` (by default ``as_of`` plus the review months of the customer's
class). Each approval is a new row, so the history keeps every change.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

import polars as pl
from sqlalchemy import Connection, Engine, insert, select

from receivables.analytics.conversion import to_company_minor, unit_scale_column
from receivables.credit.errors import MissingRateError
from receivables.credit.evaluation import CustomerEvaluation, evaluate_customer
from receivables.credit.ledger_queries import net_sales
from receivables.credit.lookup import customer_id, rate_on, utc_now
from receivables.credit.users import acting_user, audit
from receivables.domain.credit.dates import add_months, full_months_between
from receivables.domain.credit.errors import InvalidLimitError
from receivables.domain.credit.limits import LimitInputs, LimitRecommendation, recommend_limit
from receivables.domain.credit.roles import Action
from receivables.domain.credit.settings import CreditSettings
from receivables.domain.money import Currency, Money
from receivables.storage.credit_models import CreditLimitRow, UserRow
from receivables.storage.frames import FX_SCALE, read_frame

log = logging.getLogger(__name__)

OWN_SALES_SQL = (
    "SELECT kind, currency, amount_minor, "
    f"CAST(ROUND(fx_rate * {FX_SCALE}) AS BIGINT) AS fx_rate_scaled FROM documents "
    "WHERE kind IN ('invoice', 'debit_note', 'credit_note') "
    "AND document_date > '{start}' AND document_date <= '{end}'"
)
OWN_SALES_SCHEMA: dict[str, pl.DataType] = {
    "kind": pl.String(),
    "currency": pl.String(),
    "amount_minor": pl.Int64(),
    "fx_rate_scaled": pl.Int64(),
}


def own_sales(engine: Engine, start: date, end: date, company: Currency) -> Money:
    """Our net credit sales to all customers dated after ``start`` and on or before ``end``."""
    sql = OWN_SALES_SQL.format(start=start.isoformat(), end=end.isoformat())
    frame = read_frame(engine, sql, OWN_SALES_SCHEMA)
    if frame.is_empty():
        return Money.zero(company)
    codes = frame["currency"].unique().to_list()
    sign = pl.when(pl.col("kind") == "credit_note").then(-1).otherwise(1)
    total = (
        frame.with_columns(unit_scale_column(pl.col("currency"), codes).alias("unit_scale"))
        .select((to_company_minor(pl.col("amount_minor"), company) * sign).sum())
        .item()
    )
    return Money.from_minor(int(total), company)


def _statement_figures(
    connection: Connection, evaluation: CustomerEvaluation, company: Currency, as_of: date
) -> tuple[Money | None, Money | None, str | None]:
    financial = evaluation.financial
    if financial is None:
        return None, None, "no financial statement"
    if financial.stale:
        return None, None, f"statement {financial.statement.fiscal_year} is stale"
    statement = financial.statement
    try:
        rate = rate_on(connection, statement.currency, company, as_of)
    except MissingRateError as error:
        return None, None, str(error)
    return (
        statement.equity.convert(rate, company),
        statement.working_capital.convert(rate, company),
        None,
    )


def limit_inputs(
    engine: Engine,
    connection: Connection,
    evaluation: CustomerEvaluation,
    company: Currency,
    settings: CreditSettings,
) -> LimitInputs:
    """Gather what the limit methods need for an evaluated customer."""
    as_of = evaluation.as_of
    months = settings.policy.limits.history_months
    start = add_months(as_of, -months)
    equity, working_capital, note = _statement_figures(connection, evaluation, company, as_of)
    sold, first = net_sales(connection, evaluation.customer_id, as_of, start, company)
    observed = 0 if first is None else min(months, full_months_between(first, as_of) + 1)
    return LimitInputs(
        currency=company,
        risk_class=evaluation.score.risk_class,
        equity=equity,
        working_capital=working_capital,
        statement_note=note,
        purchases=Money.from_minor(sold, company) if first is not None else None,
        purchase_months=observed,
        own_sales=own_sales(engine, start, as_of, company),
    )


def recommend(
    engine: Engine, code: str, as_of: date, company: Currency, settings: CreditSettings
) -> tuple[CustomerEvaluation, LimitRecommendation]:
    """Evaluate the customer and recommend its limit."""
    with engine.connect() as connection:
        evaluation = evaluate_customer(connection, code, as_of, company, settings)
        inputs = limit_inputs(engine, connection, evaluation, company, settings)
    return evaluation, recommend_limit(inputs, settings.policy)


@dataclass(frozen=True)
class LimitChange:
    """One approval from the history of a customer's limit."""

    amount: Money
    effective_date: date
    review_date: date
    reason: str
    approved_by: str
    recommended: Money | None
    binding_method: str | None


def approve_limit(
    engine: Engine,
    code: str,
    amount: Money,
    reason: str,
    user: str | None,
    as_of: date,
    company: Currency,
    settings: CreditSettings,
    review_date: date | None = None,
) -> LimitChange:
    """Set the customer's limit to ``amount`` from ``as_of``; raise when a rule is broken."""
    if amount.currency != company:
        raise InvalidLimitError(f"limit {amount} must be in the company currency {company.code}")
    if amount.amount < 0 or not amount.is_rounded():
        raise InvalidLimitError(
            f"limit {amount} must be zero or positive, in {company.code}'s minor unit"
        )
    if not reason.strip():
        raise InvalidLimitError("give the reason for the limit with --reason")
    evaluation, recommendation = recommend(engine, code, as_of, company, settings)
    review_months = settings.policy.for_class(evaluation.score.risk_class).review_months
    review = review_date or add_months(as_of, review_months)
    if review <= as_of:
        raise InvalidLimitError(f"review date {review} must be after {as_of}")
    with engine.begin() as connection:
        approver = acting_user(connection, user, Action.APPROVE_LIMIT)
        customer = customer_id(connection, code)
        connection.execute(
            insert(CreditLimitRow).values(
                customer_id=customer,
                amount_minor=amount.minor_units(),
                currency=company.code,
                effective_date=as_of,
                review_date=review,
                reason=reason.strip()[:500],
                approved_by=approver.id,
                created_at=utc_now(),
                recommended_minor=recommendation.amount.minor_units()
                if recommendation.amount
                else None,
                binding_method=recommendation.binding.value if recommendation.binding else None,
            )
        )
        audit(
            connection,
            approver,
            "limit_approved",
            customer,
            f"limit {amount} until review {review}: {reason}",
        )
    log.info("credit limit of %s set to %s by %s", code, amount, approver.name)
    return LimitChange(
        amount,
        as_of,
        review,
        reason.strip(),
        approver.name,
        recommendation.amount,
        recommendation.binding.value if recommendation.binding else None,
    )


def limit_history(engine: Engine, code: str) -> list[LimitChange]:
    """Load every approval of the customer's limit, oldest first."""
    with engine.connect() as connection:
        customer = customer_id(connection, code)
        rows = connection.execute(
            select(CreditLimitRow.__table__, UserRow.name.label("approver"))
            .join(UserRow, UserRow.id == CreditLimitRow.approved_by)
            .where(CreditLimitRow.customer_id == customer)
            .order_by(CreditLimitRow.id)
        ).all()
    return [
        LimitChange(
            Money.from_minor(row.amount_minor, row.currency),
            row.effective_date,
            row.review_date,
            row.reason,
            row.approver,
            None
            if row.recommended_minor is None
            else Money.from_minor(row.recommended_minor, row.currency),
            row.binding_method,
        )
        for row in rows
    ]
