"""The instant sessions and tokens are checked against."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime


def utc_now() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """SQLite returns naive datetimes for ``DateTime(timezone=True)``; they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def digest(token: str) -> str:
    """The SHA-256 hex digest under which a session or API token is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
