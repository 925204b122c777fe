"""Engines, sessions and schema upgrades for SQLite and PostgreSQL."""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from receivables.storage.models import CompanySetting

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).parent / "migrations"
# SQLAlchemy's default maximum of connections per engine (pool_size 5 + max_overflow 10), all kept.
KEPT_CONNECTIONS = 15


def normalize_url(url: str) -> str:
    """Use psycopg 3 for plain ``postgresql://`` URLs, the driver Receivables installs."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def connect(url: str, *, upgrade_schema: bool = True, keep_connections: bool = False) -> Engine:
    """Create an engine for ``url`` and bring its schema to the latest migration.

    ``keep_connections`` is for long-running servers: the pool keeps up to ``KEPT_CONNECTIONS``
    connections open between uses. By default SQLAlchemy keeps 5 and closes the 10 it may open
    beyond them after each use, so a burst of concurrent requests reopened connections over and
    over, which on PostgreSQL means a new server process each time. An in-memory SQLite database
    has a pool of its own and ignores the flag.
    """
    url = normalize_url(url)
    parsed = make_url(url)
    in_memory = not parsed.database or parsed.database == ":memory:"
    options: dict[str, object] = {}
    if keep_connections and not (parsed.get_backend_name() == "sqlite" and in_memory):
        options = {"pool_size": KEPT_CONNECTIONS, "max_overflow": 0}
    if parsed.get_backend_name() == "sqlite":
        if not in_memory:
            Path(str(parsed.database)).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, **options)
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_pre_ping=True, **options)
    if upgrade_schema:
        upgrade(engine)
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade(engine: Engine) -> None:
    """Run every migration not yet applied; safe to call on each start.

    On SQLite a migration that changes a table's constraints rebuilds the table (Alembic's batch
    mode), which SQLite allows only with foreign keys off. They are switched off before the
    transaction starts, checked with ``PRAGMA foreign_key_check`` before the commit, and switched
    on again afterwards.
    """
    config = alembic_config()
    is_sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        if is_sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys = OFF")
            connection.commit()
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
                if is_sqlite:
                    _check_foreign_keys(connection)
        finally:
            if is_sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys = ON")
                connection.commit()


def _check_foreign_keys(connection: Connection) -> None:
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        table, row_id, parent, _ = broken[0]
        raise RuntimeError(
            f"the migration left {len(broken)} rows with a broken foreign key, such as row "
            f"{row_id} of {table} pointing to a missing {parent} row; nothing was changed"
        )


def get_setting(engine: Engine, key: str) -> str | None:
    with Session(engine) as session:
        return session.scalar(select(CompanySetting.value).where(CompanySetting.key == key))


def set_setting(engine: Engine, key: str, value: str) -> None:
    with Session(engine) as session, session.begin():
        session.merge(CompanySetting(key=key, value=value))
