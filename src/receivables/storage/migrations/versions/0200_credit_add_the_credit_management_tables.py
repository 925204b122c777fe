"""Add the credit management tables

Revision ID: 0200_credit
Revises: 0100_banking
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0200_credit"
down_revision = "0100_banking"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "credit_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("customers", sa.Integer(), nullable=False),
        sa.Column("class_changes", sa.Integer(), nullable=False),
        sa.Column("warnings", sa.Integer(), nullable=False),
        sa.Column("due_for_review", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_reviews")),
        sa.UniqueConstraint("as_of", name="uq_credit_reviews_as_of"),
    )
    op.create_table(
        "sales_figures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("segment", sa.String(length=100), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("cash_sales_minor", sa.BigInteger(), nullable=True),
        sa.Column("total_sales_minor", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sales_figures")),
        sa.UniqueConstraint("month", "segment", name="uq_sales_figures_month_segment"),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("name", name="uq_users_name"),
    )
    op.create_table(
        "bureau_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("provider", sa.String(length=64), nullable=False),
        sa.Column("event_kind", sa.String(length=32), nullable=False),
        sa.Column("event_date", sa.Date(), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_bureau_events_customer_id_customers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bureau_events")),
        sa.UniqueConstraint(
            "customer_id", "provider", "event_kind", "event_date", name="uq_bureau_events_key"
        ),
    )
    op.create_table(
        "bureau_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("provider", sa.String(length=64), nullable=False),
        sa.Column("report_date", sa.Date(), nullable=False),
        sa.Column("score_hundredths", sa.BigInteger(), nullable=True),
        sa.Column("rating", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_bureau_reports_customer_id_customers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bureau_reports")),
        sa.UniqueConstraint(
            "customer_id",
            "provider",
            "report_date",
            name="uq_bureau_reports_customer_provider_date",
        ),
    )
    op.create_table(
        "credit_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.String(length=1000), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_credit_audit_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_credit_audit_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_audit")),
    )
    with op.batch_alter_table("credit_audit", schema=None) as batch_op:
        batch_op.create_index("ix_credit_audit_customer_id", ["customer_id"], unique=False)

    op.create_table(
        "credit_holds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("placed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("placed_by", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("released_by", sa.Integer(), nullable=True),
        sa.Column("release_reason", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_credit_holds_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["placed_by"], ["users.id"], name=op.f("fk_credit_holds_placed_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["released_by"], ["users.id"], name=op.f("fk_credit_holds_released_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_holds")),
    )
    with op.batch_alter_table("credit_holds", schema=None) as batch_op:
        batch_op.create_index("ix_credit_holds_customer_id", ["customer_id"], unique=False)

    op.create_table(
        "credit_limits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("effective_date", sa.Date(), nullable=False),
        sa.Column("review_date", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("approved_by", sa.Integer(), nullable=False),
        sa.Column("recommended_minor", sa.BigInteger(), nullable=True),
        sa.Column("binding_method", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["approved_by"], ["users.id"], name=op.f("fk_credit_limits_approved_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_credit_limits_customer_id_customers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_limits")),
    )
    with op.batch_alter_table("credit_limits", schema=None) as batch_op:
        batch_op.create_index("ix_credit_limits_customer_id", ["customer_id"], unique=False)

    op.create_table(
        "credit_review_findings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("finding", sa.String(length=32), nullable=False),
        sa.Column("detail", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_credit_review_findings_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["credit_reviews.id"],
            name=op.f("fk_credit_review_findings_review_id_credit_reviews"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_review_findings")),
    )
    with op.batch_alter_table("credit_review_findings", schema=None) as batch_op:
        batch_op.create_index("ix_credit_review_findings_review_id", ["review_id"], unique=False)

    op.create_table(
        "credit_scores",
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("score_tenths", sa.Integer(), nullable=False),
        sa.Column("risk_class", sa.String(length=1), nullable=False),
        sa.Column("score_class", sa.String(length=1), nullable=False),
        sa.Column("behaviour_score", sa.Integer(), nullable=True),
        sa.Column("financial_score", sa.Integer(), nullable=True),
        sa.Column("bureau_score", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_credit_scores_customer_id_customers")
        ),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_credit_scores")),
    )
    op.create_table(
        "customer_orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("order_number", sa.String(length=64), nullable=False),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("order_date", sa.Date(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("fx_rate", sa.Numeric(precision=24, scale=10), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_customer_orders_customer_id_customers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_orders")),
        sa.UniqueConstraint("order_number", "stage", name="uq_customer_orders_number_stage"),
    )
    with op.batch_alter_table("customer_orders", schema=None) as batch_op:
        batch_op.create_index("ix_customer_orders_customer_id", ["customer_id"], unique=False)

    op.create_table(
        "financial_statements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("current_assets_minor", sa.BigInteger(), nullable=False),
        sa.Column("current_liabilities_minor", sa.BigInteger(), nullable=False),
        sa.Column("cash_minor", sa.BigInteger(), nullable=False),
        sa.Column("inventory_minor", sa.BigInteger(), nullable=False),
        sa.Column("total_assets_minor", sa.BigInteger(), nullable=False),
        sa.Column("total_liabilities_minor", sa.BigInteger(), nullable=False),
        sa.Column("equity_minor", sa.BigInteger(), nullable=False),
        sa.Column("retained_earnings_minor", sa.BigInteger(), nullable=False),
        sa.Column("sales_minor", sa.BigInteger(), nullable=False),
        sa.Column("ebit_minor", sa.BigInteger(), nullable=False),
        sa.Column("net_income_minor", sa.BigInteger(), nullable=False),
        sa.Column("interest_expense_minor", sa.BigInteger(), nullable=False),
        sa.Column("altman_model", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_financial_statements_customer_id_customers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_financial_statements")),
        sa.UniqueConstraint(
            "customer_id", "fiscal_year", name="uq_financial_statements_customer_year"
        ),
    )
    op.create_table(
        "risk_class_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("old_class", sa.String(length=1), nullable=True),
        sa.Column("new_class", sa.String(length=1), nullable=False),
        sa.Column("score_tenths", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_risk_class_changes_customer_id_customers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_class_changes")),
    )
    with op.batch_alter_table("risk_class_changes", schema=None) as batch_op:
        batch_op.create_index("ix_risk_class_changes_customer_id", ["customer_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("risk_class_changes", schema=None) as batch_op:
        batch_op.drop_index("ix_risk_class_changes_customer_id")

    op.drop_table("risk_class_changes")
    op.drop_table("financial_statements")
    with op.batch_alter_table("customer_orders", schema=None) as batch_op:
        batch_op.drop_index("ix_customer_orders_customer_id")

    op.drop_table("customer_orders")
    op.drop_table("credit_scores")
    with op.batch_alter_table("credit_review_findings", schema=None) as batch_op:
        batch_op.drop_index("ix_credit_review_findings_review_id")

    op.drop_table("credit_review_findings")
    with op.batch_alter_table("credit_limits", schema=None) as batch_op:
        batch_op.drop_index("ix_credit_limits_customer_id")

    op.drop_table("credit_limits")
    with op.batch_alter_table("credit_holds", schema=None) as batch_op:
        batch_op.drop_index("ix_credit_holds_customer_id")

    op.drop_table("credit_holds")
    with op.batch_alter_table("credit_audit", schema=None) as batch_op:
        batch_op.drop_index("ix_credit_audit_customer_id")

    op.drop_table("credit_audit")
    op.drop_table("bureau_reports")
    op.drop_table("bureau_events")
    op.drop_table("users")
    op.drop_table("sales_figures")
    op.drop_table("credit_reviews")
