"""Browser sessions kept on the server: a random cookie value, its CSRF token and its expiry.

The cookie holds 256 random bits; the table holds only their SHA-256 digest, so a copy of the
database cannot be replayed as a cookie. A session ends at the first of: sign-out, its absolute
lifetime, an idle time without requests, a password change or the user being disabled.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, insert, select, update

from receivables.auth.clock import as_utc, digest, utc_now
from receivables.auth.principal import Principal, find_principal
from receivables.storage.service_models import BrowserSessionRow

SESSION_LIFETIME = timedelta(hours=12)
IDLE_TIMEOUT = timedelta(hours=2)
# last_seen_at is written at most this often, so reading pages does not write on each request.
TOUCH_INTERVAL = timedelta(minutes=1)


@dataclass(frozen=True)
class BrowserSession:
    """A signed-in browser. ``token`` goes into the cookie and is known only to the browser."""

    token: str
    csrf_token: str
    user_id: int
    expires_at: datetime


def create_session(
    engine: Engine, principal: Principal, lifetime: timedelta = SESSION_LIFETIME
) -> BrowserSession:
    """Start a session for ``principal`` and return it with its cookie value and CSRF token."""
    token = secrets.token_urlsafe(32)
    csrf_token = secrets.token_urlsafe(32)
    now = utc_now()
    with engine.begin() as connection:
        connection.execute(
            insert(BrowserSessionRow).values(
                user_id=principal.user_id,
                token_hash=digest(token),
                csrf_token=csrf_token,
                created_at=now,
                last_seen_at=now,
                expires_at=now + lifetime,
            )
        )
    return BrowserSession(token, csrf_token, principal.user_id, now + lifetime)


def session_principal(engine: Engine, token: str) -> tuple[Principal, BrowserSession] | None:
    """Return the user and session of cookie value ``token``, or None when it is not valid now."""
    if not token:
        return None
    now = utc_now()
    with engine.connect() as connection:
        row = connection.execute(
            select(*BrowserSessionRow.__table__.c).where(BrowserSessionRow.token_hash == digest(token))
        ).first()
        if row is None:
            return None
        expired = as_utc(row.expires_at) <= now or as_utc(row.last_seen_at) + IDLE_TIMEOUT <= now
        principal = None if expired else find_principal(connection, row.user_id)
    if principal is None:
        end_session(engine, token)
        return None
    if as_utc(row.last_seen_at) + TOUCH_INTERVAL <= now:
        with engine.begin() as connection:
            connection.execute(
                update(BrowserSessionRow).where(BrowserSessionRow.id == row.id).values(last_seen_at=now)
            )
    return principal, BrowserSession(token, row.csrf_token, row.user_id, as_utc(row.expires_at))


def end_session(engine: Engine, token: str) -> None:
    """End the session of cookie value ``token``; ending an unknown session does nothing."""
    with engine.begin() as connection:
        connection.execute(delete(BrowserSessionRow).where(BrowserSessionRow.token_hash == digest(token)))


def end_user_sessions(engine: Engine, user_id: int) -> int:
    """End every session of a user and return how many there were."""
    with engine.begin() as connection:
        return connection.execute(
            delete(BrowserSessionRow).where(BrowserSessionRow.user_id == user_id)
        ).rowcount
