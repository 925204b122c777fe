"""SQLAlchemy 2 typed models of the ledger tables.

Amounts are integer minor units of the row's currency (``amount_minor = 1050`` is 10.50 EUR), so
they are exact and bulk paths move plain integers. ``fx_rate`` is company-currency units per unit
of the document currency on the document date.

An invoice paid in instalments is one ``documents`` row per instalment, sharing kind and number
(unique key ``(kind, number, instalment)``); every other document is instalment 1. Payment terms
are stored as their canonical text (``"2/10 net30"``). ``discount_offers`` is the JSON list of the
instalment's discount offers frozen at invoicing (``DiscountOffer.to_dict`` of each), or NULL.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

FX_RATE = Numeric(24, 10)
TERM_TEXT_LENGTH = 200


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class CompanySetting(Base):
    """One setting of the company that owns the ledger, such as its currency."""

    __tablename__ = "company_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(256))


class CustomerRow(Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str | None] = mapped_column(String(2))
    currency: Mapped[str | None] = mapped_column(String(3))
    industry: Mapped[str | None] = mapped_column(String(100))
    segment: Mapped[str | None] = mapped_column(String(100))
    payment_term: Mapped[str | None] = mapped_column(String(TERM_TEXT_LENGTH))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class DocumentRow(Base):
    __tablename__ = "documents"
    __table_args__ = (
        UniqueConstraint("kind", "number", "instalment", name="uq_documents_kind_number_instalment"),
        Index("ix_documents_customer_id", "customer_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    kind: Mapped[str] = mapped_column(String(16))
    number: Mapped[str] = mapped_column(String(64))
    instalment: Mapped[int] = mapped_column(SmallInteger, default=1, server_default="1")
    document_date: Mapped[date] = mapped_column(Date)
    due_date: Mapped[date] = mapped_column(Date)
    currency: Mapped[str] = mapped_column(String(3))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    tax_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    fx_rate: Mapped[Decimal] = mapped_column(FX_RATE, default=Decimal(1))
    disputed: Mapped[bool] = mapped_column(Boolean, default=False)
    reference: Mapped[str | None] = mapped_column(String(140))
    payment_term: Mapped[str | None] = mapped_column(String(TERM_TEXT_LENGTH))
    discount_offers: Mapped[str | None] = mapped_column(Text)


class AllocationRow(Base):
    __tablename__ = "allocations"
    __table_args__ = (
        UniqueConstraint(
            "source_document_id",
            "target_document_id",
            "allocation_date",
            name="uq_allocations_source_target_date",
        ),
        Index("ix_allocations_target_document_id", "target_document_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    target_document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    allocation_date: Mapped[date] = mapped_column(Date)
    amount_minor: Mapped[int] = mapped_column(BigInteger)


class ExchangeRateRow(Base):
    """A rate of ``currency`` to the company currency, valid from ``rate_date`` until the next one."""

    __tablename__ = "exchange_rates"
    __table_args__ = (UniqueConstraint("currency", "rate_date", name="uq_exchange_rates_currency_date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    currency: Mapped[str] = mapped_column(String(3))
    rate_date: Mapped[date] = mapped_column(Date)
    rate: Mapped[Decimal] = mapped_column(FX_RATE)


class ImportRunRow(Base):
    """One run of ``receivables import`` on one file, kept for the audit trail."""

    __tablename__ = "import_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    file_name: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    profile: Mapped[str] = mapped_column(String(64))
    record_type: Mapped[str] = mapped_column(String(32))
    rows_read: Mapped[int] = mapped_column(Integer)
    rows_written: Mapped[int] = mapped_column(Integer)
    rows_rejected: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


# The tables of the other features share this metadata, so migrations and schema checks see them.
# The modules import Base from here, so they come last.
from receivables.storage import (  # noqa: E402
    banking_models,  # noqa: F401  cash application
    credit_models,  # noqa: F401  credit management
    dunning_models,  # noqa: F401  collections
    service_models,  # noqa: F401  sign-in, tokens, sessions, idempotency, webhooks
    terms_models,  # noqa: F401  contracts and late charges
)
