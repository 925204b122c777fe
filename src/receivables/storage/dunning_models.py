"""SQLAlchemy 2 typed models of the collections tables.

Amounts are integer minor units, as in the ledger tables: ``open_minor`` in the item's own
currency, everything named ``*_company_minor`` or a notice's ``total_minor`` and ``fee_minor``
in the company currency. People are stored by user name (``users.name`` when users are set up),
so the tables work whether or not the users of credit management exist.

Guards that make a notice go out once at most:

- ``uq_dunning_notices_customer_level_items``: one notice per customer, level and items key, so
  two runs planning the same notice insert it once;
- ``uq_dunning_outbox_notice_id``: one delivery per notice; a sender claims a pending row by
  moving it to ``sending`` in one statement (with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL).

``collection_audit`` only ever gets new rows: database triggers reject updates and deletes.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from receivables.storage.models import Base


class CustomerContactRow(Base):
    """How to reach a customer's accounts payable: email, phone, language and postal address."""

    __tablename__ = "customer_contacts"

    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), primary_key=True)
    contact_name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    language: Mapped[str | None] = mapped_column(String(8))
    street: Mapped[str | None] = mapped_column(String(200))
    postal_code: Mapped[str | None] = mapped_column(String(20))
    city: Mapped[str | None] = mapped_column(String(100))
    country: Mapped[str | None] = mapped_column(String(2))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DunningOverrideRow(Base):
    """A customer's own dunning settings: its policy, a hold until a date, its collector."""

    __tablename__ = "dunning_overrides"

    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), primary_key=True)
    policy: Mapped[str | None] = mapped_column(String(64))
    hold_until: Mapped[date | None] = mapped_column(Date)
    hold_reason: Mapped[str | None] = mapped_column(String(500))
    collector: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DunningRunRow(Base):
    """One dunning run for an as-of date, with its counts as JSON."""

    __tablename__ = "dunning_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    as_of: Mapped[date] = mapped_column(Date)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    user_name: Mapped[str | None] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16))
    summary: Mapped[str | None] = mapped_column(Text)


class DunningNoticeRow(Base):
    """A notice of one level to one customer, bundling its eligible items."""

    __tablename__ = "dunning_notices"
    __table_args__ = (
        UniqueConstraint(
            "customer_id", "level", "items_key", name="uq_dunning_notices_customer_level_items"
        ),
        Index("ix_dunning_notices_customer_id", "customer_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    level: Mapped[int] = mapped_column(Integer)
    level_name: Mapped[str] = mapped_column(String(64))
    policy: Mapped[str] = mapped_column(String(64))
    items_key: Mapped[str] = mapped_column(String(40))
    notice_date: Mapped[date] = mapped_column(Date)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("dunning_runs.id"))
    channel: Mapped[str] = mapped_column(String(16))
    template: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16))
    currency: Mapped[str] = mapped_column(String(3))
    total_minor: Mapped[int] = mapped_column(BigInteger)
    fee_minor: Mapped[int] = mapped_column(BigInteger)
    recipient: Mapped[str | None] = mapped_column(String(500))
    subject_override: Mapped[str | None] = mapped_column(String(200))
    message_override: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    reviewed_by: Mapped[str | None] = mapped_column(String(64))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class DunningNoticeItemRow(Base):
    """An open item a notice lists, with what was open on the notice date."""

    __tablename__ = "dunning_notice_items"
    __table_args__ = (Index("ix_dunning_notice_items_document_id", "document_id"),)

    notice_id: Mapped[int] = mapped_column(ForeignKey("dunning_notices.id"), primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), primary_key=True)
    open_minor: Mapped[int] = mapped_column(BigInteger)
    open_company_minor: Mapped[int] = mapped_column(BigInteger)
    days_past_due: Mapped[int] = mapped_column(Integer)


class DunningOutboxRow(Base):
    """The delivery of one approved email or letter notice."""

    __tablename__ = "dunning_outbox"
    __table_args__ = (
        UniqueConstraint("notice_id", name="uq_dunning_outbox_notice_id"),
        Index("ix_dunning_outbox_state", "state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("dunning_notices.id"))
    state: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer)
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    claim_token: Mapped[str | None] = mapped_column(String(36))
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    transport: Mapped[str | None] = mapped_column(String(16))
    message_id: Mapped[str | None] = mapped_column(String(200))
    last_error: Mapped[str | None] = mapped_column(String(1000))


class DunningTaskRow(Base):
    """A phone call, visit, legal hand-over or follow-up for a collector."""

    __tablename__ = "dunning_tasks"
    __table_args__ = (
        Index("ix_dunning_tasks_customer_id", "customer_id"),
        Index("ix_dunning_tasks_status", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    notice_id: Mapped[int | None] = mapped_column(ForeignKey("dunning_notices.id"))
    parent_task_id: Mapped[int | None] = mapped_column(ForeignKey("dunning_tasks.id"))
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(16))
    due_date: Mapped[date] = mapped_column(Date)
    assignee: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str | None] = mapped_column(String(64))
    outcome: Mapped[str | None] = mapped_column(String(20))
    next_action: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(String(1000))
    done_on: Mapped[date | None] = mapped_column(Date)
    done_by: Mapped[str | None] = mapped_column(String(64))


class DisputeRow(Base):
    """A customer's objection to an open item, from opening to resolution."""

    __tablename__ = "disputes"
    __table_args__ = (
        Index("ix_disputes_document_id", "document_id"),
        Index("ix_disputes_customer_id", "customer_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    reason: Mapped[str] = mapped_column(String(20))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    owner: Mapped[str | None] = mapped_column(String(64))
    opened_on: Mapped[date] = mapped_column(Date)
    opened_by: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    resolution: Mapped[str | None] = mapped_column(String(16))
    resolved_on: Mapped[date | None] = mapped_column(Date)
    resolved_by: Mapped[str | None] = mapped_column(String(64))
    credit_note_number: Mapped[str | None] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(String(1000))


class PromiseRow(Base):
    """A promise to pay an amount by a date, in the company currency."""

    __tablename__ = "promises"
    __table_args__ = (Index("ix_promises_customer_id", "customer_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    made_on: Mapped[date] = mapped_column(Date)
    promised_date: Mapped[date] = mapped_column(Date)
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    grace_days: Mapped[int] = mapped_column(Integer)
    open_at_promise_minor: Mapped[int] = mapped_column(BigInteger)
    state: Mapped[str] = mapped_column(String(16))
    closed_on: Mapped[date | None] = mapped_column(Date)
    recorded_by: Mapped[str | None] = mapped_column(String(64))
    task_id: Mapped[int | None] = mapped_column(ForeignKey("dunning_tasks.id"))
    note: Mapped[str | None] = mapped_column(String(1000))


class PromiseItemRow(Base):
    """An open item a promise to pay covers."""

    __tablename__ = "promise_items"

    promise_id: Mapped[int] = mapped_column(ForeignKey("promises.id"), primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), primary_key=True)


class CollectionAuditRow(Base):
    """One collections event: who did what, when, to which customer or notice. Append-only."""

    __tablename__ = "collection_audit"
    __table_args__ = (Index("ix_collection_audit_customer_id", "customer_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    user_name: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(40))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    notice_id: Mapped[int | None] = mapped_column(ForeignKey("dunning_notices.id"))
    detail: Mapped[str] = mapped_column(Text)
