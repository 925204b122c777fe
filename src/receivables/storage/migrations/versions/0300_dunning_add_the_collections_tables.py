"""Add the collections tables

Revision ID: 0300_dunning
Revises: 0300_terms
Create Date: 2026-12-04

Contacts, dunning overrides, runs, notices and their items, the delivery outbox, tasks,
disputes, promises to pay and the append-only collections audit log. Triggers reject any
update or delete of ``collection_audit`` rows, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0300_dunning"
down_revision = "0300_terms"
branch_labels = None
depends_on = None

APPEND_ONLY_MESSAGE = "collection_audit is append-only"


def upgrade() -> None:
    op.create_table(
        "dunning_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("user_name", sa.String(length=64), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dunning_runs")),
    )
    op.create_table(
        "customer_contacts",
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("contact_name", sa.String(length=200), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.Column("street", sa.String(length=200), nullable=True),
        sa.Column("postal_code", sa.String(length=20), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_customer_contacts_customer_id_customers"),
        ),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_customer_contacts")),
    )
    op.create_table(
        "dunning_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("level_name", sa.String(length=64), nullable=False),
        sa.Column("policy", sa.String(length=64), nullable=False),
        sa.Column("items_key", sa.String(length=40), nullable=False),
        sa.Column("notice_date", sa.Date(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("template", sa.String(length=64), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("total_minor", sa.BigInteger(), nullable=False),
        sa.Column("fee_minor", sa.BigInteger(), nullable=False),
        sa.Column("recipient", sa.String(length=500), nullable=True),
        sa.Column("subject_override", sa.String(length=200), nullable=True),
        sa.Column("message_override", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reviewed_by", sa.String(length=64), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_dunning_notices_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["dunning_runs.id"], name=op.f("fk_dunning_notices_run_id_dunning_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dunning_notices")),
        sa.UniqueConstraint(
            "customer_id", "level", "items_key", name="uq_dunning_notices_customer_level_items"
        ),
    )
    with op.batch_alter_table("dunning_notices", schema=None) as batch_op:
        batch_op.create_index("ix_dunning_notices_customer_id", ["customer_id"], unique=False)

    op.create_table(
        "dunning_overrides",
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("policy", sa.String(length=64), nullable=True),
        sa.Column("hold_until", sa.Date(), nullable=True),
        sa.Column("hold_reason", sa.String(length=500), nullable=True),
        sa.Column("collector", sa.String(length=64), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_dunning_overrides_customer_id_customers"),
        ),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_dunning_overrides")),
    )
    op.create_table(
        "collection_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_name", sa.String(length=64), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("notice_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_collection_audit_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["notice_id"],
            ["dunning_notices.id"],
            name=op.f("fk_collection_audit_notice_id_dunning_notices"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collection_audit")),
    )
    with op.batch_alter_table("collection_audit", schema=None) as batch_op:
        batch_op.create_index("ix_collection_audit_customer_id", ["customer_id"], unique=False)

    op.create_table(
        "disputes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("owner", sa.String(length=64), nullable=True),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("opened_by", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("resolution", sa.String(length=16), nullable=True),
        sa.Column("resolved_on", sa.Date(), nullable=True),
        sa.Column("resolved_by", sa.String(length=64), nullable=True),
        sa.Column("credit_note_number", sa.String(length=64), nullable=True),
        sa.Column("note", sa.String(length=1000), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_disputes_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name=op.f("fk_disputes_document_id_documents")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disputes")),
    )
    with op.batch_alter_table("disputes", schema=None) as batch_op:
        batch_op.create_index("ix_disputes_customer_id", ["customer_id"], unique=False)
        batch_op.create_index("ix_disputes_document_id", ["document_id"], unique=False)

    op.create_table(
        "dunning_notice_items",
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("open_minor", sa.BigInteger(), nullable=False),
        sa.Column("open_company_minor", sa.BigInteger(), nullable=False),
        sa.Column("days_past_due", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_dunning_notice_items_document_id_documents"),
        ),
        sa.ForeignKeyConstraint(
            ["notice_id"],
            ["dunning_notices.id"],
            name=op.f("fk_dunning_notice_items_notice_id_dunning_notices"),
        ),
        sa.PrimaryKeyConstraint("notice_id", "document_id", name=op.f("pk_dunning_notice_items")),
    )
    with op.batch_alter_table("dunning_notice_items", schema=None) as batch_op:
        batch_op.create_index("ix_dunning_notice_items_document_id", ["document_id"], unique=False)

    op.create_table(
        "dunning_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claim_token", sa.String(length=36), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("transport", sa.String(length=16), nullable=True),
        sa.Column("message_id", sa.String(length=200), nullable=True),
        sa.Column("last_error", sa.String(length=1000), nullable=True),
        sa.ForeignKeyConstraint(
            ["notice_id"],
            ["dunning_notices.id"],
            name=op.f("fk_dunning_outbox_notice_id_dunning_notices"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dunning_outbox")),
        sa.UniqueConstraint("notice_id", name="uq_dunning_outbox_notice_id"),
    )
    with op.batch_alter_table("dunning_outbox", schema=None) as batch_op:
        batch_op.create_index("ix_dunning_outbox_state", ["state"], unique=False)

    op.create_table(
        "dunning_tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=True),
        sa.Column("parent_task_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("assignee", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("next_action", sa.String(length=32), nullable=True),
        sa.Column("note", sa.String(length=1000), nullable=True),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("done_by", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_dunning_tasks_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["notice_id"],
            ["dunning_notices.id"],
            name=op.f("fk_dunning_tasks_notice_id_dunning_notices"),
        ),
        sa.ForeignKeyConstraint(
            ["parent_task_id"],
            ["dunning_tasks.id"],
            name=op.f("fk_dunning_tasks_parent_task_id_dunning_tasks"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dunning_tasks")),
    )
    with op.batch_alter_table("dunning_tasks", schema=None) as batch_op:
        batch_op.create_index("ix_dunning_tasks_customer_id", ["customer_id"], unique=False)
        batch_op.create_index("ix_dunning_tasks_status", ["status"], unique=False)

    op.create_table(
        "promises",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("made_on", sa.Date(), nullable=False),
        sa.Column("promised_date", sa.Date(), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("grace_days", sa.Integer(), nullable=False),
        sa.Column("open_at_promise_minor", sa.BigInteger(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("recorded_by", sa.String(length=64), nullable=True),
        sa.Column("task_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=1000), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_promises_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["task_id"], ["dunning_tasks.id"], name=op.f("fk_promises_task_id_dunning_tasks")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_promises")),
    )
    with op.batch_alter_table("promises", schema=None) as batch_op:
        batch_op.create_index("ix_promises_customer_id", ["customer_id"], unique=False)

    op.create_table(
        "promise_items",
        sa.Column("promise_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name=op.f("fk_promise_items_document_id_documents")
        ),
        sa.ForeignKeyConstraint(
            ["promise_id"], ["promises.id"], name=op.f("fk_promise_items_promise_id_promises")
        ),
        sa.PrimaryKeyConstraint("promise_id", "document_id", name=op.f("pk_promise_items")),
    )
    _create_audit_guards()


def downgrade() -> None:
    _drop_audit_guards()
    op.drop_table("promise_items")
    with op.batch_alter_table("promises", schema=None) as batch_op:
        batch_op.drop_index("ix_promises_customer_id")

    op.drop_table("promises")
    with op.batch_alter_table("dunning_tasks", schema=None) as batch_op:
        batch_op.drop_index("ix_dunning_tasks_status")
        batch_op.drop_index("ix_dunning_tasks_customer_id")

    op.drop_table("dunning_tasks")
    with op.batch_alter_table("dunning_outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_dunning_outbox_state")

    op.drop_table("dunning_outbox")
    with op.batch_alter_table("dunning_notice_items", schema=None) as batch_op:
        batch_op.drop_index("ix_dunning_notice_items_document_id")

    op.drop_table("dunning_notice_items")
    with op.batch_alter_table("disputes", schema=None) as batch_op:
        batch_op.drop_index("ix_disputes_document_id")
        batch_op.drop_index("ix_disputes_customer_id")

    op.drop_table("disputes")
    with op.batch_alter_table("collection_audit", schema=None) as batch_op:
        batch_op.drop_index("ix_collection_audit_customer_id")

    op.drop_table("collection_audit")
    op.drop_table("dunning_overrides")
    with op.batch_alter_table("dunning_notices", schema=None) as batch_op:
        batch_op.drop_index("ix_dunning_notices_customer_id")

    op.drop_table("dunning_notices")
    op.drop_table("customer_contacts")
    op.drop_table("dunning_runs")


def _create_audit_guards() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION collection_audit_append_only() RETURNS trigger AS $$ BEGIN "
            f"RAISE EXCEPTION '{APPEND_ONLY_MESSAGE}'; END; $$ LANGUAGE plpgsql"
        )
        op.execute(
            "CREATE TRIGGER collection_audit_append_only BEFORE UPDATE OR DELETE ON "
            "collection_audit FOR EACH ROW EXECUTE FUNCTION collection_audit_append_only()"
        )
        return
    for event in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER collection_audit_no_{event.lower()} BEFORE {event} ON "
            f"collection_audit BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END"
        )


def _drop_audit_guards() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS collection_audit_append_only ON collection_audit")
        op.execute("DROP FUNCTION IF EXISTS collection_audit_append_only()")
        return
    for event in ("update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS collection_audit_no_{event}")
