"""SQLAlchemy 2 typed models of the credit management tables, and of the users who act on them.

Amounts are integer minor units of the row's currency, as in the ledger tables. Natural keys keep
imports idempotent:

- a financial statement by ``(customer_id, fiscal_year)``;
- a bureau report by ``(customer_id, provider, report_date)``, an event by
  ``(customer_id, provider, event_kind, event_date)``;
- an order line by ``(order_number, stage)``: ``open`` for the part not yet delivered,
  ``delivered`` for the part delivered and not yet invoiced;
- a sales figure by ``(month, segment)``, where ``segment`` is ``""`` for the whole company.

Limits, holds, risk class changes and the audit trail only ever get new rows (a release fills in
the release columns of its hold), so their history stays complete.

NOTE: ``users`` is the minimal user table of the CLI: a name and one role, no password, since
every command runs on the operator's own machine. An API or web front end has to add
authentication before it trusts a user name.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from receivables.storage.models import FX_RATE, Base


class UserRow(Base):
    """A person who acts in the system, with the one role that decides what they may do."""

    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("name", name="uq_users_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CreditAuditRow(Base):
    """One credit action (hold, release, limit approval, user added), who took it and why."""

    __tablename__ = "credit_audit"
    __table_args__ = (Index("ix_credit_audit_customer_id", "customer_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(32))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    detail: Mapped[str] = mapped_column(String(1000))


class FinancialStatementRow(Base):
    """A customer's balance sheet and income statement of one fiscal year."""

    __tablename__ = "financial_statements"
    __table_args__ = (
        UniqueConstraint(
            "customer_id", "fiscal_year", name="uq_financial_statements_customer_year"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    fiscal_year: Mapped[int] = mapped_column(Integer)
    period_end: Mapped[date] = mapped_column(Date)
    currency: Mapped[str] = mapped_column(String(3))
    current_assets_minor: Mapped[int] = mapped_column(BigInteger)
    current_liabilities_minor: Mapped[int] = mapped_column(BigInteger)
    cash_minor: Mapped[int] = mapped_column(BigInteger)
    inventory_minor: Mapped[int] = mapped_column(BigInteger)
    total_assets_minor: Mapped[int] = mapped_column(BigInteger)
    total_liabilities_minor: Mapped[int] = mapped_column(BigInteger)
    equity_minor: Mapped[int] = mapped_column(BigInteger)
    retained_earnings_minor: Mapped[int] = mapped_column(BigInteger)
    sales_minor: Mapped[int] = mapped_column(BigInteger)
    ebit_minor: Mapped[int] = mapped_column(BigInteger)
    net_income_minor: Mapped[int] = mapped_column(BigInteger)
    interest_expense_minor: Mapped[int] = mapped_column(BigInteger)
    altman_model: Mapped[str | None] = mapped_column(String(16))


class BureauReportRow(Base):
    """A bureau's score (in hundredths of its own scale) or rating of a customer on a date."""

    __tablename__ = "bureau_reports"
    __table_args__ = (
        UniqueConstraint(
            "customer_id",
            "provider",
            "report_date",
            name="uq_bureau_reports_customer_provider_date",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    provider: Mapped[str] = mapped_column(String(64))
    report_date: Mapped[date] = mapped_column(Date)
    score_hundredths: Mapped[int | None] = mapped_column(BigInteger)
    rating: Mapped[str | None] = mapped_column(String(16))


class BureauEventRow(Base):
    """A payment default, legal action or insolvency that a bureau recorded."""

    __tablename__ = "bureau_events"
    __table_args__ = (
        UniqueConstraint(
            "customer_id", "provider", "event_kind", "event_date", name="uq_bureau_events_key"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    provider: Mapped[str] = mapped_column(String(64))
    event_kind: Mapped[str] = mapped_column(String(32))
    event_date: Mapped[date] = mapped_column(Date)
    amount_minor: Mapped[int | None] = mapped_column(BigInteger)
    currency: Mapped[str | None] = mapped_column(String(3))
    note: Mapped[str | None] = mapped_column(String(500))


class CustomerOrderRow(Base):
    """The open or the delivered-not-invoiced part of a sales order."""

    __tablename__ = "customer_orders"
    __table_args__ = (
        UniqueConstraint("order_number", "stage", name="uq_customer_orders_number_stage"),
        Index("ix_customer_orders_customer_id", "customer_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    order_number: Mapped[str] = mapped_column(String(64))
    stage: Mapped[str] = mapped_column(String(16))
    order_date: Mapped[date] = mapped_column(Date)
    currency: Mapped[str] = mapped_column(String(3))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    fx_rate: Mapped[Decimal | None] = mapped_column(FX_RATE)


class CreditLimitRow(Base):
    """One approval of a customer's credit limit; the latest row is the limit in force."""

    __tablename__ = "credit_limits"
    __table_args__ = (Index("ix_credit_limits_customer_id", "customer_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    effective_date: Mapped[date] = mapped_column(Date)
    review_date: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(500))
    approved_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recommended_minor: Mapped[int | None] = mapped_column(BigInteger)
    binding_method: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CreditHoldRow(Base):
    """A credit hold on a customer: in force from ``placed_at`` until it is released."""

    __tablename__ = "credit_holds"
    __table_args__ = (Index("ix_credit_holds_customer_id", "customer_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    placed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    placed_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(String(500))
    released_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    released_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    release_reason: Mapped[str | None] = mapped_column(String(500))


class CreditScoreRow(Base):
    """The latest score of a customer: its risk class (the credit segment) and sub-scores."""

    __tablename__ = "credit_scores"

    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), primary_key=True)
    as_of: Mapped[date] = mapped_column(Date)
    score_tenths: Mapped[int] = mapped_column(Integer)
    risk_class: Mapped[str] = mapped_column(String(1))
    score_class: Mapped[str] = mapped_column(String(1))
    behaviour_score: Mapped[int | None] = mapped_column(Integer)
    financial_score: Mapped[int | None] = mapped_column(Integer)
    bureau_score: Mapped[int | None] = mapped_column(Integer)


class RiskClassChangeRow(Base):
    """A change of a customer's risk class: the history of its credit segment."""

    __tablename__ = "risk_class_changes"
    __table_args__ = (Index("ix_risk_class_changes_customer_id", "customer_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    as_of: Mapped[date] = mapped_column(Date)
    old_class: Mapped[str | None] = mapped_column(String(1))
    new_class: Mapped[str] = mapped_column(String(1))
    score_tenths: Mapped[int] = mapped_column(Integer)


class CreditReviewRow(Base):
    """One run of ``receivables credit review`` for an as-of date, with its counts."""

    __tablename__ = "credit_reviews"
    __table_args__ = (UniqueConstraint("as_of", name="uq_credit_reviews_as_of"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    as_of: Mapped[date] = mapped_column(Date)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    customers: Mapped[int] = mapped_column(Integer)
    class_changes: Mapped[int] = mapped_column(Integer)
    warnings: Mapped[int] = mapped_column(Integer)
    due_for_review: Mapped[int] = mapped_column(Integer)


class CreditReviewFindingRow(Base):
    """A warning sign of a customer, or its being due for review, found by a review run."""

    __tablename__ = "credit_review_findings"
    __table_args__ = (Index("ix_credit_review_findings_review_id", "review_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("credit_reviews.id"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    finding: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str] = mapped_column(String(500))


class SalesFigureRow(Base):
    """Cash sales, or total sales, of one month, for the whole company or one customer segment."""

    __tablename__ = "sales_figures"
    __table_args__ = (UniqueConstraint("month", "segment", name="uq_sales_figures_month_segment"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[date] = mapped_column(Date)
    segment: Mapped[str] = mapped_column(String(100))
    currency: Mapped[str] = mapped_column(String(3))
    cash_sales_minor: Mapped[int | None] = mapped_column(BigInteger)
    total_sales_minor: Mapped[int | None] = mapped_column(BigInteger)
