"""SQLAlchemy 2 typed models of the cash application tables.

Bank amounts are signed integer minor units of the row's currency: positive is money received
(credit on our account), negative is money paid out. Amounts of proposal items and deductions
are positive minor units of the open item's currency.

Natural keys keep every import and match run idempotent:

- a statement by ``(account, format, statement_key, content_sha256)``;
- a bank transaction by its ``fingerprint`` (account, dates, amount, references, text and the
  occurrence of identical lines), so a line seen again in an overlapping statement is skipped;
- a proposal by ``(transaction_id, signature)``, the hash of its customer, rule and items;
- a learned IBAN, alias or reference pattern by its value and customer.
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
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from receivables.storage.models import Base


class BankStatementRow(Base):
    """One statement, report or notification of one account, as read from one file."""

    __tablename__ = "bank_statements"
    __table_args__ = (
        UniqueConstraint(
            "account", "format", "statement_key", "content_sha256", name="uq_bank_statements_key"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account: Mapped[str] = mapped_column(String(64))
    format: Mapped[str] = mapped_column(String(16))
    statement_key: Mapped[str] = mapped_column(String(140))
    content_sha256: Mapped[str] = mapped_column(String(64))
    currency: Mapped[str | None] = mapped_column(String(3))
    from_date: Mapped[date | None] = mapped_column(Date)
    to_date: Mapped[date | None] = mapped_column(Date)
    opening_minor: Mapped[int | None] = mapped_column(BigInteger)
    closing_minor: Mapped[int | None] = mapped_column(BigInteger)
    file_name: Mapped[str] = mapped_column(String(500))
    file_sha256: Mapped[str] = mapped_column(String(64))
    transactions_read: Mapped[int] = mapped_column(Integer)
    transactions_new: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class BankTransactionRow(Base):
    """One credit or debit on a bank account: a payment to apply, or a line to ignore."""

    __tablename__ = "bank_transactions"
    __table_args__ = (
        UniqueConstraint("fingerprint", name="uq_bank_transactions_fingerprint"),
        Index("ix_bank_transactions_status", "status"),
        Index("ix_bank_transactions_statement_id", "statement_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("bank_statements.id"))
    fingerprint: Mapped[str] = mapped_column(String(64))
    sequence: Mapped[int] = mapped_column(Integer)
    booking_date: Mapped[date] = mapped_column(Date)
    value_date: Mapped[date | None] = mapped_column(Date)
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    counterparty_name: Mapped[str | None] = mapped_column(String(200))
    counterparty_account: Mapped[str | None] = mapped_column(String(64))
    counterparty_iban: Mapped[str | None] = mapped_column(String(34))
    counterparty_bic: Mapped[str | None] = mapped_column(String(11))
    remittance_text: Mapped[str] = mapped_column(Text, default="")
    structured_reference: Mapped[str | None] = mapped_column(String(64))
    reference_kind: Mapped[str | None] = mapped_column(String(8))
    end_to_end_id: Mapped[str | None] = mapped_column(String(64))
    bank_reference: Mapped[str | None] = mapped_column(String(64))
    transaction_code: Mapped[str | None] = mapped_column(String(64))
    reversal: Mapped[bool] = mapped_column(Boolean, default=False)
    source_position: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(16))
    payment_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))


class MatchRunRow(Base):
    """One run of the matching engine, with its counts for the audit trail."""

    __tablename__ = "bank_match_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    as_of: Mapped[date] = mapped_column(Date)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    transactions: Mapped[int] = mapped_column(Integer, default=0)
    auto_applied: Mapped[int] = mapped_column(Integer, default=0)
    suggested: Mapped[int] = mapped_column(Integer, default=0)
    unmatched: Mapped[int] = mapped_column(Integer, default=0)


class MatchProposalRow(Base):
    """A proposed or decided match of a bank transaction, with its rule, confidence and evidence."""

    __tablename__ = "match_proposals"
    __table_args__ = (
        UniqueConstraint(
            "transaction_id", "signature", name="uq_match_proposals_transaction_signature"
        ),
        Index("ix_match_proposals_status", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    transaction_id: Mapped[int] = mapped_column(ForeignKey("bank_transactions.id"))
    run_id: Mapped[int | None] = mapped_column(ForeignKey("bank_match_runs.id"))
    signature: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    decided_by: Mapped[str | None] = mapped_column(String(16))
    rule: Mapped[str] = mapped_column(String(32))
    confidence: Mapped[Decimal] = mapped_column(Numeric(5, 4))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    unapplied_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    explanation: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class MatchProposalItemRow(Base):
    """One part of a proposal: an allocation, discount, bank charge or deduction on an item."""

    __tablename__ = "match_proposal_items"
    __table_args__ = (
        UniqueConstraint("proposal_id", "document_id", "kind", name="uq_match_proposal_items_part"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("match_proposals.id"))
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    kind: Mapped[str] = mapped_column(String(16))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))


class DeductionRow(Base):
    """A difference between what a customer paid and what an item asked, with its reason.

    Discounts, bank charges and exchange differences are settled by the credit document named in
    ``credit_document_id`` and are ``resolved``; a short payment is ``open`` until someone
    settles the dispute.
    """

    __tablename__ = "deductions"
    __table_args__ = (
        UniqueConstraint("transaction_id", "document_id", "reason_code", name="uq_deductions_part"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    transaction_id: Mapped[int] = mapped_column(ForeignKey("bank_transactions.id"))
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    credit_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    reason_code: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(String(300))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CustomerIbanRow(Base):
    """An account a customer paid from, learned from a confirmed match."""

    __tablename__ = "customer_ibans"
    __table_args__ = (
        UniqueConstraint("iban", "customer_id", name="uq_customer_ibans_iban_customer"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    iban: Mapped[str] = mapped_column(String(34))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    confirmations: Mapped[int] = mapped_column(Integer, default=1)
    last_seen: Mapped[date] = mapped_column(Date)


class CustomerAliasRow(Base):
    """A payer name seen on bank lines of a customer, normalized, learned from a confirmed match."""

    __tablename__ = "customer_aliases"
    __table_args__ = (
        UniqueConstraint("alias", "customer_id", name="uq_customer_aliases_alias_customer"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alias: Mapped[str] = mapped_column(String(200))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    confirmations: Mapped[int] = mapped_column(Integer, default=1)


class ReferencePatternRow(Base):
    """The word a customer writes before our invoice numbers (``RE``, ``RECHNUNG``, ``INVOICE``)."""

    __tablename__ = "reference_patterns"
    __table_args__ = (
        UniqueConstraint("customer_id", "prefix", name="uq_reference_patterns_customer_prefix"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    prefix: Mapped[str] = mapped_column(String(40))
    confirmations: Mapped[int] = mapped_column(Integer, default=1)


class PaymentReferenceRow(Base):
    """The creditor reference issued for an open item, printed on invoices and notices."""

    __tablename__ = "payment_references"
    __table_args__ = (
        UniqueConstraint("reference", name="uq_payment_references_reference"),
        UniqueConstraint("document_id", "scheme", name="uq_payment_references_document_scheme"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    scheme: Mapped[str] = mapped_column(String(8))
    reference: Mapped[str] = mapped_column(String(35))
