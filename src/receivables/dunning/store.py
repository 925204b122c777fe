"""Writing a run's plan: notices, their items, deliveries, tasks and audit events, in one go.

Notices go in with ``INSERT ... ON CONFLICT DO NOTHING`` on (customer, level, items key). A
notice that an earlier or a concurrent run already planned is left as it is, and everything
else of this run hangs off the notices it inserted itself (those with its ``run_id``). So two
runs at once, or a run repeated after a crash, plan each notice once.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import polars as pl
from sqlalchemy import Connection, Engine, insert, text, update

from receivables.domain.credit.roles import Role
from receivables.domain.dunning.notices import DeliveryState, NoticeStatus
from receivables.domain.dunning.policy import Channel
from receivables.domain.dunning.tasks import TASK_KINDS, TaskStatus
from receivables.dunning.audit import SYSTEM_USER, utc_now
from receivables.dunning.bulk import stage, wait_for_writers
from receivables.dunning.users import users_with_role
from receivables.storage.dunning_models import DunningRunRow

NOTICE_STAGE: dict[str, pl.DataType] = {
    "customer_id": pl.Int64(),
    "level": pl.Int32(),
    "level_name": pl.String(),
    "policy": pl.String(),
    "items_key": pl.String(),
    "notice_date": pl.Date(),
    "channel": pl.String(),
    "template": pl.String(),
    "language": pl.String(),
    "status": pl.String(),
    "currency": pl.String(),
    "total_minor": pl.Int64(),
    "fee_minor": pl.Int64(),
    "recipient": pl.String(),
}
ITEM_STAGE: dict[str, pl.DataType] = {
    "customer_id": pl.Int64(),
    "level": pl.Int32(),
    "document_id": pl.Int64(),
    "open_minor": pl.Int64(),
    "open_company": pl.Int64(),
    "days_past_due": pl.Int32(),
}
TASK_STAGE: dict[str, pl.DataType] = {
    "customer_id": pl.Int64(),
    "level": pl.Int32(),
    "kind": pl.String(),
    "due_date": pl.Date(),
    "assignee": pl.String(),
}
MESSAGE_CHANNELS = f"'{Channel.EMAIL.value}', '{Channel.LETTER.value}'"


@dataclass
class WriteResult:
    planned: int = 0
    already_planned: int = 0
    by_level: Counter[str] = field(default_factory=Counter)
    by_channel: Counter[str] = field(default_factory=Counter)
    drafts: int = 0
    tasks: int = 0
    notice_ids: list[int] = field(default_factory=list)


def start_run(engine: Engine, as_of: date, user: str | None) -> int:
    with engine.begin() as connection:
        return int(
            connection.execute(
                insert(DunningRunRow)
                .values(as_of=as_of, started_at=utc_now(), user_name=user, state="running")
                .returning(DunningRunRow.id)
            ).scalar_one()
        )


def finish_run(engine: Engine, run_id: int, state: str, summary: dict[str, object]) -> None:
    with engine.begin() as connection:
        connection.execute(
            update(DunningRunRow)
            .where(DunningRunRow.id == run_id)
            .values(finished_at=utc_now(), state=state, summary=json.dumps(summary, default=str))
        )


def _assignees(connection: Connection, tasks: pl.DataFrame) -> pl.DataFrame:
    """Give each task the customer's collector, else a user of the level's role by rotation."""
    columns = []
    for role in sorted({str(value) for value in tasks["role"].unique().to_list()}):
        names = users_with_role(connection, frozenset({Role(role)}))
        if names:
            pick = pl.col("customer_id") % len(names)
            columns.append(
                pl.when(pl.col("role") == role).then(
                    pick.replace_strict(dict(enumerate(names)), return_dtype=pl.String)
                )
            )
    by_role = pl.coalesce(columns) if columns else pl.lit(None, pl.String)
    return tasks.with_columns(pl.coalesce(pl.col("collector"), by_role).alias("assignee"))


def _task_frame(connection: Connection, notices: pl.DataFrame) -> pl.DataFrame:
    kinds = {channel.value: kind.value for channel, kind in TASK_KINDS.items()}
    tasks = notices.filter(pl.col("channel").is_in(list(kinds)))
    if tasks.is_empty():
        return pl.DataFrame(schema=TASK_STAGE)
    tasks = tasks.with_columns(
        pl.col("channel").replace_strict(kinds, return_dtype=pl.String).alias("kind"),
        (pl.col("notice_date") + pl.duration(days=pl.col("task_due_days"))).alias("due_date"),
    )
    return _assignees(connection, tasks)


def write_plan(
    engine: Engine, run_id: int, notices: pl.DataFrame, items: pl.DataFrame, user: str | None
) -> WriteResult:
    """Insert the notices not planned before, with their items, deliveries, tasks and audit."""
    with engine.begin() as connection:
        wait_for_writers(connection)
        stage(connection, "stage_dunning_notices", notices, NOTICE_STAGE)
        columns = ", ".join(NOTICE_STAGE)
        connection.execute(
            text(
                f"INSERT INTO dunning_notices ({columns}, run_id, created_at) "
                f"SELECT {columns}, :run_id, :now FROM stage_dunning_notices WHERE 1 = 1 "
                "ON CONFLICT (customer_id, level, items_key) DO NOTHING"
            ),
            {"run_id": run_id, "now": utc_now()},
        )
        inserted = _inserted(connection, run_id)
        _write_items(connection, run_id, items)
        tasks = _task_frame(
            connection, notices.join(inserted.select("customer_id"), on="customer_id", how="semi")
        )
        _write_children(connection, run_id, tasks, user)
    return _result(notices.height, inserted, tasks.height)


INSERTED_SCHEMA: dict[str, pl.DataType] = {
    "id": pl.Int64(),
    "customer_id": pl.Int64(),
    "level": pl.Int32(),
    "channel": pl.String(),
    "status": pl.String(),
    "level_name": pl.String(),
}


def _inserted(connection: Connection, run_id: int) -> pl.DataFrame:
    rows = connection.execute(
        text(
            "SELECT id, customer_id, level, channel, status, level_name FROM dunning_notices "
            "WHERE run_id = :run_id"
        ),
        {"run_id": run_id},
    ).all()
    return pl.DataFrame(rows, schema=INSERTED_SCHEMA, orient="row")


def _write_items(connection: Connection, run_id: int, items: pl.DataFrame) -> None:
    stage(connection, "stage_dunning_items", items, ITEM_STAGE)
    connection.execute(
        text(
            "INSERT INTO dunning_notice_items (notice_id, document_id, open_minor, "
            "open_company_minor, days_past_due) "
            "SELECT n.id, s.document_id, s.open_minor, s.open_company, s.days_past_due "
            "FROM stage_dunning_items s JOIN dunning_notices n ON n.customer_id = s.customer_id "
            "AND n.level = s.level AND n.run_id = :run_id"
        ),
        {"run_id": run_id},
    )


def _write_children(
    connection: Connection, run_id: int, tasks: pl.DataFrame, user: str | None
) -> None:
    now = utc_now()
    connection.execute(
        text(
            "INSERT INTO dunning_outbox (notice_id, state, attempts, transport) "
            f"SELECT id, '{DeliveryState.PENDING.value}', 0, channel FROM dunning_notices "
            f"WHERE run_id = :run_id AND status = '{NoticeStatus.APPROVED.value}' "
            f"AND channel IN ({MESSAGE_CHANNELS})"
        ),
        {"run_id": run_id},
    )
    stage(connection, "stage_dunning_tasks", tasks, TASK_STAGE)
    connection.execute(
        text(
            "INSERT INTO dunning_tasks (customer_id, notice_id, kind, status, due_date, assignee, "
            "created_at, created_by) "
            f"SELECT s.customer_id, n.id, s.kind, '{TaskStatus.OPEN.value}', s.due_date, "
            "s.assignee, :now, :user FROM stage_dunning_tasks s JOIN dunning_notices n "
            "ON n.customer_id = s.customer_id AND n.level = s.level AND n.run_id = :run_id"
        ),
        {"run_id": run_id, "now": now, "user": user or SYSTEM_USER},
    )
    detail = (
        '\'{"level": \' || CAST(level AS TEXT) || \', "level_name": "\' || level_name || '
        '\'", "channel": "\' || channel || \'", "status": "\' || status || '
        "'\", \"run_id\": ' || CAST(run_id AS TEXT) || '}'"
    )
    connection.execute(
        text(
            "INSERT INTO collection_audit (at, user_name, action, customer_id, notice_id, detail) "
            f"SELECT :now, :user, 'notice_planned', customer_id, id, {detail} "
            "FROM dunning_notices WHERE run_id = :run_id"
        ),
        {"run_id": run_id, "now": now, "user": user or SYSTEM_USER},
    )


def _result(planned: int, inserted: pl.DataFrame, tasks: int) -> WriteResult:
    result = WriteResult(
        planned=inserted.height, already_planned=planned - inserted.height, tasks=tasks
    )
    result.by_level.update(inserted["level_name"].to_list())
    result.by_channel.update(inserted["channel"].to_list())
    result.drafts = inserted.filter(pl.col("status") == NoticeStatus.DRAFT.value).height
    result.notice_ids = inserted["id"].to_list()
    return result
