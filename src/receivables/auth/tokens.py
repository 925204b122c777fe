"""API tokens for integrations such as the ERP: created once, shown once, stored as a digest.

A token is ``rcv_`` and 43 URL-safe characters (256 random bits). It acts as its user, with that
user's role, until it expires or is revoked; disabling the user stops it too.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, bindparam, insert, select, update

from receivables.auth.clock import as_utc, digest, utc_now
from receivables.auth.errors import UnknownTokenError
from receivables.auth.principal import Principal
from receivables.credit.users import find_user
from receivables.domain.credit.roles import Role
from receivables.storage.credit_models import UserRow
from receivables.storage.service_models import ApiTokenRow, UserPasswordRow

log = logging.getLogger(__name__)

TOKEN_PREFIX = "rcv_"
# last_used_at is written at most this often, so each request does not write a row.
TOUCH_INTERVAL = timedelta(minutes=1)

# One query for the token and its user, since it runs on every request an integration sends. It is
# built once, because building it on each call took a large share of the lookup's CPU time.
TOKEN_QUERY = (
    select(
        ApiTokenRow.id,
        ApiTokenRow.expires_at,
        ApiTokenRow.last_used_at,
        ApiTokenRow.revoked_at,
        UserRow.id.label("user_id"),
        UserRow.name,
        UserRow.role,
        UserPasswordRow.disabled,
    )
    .join(UserRow, UserRow.id == ApiTokenRow.user_id)
    .outerjoin(UserPasswordRow, UserPasswordRow.user_id == UserRow.id)
    .where(ApiTokenRow.token_hash == bindparam("token_hash"))
)


@dataclass(frozen=True)
class ApiToken:
    """A token's public facts; ``prefix`` is its first characters, enough to recognise it."""

    id: int
    user_name: str
    label: str
    prefix: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None


def create_token(
    engine: Engine, user_name: str, label: str, valid_for: timedelta | None = None
) -> tuple[str, ApiToken]:
    """Create a token for user ``user_name``; return the secret (shown once) and its facts."""
    label = label.strip()
    if not label or len(label) > 100:
        raise ValueError("token label must be 1-100 characters, such as the name of the integration")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = utc_now()
    expires_at = now + valid_for if valid_for else None
    with engine.begin() as connection:
        user = find_user(connection, user_name)
        token_id = connection.execute(
            insert(ApiTokenRow)
            .values(
                user_id=user.id,
                label=label,
                token_hash=digest(secret),
                prefix=secret[:12],
                created_at=now,
                expires_at=expires_at,
            )
            .returning(ApiTokenRow.id)
        ).scalar_one()
    log.info("API token %d (%s) created for user %s", token_id, label, user_name)
    return secret, ApiToken(token_id, user.name, label, secret[:12], now, expires_at, None, None)


def token_principal(engine: Engine, secret: str) -> Principal | None:
    """Return the user a bearer token acts as, or None when it is unknown, expired or revoked."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    now = utc_now()
    with engine.connect() as connection:
        row = connection.execute(TOKEN_QUERY, {"token_hash": digest(secret)}).first()
    if row is None or row.revoked_at is not None or row.disabled:
        return None
    if row.expires_at is not None and as_utc(row.expires_at) <= now:
        return None
    principal = Principal(row.user_id, row.name, Role(row.role))
    if row.last_used_at is None or as_utc(row.last_used_at) + TOUCH_INTERVAL <= now:
        with engine.begin() as connection:
            connection.execute(update(ApiTokenRow).where(ApiTokenRow.id == row.id).values(last_used_at=now))
    return principal


def list_tokens(engine: Engine, user_name: str | None = None) -> list[ApiToken]:
    """Return the tokens of one user, or of everyone, newest first; secrets are never returned."""
    query = select(*ApiTokenRow.__table__.c, UserRow.name.label("user_name")).join(
        UserRow, UserRow.id == ApiTokenRow.user_id
    )
    if user_name is not None:
        query = query.where(UserRow.name == user_name)
    with engine.connect() as connection:
        rows = connection.execute(query.order_by(ApiTokenRow.id.desc())).all()
    return [
        ApiToken(
            token.id,
            token.user_name,
            token.label,
            token.prefix,
            as_utc(token.created_at),
            as_utc(token.expires_at) if token.expires_at else None,
            as_utc(token.last_used_at) if token.last_used_at else None,
            as_utc(token.revoked_at) if token.revoked_at else None,
        )
        for token in rows
    ]


def revoke_token(engine: Engine, token_id: int) -> None:
    """Revoke a token at once; revoking it again keeps the first revocation time."""
    with engine.begin() as connection:
        exists = connection.execute(select(ApiTokenRow.id).where(ApiTokenRow.id == token_id)).first()
        if exists is None:
            raise UnknownTokenError(f"API token {token_id} not found")
        connection.execute(
            update(ApiTokenRow)
            .where(ApiTokenRow.id == token_id, ApiTokenRow.revoked_at.is_(None))
            .values(revoked_at=utc_now())
        )
    log.info("API token %d revoked", token_id)
