"""The delivery outbox: claiming pending notices, recording results, recovering after a crash.

A sender claims a batch of pending rows by moving them to ``claimed`` with its own claim token
in one ``UPDATE``. On PostgreSQL the rows are picked with ``FOR UPDATE SKIP LOCKED``, so
concurrent senders take disjoint rows without waiting for each other; SQLite runs one writer at
a time, so the single statement is atomic there as well. Right before it delivers a row, the
sender moves it to ``sending`` in its own committed transaction, and records the result after.
Only the holder of the token can move a row on.

Rows left ``claimed`` or ``sending`` longer than the claim lease, or held by a process of
this host that no longer runs, belong to a sender that stopped (a crash or a kill). A claimed
row was never tried, so it is pending again. For a row left sending, a file delivery is checked
on disk: the file is there (delivered) or not (pending again, since the file is written
atomically). An SMTP delivery cannot be checked, so it becomes ``unconfirmed`` and waits for a
user: a notice is never sent twice automatically.
"""

from __future__ import annotations

import hashlib
import logging
import os
import socket
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, text

from receivables.domain.dunning.notices import DeliveryState
from receivables.domain.dunning.roles import Action
from receivables.dunning.audit import record, utc_now
from receivables.dunning.bulk import is_postgres, wait_for_writers
from receivables.dunning.errors import NotFoundError
from receivables.dunning.users import acting_user

log = logging.getLogger(__name__)

HELD = f"'{DeliveryState.CLAIMED.value}', '{DeliveryState.SENDING.value}'"
SMTP = "smtp"
EML_FILE = "eml_file"
PDF_FILE = "pdf_file"


@dataclass(frozen=True)
class Claim:
    outbox_id: int
    notice_id: int
    transport: str
    attempts: int


def _host() -> str:
    """Return 8 hex digits naming this host; the token column is 36 characters wide."""
    return hashlib.sha256(socket.gethostname().encode("utf-8")).hexdigest()[:8]


def new_token() -> str:
    """Return a claim token naming this host and process, so a successor can tell it stopped."""
    return f"{_host()}:{os.getpid()}:{uuid.uuid4().hex[:16]}"


def sender_stopped(token: str | None) -> bool:
    """Whether the process that owns ``token`` ran on this host and is gone."""
    host, _, rest = (token or "").partition(":")
    pid_text = rest.partition(":")[0]
    if host != _host() or not pid_text.isdigit():
        return False
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def claim(
    engine: Engine, token: str, batch: int, email_transport: str, channel: str | None = None
) -> list[Claim]:
    """Claim up to ``batch`` pending deliveries (of one ``channel``, if given) for ``token``."""
    with engine.begin() as connection:
        wait_for_writers(connection)
        lock = " FOR UPDATE OF o SKIP LOCKED" if is_postgres(connection) else ""
        only = " AND n.channel = :channel" if channel else ""
        rows = connection.execute(
            text(
                f"UPDATE dunning_outbox SET state = '{DeliveryState.CLAIMED.value}', "
                "claim_token = :token, claimed_at = :now, attempts = attempts + 1, "
                "transport = (SELECT CASE n.channel WHEN 'email' THEN :email ELSE :pdf END "
                "FROM dunning_notices n WHERE n.id = dunning_outbox.notice_id) "
                "WHERE id IN (SELECT o.id FROM dunning_outbox o "
                "JOIN dunning_notices n ON n.id = o.notice_id "
                f"WHERE o.state = '{DeliveryState.PENDING.value}'{only} "
                f"ORDER BY o.id LIMIT :batch{lock}) "
                "RETURNING id, notice_id, transport, attempts"
            ),
            {
                "token": token,
                "now": utc_now(),
                "batch": batch,
                "email": email_transport,
                "pdf": PDF_FILE,
                "channel": channel,
            },
        ).all()
    claims = [Claim(row.id, row.notice_id, row.transport, row.attempts) for row in rows]
    return sorted(claims, key=lambda item: item.outbox_id)


def _finish(
    engine: Engine,
    item: Claim,
    token: str,
    values: Mapping[str, object],
    action: str,
    detail: Mapping[str, object],
) -> bool:
    assignments = ", ".join(f"{key} = :{key}" for key in values)
    with engine.begin() as connection:
        wait_for_writers(connection)
        changed = connection.execute(
            text(
                f"UPDATE dunning_outbox SET {assignments} WHERE id = :outbox_id "
                f"AND claim_token = :token AND state IN ({HELD})"
            ),
            {**values, "outbox_id": item.outbox_id, "token": token},
        ).rowcount
        if changed:
            record(connection, None, action, detail, notice_id=item.notice_id)
    if not changed:
        log.warning(
            "delivery %d of notice %d was taken from this sender; result not recorded",
            item.outbox_id,
            item.notice_id,
        )
    return bool(changed)


def begin_delivery(engine: Engine, item: Claim, token: str) -> bool:
    """Record that ``item`` is being delivered now; False if this sender no longer owns it."""
    with engine.begin() as connection:
        wait_for_writers(connection)
        changed = connection.execute(
            text(
                f"UPDATE dunning_outbox SET state = '{DeliveryState.SENDING.value}', "
                "claimed_at = :now WHERE id = :id AND claim_token = :token "
                f"AND state = '{DeliveryState.CLAIMED.value}'"
            ),
            {"now": utc_now(), "id": item.outbox_id, "token": token},
        ).rowcount
    return bool(changed)


def mark_sent(engine: Engine, item: Claim, token: str, message_id: str, target: str) -> bool:
    values = {
        "state": DeliveryState.SENT.value,
        "sent_at": utc_now(),
        "message_id": message_id,
        "last_error": None,
    }
    return _finish(
        engine,
        item,
        token,
        values,
        "notice_sent",
        {"transport": item.transport, "to": target, "message_id": message_id},
    )


def mark_failed(engine: Engine, item: Claim, token: str, error: str) -> bool:
    values = {"state": DeliveryState.FAILED.value, "last_error": error[:1000]}
    return _finish(
        engine, item, token, values, "notice_failed", {"transport": item.transport, "error": error}
    )


def delivered_file(item: Claim, email_dir: Path, letters_dir: Path) -> Path:
    """Return the file a file delivery writes: one per notice, so a second write is detectable."""
    if item.transport == PDF_FILE:
        return letters_dir / f"notice-{item.notice_id}.pdf"
    return email_dir / f"notice-{item.notice_id}.eml"


def recover_stale(
    engine: Engine, lease_seconds: int, email_dir: Path, letters_dir: Path
) -> dict[str, int]:
    """Resolve deliveries a stopped sender left claimed or sending; return counts by outcome."""
    cutoff = utc_now() - timedelta(seconds=lease_seconds)
    counts = {"sent": 0, "pending": 0, "unconfirmed": 0, "released": 0}
    with engine.begin() as connection:
        wait_for_writers(connection)
        stale = connection.execute(
            text(
                "SELECT id, notice_id, transport, attempts, claim_token, state, claimed_at "
                "FROM dunning_outbox "
                f"WHERE state IN ({HELD})"
            ),
        ).all()
        for row in stale:
            if _as_utc(row.claimed_at) > cutoff and not sender_stopped(row.claim_token):
                continue
            item = Claim(row.id, row.notice_id, row.transport, row.attempts)
            if row.state == DeliveryState.CLAIMED.value:
                state = DeliveryState.PENDING
            elif row.transport == SMTP:
                state = DeliveryState.UNCONFIRMED
            elif delivered_file(item, email_dir, letters_dir).exists():
                state = DeliveryState.SENT
            else:
                state = DeliveryState.PENDING
            connection.execute(
                text(
                    "UPDATE dunning_outbox SET state = :state, claim_token = NULL "
                    "WHERE id = :id AND claim_token = :token"
                ),
                {"state": state.value, "id": row.id, "token": row.claim_token},
            )
            if state is DeliveryState.PENDING and row.state == DeliveryState.CLAIMED.value:
                counts["released"] += 1
                continue
            record(
                connection,
                None,
                "delivery_recovered",
                {"state": state.value, "transport": row.transport},
                notice_id=row.notice_id,
            )
            counts[state.value] += 1
            log.warning(
                "delivery of notice %d was left sending by a stopped sender; now %s",
                row.notice_id,
                state.value,
            )
    return counts


def _as_utc(moment: datetime | str) -> datetime:
    """Read a stored time; SQLite returns text, and a naive time is taken as UTC."""
    value = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def resolve_delivery(engine: Engine, notice_id: int, outcome: str, user: str | None) -> str:
    """Settle an unconfirmed or failed delivery: ``sent`` (it went out) or ``resend``."""
    if outcome not in ("sent", "resend"):
        raise ValueError(f"outcome {outcome!r} is unknown; use sent or resend")
    with engine.begin() as connection:
        wait_for_writers(connection)
        name = acting_user(connection, user, Action.RESOLVE_DELIVERY)
        state = connection.execute(
            text("SELECT state FROM dunning_outbox WHERE notice_id = :id"), {"id": notice_id}
        ).scalar()
        if state is None:
            raise NotFoundError("delivery of notice", notice_id)
        allowed = {
            "sent": {DeliveryState.UNCONFIRMED.value},
            "resend": {DeliveryState.UNCONFIRMED.value, DeliveryState.FAILED.value},
        }
        if state not in allowed[outcome]:
            states = " or ".join(sorted(allowed[outcome]))
            raise ValueError(
                f"the delivery of notice {notice_id} is {state}; only {states} can be {outcome}"
            )
        target = DeliveryState.SENT if outcome == "sent" else DeliveryState.PENDING
        connection.execute(
            text(
                "UPDATE dunning_outbox SET state = :state, claim_token = NULL, last_error = NULL "
                "WHERE notice_id = :id"
            ),
            {"state": target.value, "id": notice_id},
        )
        record(
            connection,
            name,
            "delivery_resolved",
            {"from": state, "to": target.value},
            notice_id=notice_id,
        )
    return target.value
