"""SQLAlchemy 2 typed models of customer contracts and the late charges made from the ledger.

``contracts`` holds each customer's agreed terms with their validity. A contract's interest clause
is ``interest_regime``: NULL for none, ``contract`` for the agreed ``interest_rate`` (percent a
year, by ``day_count``, after ``grace_days``, waived below ``minimum_minor``), or the code of a
statutory regime of the reference rate file (``eu``, ``uk``...). ``dunning_fees`` is the JSON
object of the fixed fee per dunning level (``{"2": "5.00"}``). Minimum and fees are amounts in
``charge_currency``.

``late_charges`` has one row per charge line of a late-charge debit note. Its unique
``charge_key`` (``interest:invoice/INV-1/1:2024-04-01:2024-04-30``, ``compensation:...``) is the
database guard that no interest day, compensation or fee is charged twice, even when two runs
race: the second insert fails and its transaction writes nothing.
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
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from receivables.storage.models import TERM_TEXT_LENGTH, Base


class ContractRow(Base):
    """The terms agreed with a customer from ``valid_from`` to ``valid_to`` (both included)."""

    __tablename__ = "contracts"
    __table_args__ = (
        UniqueConstraint("customer_id", "reference", name="uq_contracts_customer_reference"),
        Index("ix_contracts_customer_id", "customer_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    reference: Mapped[str] = mapped_column(String(64))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    payment_term: Mapped[str] = mapped_column(String(TERM_TEXT_LENGTH))
    discount_base: Mapped[str] = mapped_column(String(8), default="gross")
    interest_regime: Mapped[str | None] = mapped_column(String(32))
    interest_rate: Mapped[Decimal | None] = mapped_column(Numeric(9, 4))
    day_count: Mapped[str | None] = mapped_column(String(16))
    grace_days: Mapped[int] = mapped_column(Integer, default=0)
    minimum_minor: Mapped[int | None] = mapped_column(BigInteger)
    charge_currency: Mapped[str | None] = mapped_column(String(3))
    dunning_fees: Mapped[str | None] = mapped_column(Text)


class LateChargeRow(Base):
    """One line of a late-charge debit note: interest for some days, a compensation or a fee."""

    __tablename__ = "late_charges"
    __table_args__ = (
        UniqueConstraint("charge_key", name="uq_late_charges_charge_key"),
        Index("ix_late_charges_item_document_id", "item_document_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    charge_key: Mapped[str] = mapped_column(String(250))
    kind: Mapped[str] = mapped_column(String(16))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    item_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    debit_note_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    first_day: Mapped[date | None] = mapped_column(Date)
    last_day: Mapped[date | None] = mapped_column(Date)
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    regime: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
