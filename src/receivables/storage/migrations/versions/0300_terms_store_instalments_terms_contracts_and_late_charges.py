"""Store instalments, payment terms, contracts and late charges

Revision ID: 0300_terms
Revises: 0200_credit
Create Date: 2026-12-05

Every stored document becomes instalment 1, so existing ledgers keep their meaning. On SQLite the
documents table is rebuilt to swap its unique key; ``storage.database.upgrade`` runs migrations
with foreign keys off and checks them afterwards, as SQLite's ALTER TABLE procedure requires.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0300_terms"
down_revision = "0200_credit"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("payment_term", sa.String(length=200), nullable=True))
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("instalment", sa.SmallInteger(), server_default="1", nullable=False)
        )
        batch_op.add_column(sa.Column("payment_term", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("discount_offers", sa.Text(), nullable=True))
        batch_op.drop_constraint("uq_documents_kind_number", type_="unique")
        batch_op.create_unique_constraint(
            "uq_documents_kind_number_instalment", ["kind", "number", "instalment"]
        )
    _create_contracts()
    _create_late_charges()


def _create_contracts() -> None:
    op.create_table(
        "contracts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=64), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("payment_term", sa.String(length=200), nullable=False),
        sa.Column("discount_base", sa.String(length=8), nullable=False),
        sa.Column("interest_regime", sa.String(length=32), nullable=True),
        sa.Column("interest_rate", sa.Numeric(precision=9, scale=4), nullable=True),
        sa.Column("day_count", sa.String(length=16), nullable=True),
        sa.Column("grace_days", sa.Integer(), nullable=False),
        sa.Column("minimum_minor", sa.BigInteger(), nullable=True),
        sa.Column("charge_currency", sa.String(length=3), nullable=True),
        sa.Column("dunning_fees", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_contracts_customer_id_customers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contracts")),
        sa.UniqueConstraint("customer_id", "reference", name="uq_contracts_customer_reference"),
    )
    with op.batch_alter_table("contracts", schema=None) as batch_op:
        batch_op.create_index("ix_contracts_customer_id", ["customer_id"], unique=False)


def _create_late_charges() -> None:
    op.create_table(
        "late_charges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("charge_key", sa.String(length=250), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("item_document_id", sa.Integer(), nullable=True),
        sa.Column("debit_note_id", sa.Integer(), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=True),
        sa.Column("last_day", sa.Date(), nullable=True),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("regime", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_late_charges_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["item_document_id"],
            ["documents.id"],
            name=op.f("fk_late_charges_item_document_id_documents"),
        ),
        sa.ForeignKeyConstraint(
            ["debit_note_id"],
            ["documents.id"],
            name=op.f("fk_late_charges_debit_note_id_documents"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_late_charges")),
        sa.UniqueConstraint("charge_key", name="uq_late_charges_charge_key"),
    )
    with op.batch_alter_table("late_charges", schema=None) as batch_op:
        batch_op.create_index(
            "ix_late_charges_item_document_id", ["item_document_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("late_charges", schema=None) as batch_op:
        batch_op.drop_index("ix_late_charges_item_document_id")
    op.drop_table("late_charges")
    with op.batch_alter_table("contracts", schema=None) as batch_op:
        batch_op.drop_index("ix_contracts_customer_id")
    op.drop_table("contracts")
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_constraint("uq_documents_kind_number_instalment", type_="unique")
        batch_op.create_unique_constraint("uq_documents_kind_number", ["kind", "number"])
        batch_op.drop_column("discount_offers")
        batch_op.drop_column("payment_term")
        batch_op.drop_column("instalment")
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.drop_column("payment_term")
