"""Passwords: argon2id hashes, setting a password, and signing in with name and password.

Hashes use argon2-cffi's default parameters (argon2id, RFC 9106 low-memory profile). A hash made
with older parameters is replaced by a new one at the next successful sign-in.
"""

from __future__ import annotations

import logging

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, delete, insert, select, update

from receivables.auth.clock import utc_now
from receivables.auth.errors import InvalidPasswordError
from receivables.auth.principal import Principal
from receivables.auth.sessions import end_user_sessions
from receivables.credit.users import find_user
from receivables.domain.credit.roles import Role
from receivables.storage.credit_models import UserRow
from receivables.storage.service_models import UserPasswordRow

log = logging.getLogger(__name__)

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024

_hasher = PasswordHasher()
# Verified when the user name is unknown, so a wrong name takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash("receivables-no-such-user")


def hash_password(plain: str) -> str:
    """Return the argon2id hash of ``plain``, salt and parameters included."""
    return _hasher.hash(plain)


def verify_password(hashed: str, plain: str) -> bool:
    """Return whether ``plain`` matches ``hashed``; a malformed hash never matches."""
    try:
        return _hasher.verify(hashed, plain)
    except (VerificationError, InvalidHashError):
        return False


def check_password_rules(plain: str) -> None:
    if len(plain) < MIN_PASSWORD_LENGTH:
        raise InvalidPasswordError(f"password is too short: use at least {MIN_PASSWORD_LENGTH} characters")
    if len(plain) > MAX_PASSWORD_LENGTH:
        raise InvalidPasswordError(f"password is too long: use at most {MAX_PASSWORD_LENGTH} characters")
    if plain.strip() != plain:
        raise InvalidPasswordError("password starts or ends with white space; remove it")


def set_password(engine: Engine, name: str, plain: str) -> None:
    """Set the password of user ``name``, enable them, and end their browser sessions.

    Raises ``UnknownUserError`` for an unknown name and :class:`InvalidPasswordError` for a
    password that breaks the length rules.
    """
    check_password_rules(plain)
    hashed = hash_password(plain)
    with engine.begin() as connection:
        user = find_user(connection, name)
        connection.execute(delete(UserPasswordRow).where(UserPasswordRow.user_id == user.id))
        connection.execute(
            insert(UserPasswordRow).values(
                user_id=user.id, password_hash=hashed, changed_at=utc_now(), disabled=False
            )
        )
    end_user_sessions(engine, user.id)
    log.info("password of user %s set", name)


def disable_user(engine: Engine, name: str) -> None:
    """Stop user ``name`` from signing in or using their tokens; their history stays."""
    with engine.begin() as connection:
        user = find_user(connection, name)
        changed = connection.execute(
            update(UserPasswordRow).where(UserPasswordRow.user_id == user.id).values(disabled=True)
        ).rowcount
        if not changed:
            connection.execute(
                insert(UserPasswordRow).values(
                    user_id=user.id, password_hash="!", changed_at=utc_now(), disabled=True
                )
            )
    end_user_sessions(engine, user.id)
    log.info("user %s disabled", name)


def authenticate(engine: Engine, name: str, password: str) -> Principal | None:
    """Return the user when ``name`` and ``password`` match an enabled user, else None."""
    with engine.connect() as connection:
        row = connection.execute(
            select(UserRow.id, UserRow.name, UserRow.role, UserPasswordRow.password_hash)
            .join(UserPasswordRow, UserPasswordRow.user_id == UserRow.id)
            .where(UserRow.name == name, UserPasswordRow.disabled.is_(False))
        ).first()
    if row is None:
        verify_password(_DUMMY_HASH, password)
        log.info("sign-in failed for unknown or disabled user %r", name[:64])
        return None
    if not verify_password(row.password_hash, password):
        log.info("sign-in failed for user %s: wrong password", row.name)
        return None
    if _hasher.check_needs_rehash(row.password_hash):
        with engine.begin() as connection:
            connection.execute(
                update(UserPasswordRow)
                .where(UserPasswordRow.user_id == row.id)
                .values(password_hash=hash_password(password))
            )
    return Principal(row.id, row.name, Role(row.role))
