"""Review of draft notices: list, preview, approve, skip and edit, each recorded in the audit log.

Only a draft can be edited, approved or skipped (see ``domain.dunning.notices``). Approving an
email or letter notice queues its delivery in the outbox; approving a notice twice, or from two
sessions at once, queues it once, since the outbox holds one row per notice.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, text

from receivables.domain.dunning.notices import NoticeStatus, check_review
from receivables.domain.dunning.policy import Channel
from receivables.domain.dunning.roles import Action
from receivables.domain.money import Money
from receivables.dunning.audit import record, utc_now
from receivables.dunning.bulk import wait_for_writers
from receivables.dunning.errors import NotFoundError
from receivables.dunning.users import acting_user

LIST_SQL = (
    "SELECT n.id, c.code, n.level, n.level_name, n.channel, n.status, n.notice_date, "
    "n.total_minor, n.fee_minor, n.currency, n.recipient, n.language, o.state AS delivery, "
    "o.last_error, (SELECT COUNT(*) FROM dunning_notice_items i WHERE i.notice_id = n.id) AS items "
    "FROM dunning_notices n JOIN customers c ON c.id = n.customer_id "
    "LEFT JOIN dunning_outbox o ON o.notice_id = n.id"
)


def list_notices(
    engine: Engine,
    status: str | None = None,
    customer: str | None = None,
    delivery: str | None = None,
) -> list[dict[str, Any]]:
    clauses, params = [], {}
    for column, value in (("n.status", status), ("c.code", customer), ("o.state", delivery)):
        if value:
            key = column.split(".")[1]
            clauses.append(f"{column} = :{key}")
            params[key] = value
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    with engine.connect() as connection:
        rows = connection.execute(text(f"{LIST_SQL}{where} ORDER BY n.id"), params)
        return [
            {
                "id": row.id,
                "customer_code": row.code,
                "level": row.level,
                "level_name": row.level_name,
                "channel": row.channel,
                "status": row.status,
                "delivery": row.delivery,
                "notice_date": str(row.notice_date),
                "items": row.items,
                "total": str(Money.from_minor(row.total_minor, row.currency).amount),
                "fee": str(Money.from_minor(row.fee_minor, row.currency).amount),
                "currency": row.currency,
                "recipient": row.recipient,
                "language": row.language,
                "error": row.last_error,
            }
            for row in rows
        ]


def _notice(connection: Connection, notice_id: int) -> Any:
    row = connection.execute(
        text("SELECT id, customer_id, status, channel FROM dunning_notices WHERE id = :id"),
        {"id": notice_id},
    ).first()
    if row is None:
        raise NotFoundError("notice", notice_id)
    return row


def _review(connection: Connection, notice_id: int, target: NoticeStatus, user: str | None) -> Any:
    row = _notice(connection, notice_id)
    check_review(NoticeStatus(row.status), target)
    connection.execute(
        text(
            "UPDATE dunning_notices SET status = :status, reviewed_by = :user, reviewed_at = :now "
            "WHERE id = :id AND status = :current"
        ),
        {
            "status": target.value,
            "user": user,
            "now": utc_now(),
            "id": notice_id,
            "current": row.status,
        },
    )
    return row


def approve(engine: Engine, notice_ids: list[int], user: str | None) -> list[int]:
    """Approve drafts and queue their delivery; return the ids approved."""
    with engine.begin() as connection:
        wait_for_writers(connection)
        name = acting_user(connection, user, Action.REVIEW_NOTICE)
        for notice_id in notice_ids:
            row = _review(connection, notice_id, NoticeStatus.APPROVED, name)
            if row.channel in (Channel.EMAIL.value, Channel.LETTER.value):
                connection.execute(
                    text(
                        "INSERT INTO dunning_outbox (notice_id, state, attempts) "
                        "VALUES (:id, 'pending', 0) ON CONFLICT (notice_id) DO NOTHING"
                    ),
                    {"id": notice_id},
                )
            record(connection, name, "notice_approved", {}, row.customer_id, notice_id)
    return notice_ids


def draft_ids(engine: Engine, customer: str | None = None) -> list[int]:
    return [row["id"] for row in list_notices(engine, NoticeStatus.DRAFT.value, customer)]


def skip(engine: Engine, notice_id: int, user: str | None, reason: str) -> None:
    """Skip a draft: it is not sent, and stays in the contact history at its level."""
    with engine.begin() as connection:
        wait_for_writers(connection)
        name = acting_user(connection, user, Action.REVIEW_NOTICE)
        row = _review(connection, notice_id, NoticeStatus.SKIPPED, name)
        record(connection, name, "notice_skipped", {"reason": reason}, row.customer_id, notice_id)


def edit(
    engine: Engine,
    notice_id: int,
    user: str | None,
    subject: str | None = None,
    message: str | None = None,
    channel: str | None = None,
) -> None:
    """Change a draft's subject, opening message or channel (email or letter)."""
    changes: dict[str, Any] = {}
    if subject is not None:
        changes["subject_override"] = subject.strip()[:200] or None
    if message is not None:
        changes["message_override"] = message.strip() or None
    if channel is not None:
        if channel not in (Channel.EMAIL.value, Channel.LETTER.value):
            raise ValueError(f"channel {channel!r} cannot be set on a notice; use email or letter")
        changes["channel"] = channel
    if not changes:
        raise ValueError("nothing to edit: give --subject, --message or --channel")
    with engine.begin() as connection:
        wait_for_writers(connection)
        name = acting_user(connection, user, Action.REVIEW_NOTICE)
        row = _notice(connection, notice_id)
        check_review(NoticeStatus(row.status), NoticeStatus.DRAFT)
        assignments = ", ".join(f"{key} = :{key}" for key in changes)
        connection.execute(
            text(f"UPDATE dunning_notices SET {assignments} WHERE id = :id"),
            {**changes, "id": notice_id},
        )
        record(connection, name, "notice_edited", changes, row.customer_id, notice_id)
