"""Add the cash application tables

Revision ID: 0100_banking
Revises: 0001
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0100_banking"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bank_match_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("transactions", sa.Integer(), nullable=False),
        sa.Column("auto_applied", sa.Integer(), nullable=False),
        sa.Column("suggested", sa.Integer(), nullable=False),
        sa.Column("unmatched", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bank_match_runs")),
    )
    op.create_table(
        "bank_statements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account", sa.String(length=64), nullable=False),
        sa.Column("format", sa.String(length=16), nullable=False),
        sa.Column("statement_key", sa.String(length=140), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("from_date", sa.Date(), nullable=True),
        sa.Column("to_date", sa.Date(), nullable=True),
        sa.Column("opening_minor", sa.BigInteger(), nullable=True),
        sa.Column("closing_minor", sa.BigInteger(), nullable=True),
        sa.Column("file_name", sa.String(length=500), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("transactions_read", sa.Integer(), nullable=False),
        sa.Column("transactions_new", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bank_statements")),
        sa.UniqueConstraint(
            "account", "format", "statement_key", "content_sha256", name="uq_bank_statements_key"
        ),
    )
    op.create_table(
        "customer_aliases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alias", sa.String(length=200), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("confirmations", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_customer_aliases_customer_id_customers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_aliases")),
        sa.UniqueConstraint("alias", "customer_id", name="uq_customer_aliases_alias_customer"),
    )
    op.create_table(
        "customer_ibans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("iban", sa.String(length=34), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("confirmations", sa.Integer(), nullable=False),
        sa.Column("last_seen", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_customer_ibans_customer_id_customers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_ibans")),
        sa.UniqueConstraint("iban", "customer_id", name="uq_customer_ibans_iban_customer"),
    )
    op.create_table(
        "reference_patterns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("prefix", sa.String(length=40), nullable=False),
        sa.Column("confirmations", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_reference_patterns_customer_id_customers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reference_patterns")),
        sa.UniqueConstraint("customer_id", "prefix", name="uq_reference_patterns_customer_prefix"),
    )
    op.create_table(
        "bank_transactions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("booking_date", sa.Date(), nullable=False),
        sa.Column("value_date", sa.Date(), nullable=True),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("counterparty_name", sa.String(length=200), nullable=True),
        sa.Column("counterparty_account", sa.String(length=64), nullable=True),
        sa.Column("counterparty_iban", sa.String(length=34), nullable=True),
        sa.Column("counterparty_bic", sa.String(length=11), nullable=True),
        sa.Column("remittance_text", sa.Text(), nullable=False),
        sa.Column("structured_reference", sa.String(length=64), nullable=True),
        sa.Column("reference_kind", sa.String(length=8), nullable=True),
        sa.Column("end_to_end_id", sa.String(length=64), nullable=True),
        sa.Column("bank_reference", sa.String(length=64), nullable=True),
        sa.Column("transaction_code", sa.String(length=64), nullable=True),
        sa.Column("reversal", sa.Boolean(), nullable=False),
        sa.Column("source_position", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("payment_document_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["payment_document_id"],
            ["documents.id"],
            name=op.f("fk_bank_transactions_payment_document_id_documents"),
        ),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["bank_statements.id"],
            name=op.f("fk_bank_transactions_statement_id_bank_statements"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bank_transactions")),
        sa.UniqueConstraint("fingerprint", name="uq_bank_transactions_fingerprint"),
    )
    with op.batch_alter_table("bank_transactions", schema=None) as batch_op:
        batch_op.create_index("ix_bank_transactions_statement_id", ["statement_id"], unique=False)
        batch_op.create_index("ix_bank_transactions_status", ["status"], unique=False)

    op.create_table(
        "payment_references",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("scheme", sa.String(length=8), nullable=False),
        sa.Column("reference", sa.String(length=35), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_payment_references_document_id_documents"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_references")),
        sa.UniqueConstraint("document_id", "scheme", name="uq_payment_references_document_scheme"),
        sa.UniqueConstraint("reference", name="uq_payment_references_reference"),
    )
    op.create_table(
        "deductions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("transaction_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("credit_document_id", sa.Integer(), nullable=True),
        sa.Column("reason_code", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["credit_document_id"],
            ["documents.id"],
            name=op.f("fk_deductions_credit_document_id_documents"),
        ),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name=op.f("fk_deductions_document_id_documents")
        ),
        sa.ForeignKeyConstraint(
            ["transaction_id"],
            ["bank_transactions.id"],
            name=op.f("fk_deductions_transaction_id_bank_transactions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deductions")),
        sa.UniqueConstraint(
            "transaction_id", "document_id", "reason_code", name="uq_deductions_part"
        ),
    )
    op.create_table(
        "match_proposals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("transaction_id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("signature", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("decided_by", sa.String(length=16), nullable=True),
        sa.Column("rule", sa.String(length=32), nullable=False),
        sa.Column("confidence", sa.Numeric(precision=5, scale=4), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("unapplied_minor", sa.BigInteger(), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_match_proposals_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["bank_match_runs.id"],
            name=op.f("fk_match_proposals_run_id_bank_match_runs"),
        ),
        sa.ForeignKeyConstraint(
            ["transaction_id"],
            ["bank_transactions.id"],
            name=op.f("fk_match_proposals_transaction_id_bank_transactions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_proposals")),
        sa.UniqueConstraint(
            "transaction_id", "signature", name="uq_match_proposals_transaction_signature"
        ),
    )
    with op.batch_alter_table("match_proposals", schema=None) as batch_op:
        batch_op.create_index("ix_match_proposals_status", ["status"], unique=False)

    op.create_table(
        "match_proposal_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_match_proposal_items_document_id_documents"),
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["match_proposals.id"],
            name=op.f("fk_match_proposal_items_proposal_id_match_proposals"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_proposal_items")),
        sa.UniqueConstraint(
            "proposal_id", "document_id", "kind", name="uq_match_proposal_items_part"
        ),
    )


def downgrade() -> None:
    op.drop_table("match_proposal_items")
    with op.batch_alter_table("match_proposals", schema=None) as batch_op:
        batch_op.drop_index("ix_match_proposals_status")

    op.drop_table("match_proposals")
    op.drop_table("deductions")
    op.drop_table("payment_references")
    with op.batch_alter_table("bank_transactions", schema=None) as batch_op:
        batch_op.drop_index("ix_bank_transactions_status")
        batch_op.drop_index("ix_bank_transactions_statement_id")

    op.drop_table("bank_transactions")
    op.drop_table("reference_patterns")
    op.drop_table("customer_ibans")
    op.drop_table("customer_aliases")
    op.drop_table("bank_statements")
    op.drop_table("bank_match_runs")
