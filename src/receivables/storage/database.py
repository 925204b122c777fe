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


def normalize_url(url: str) -> str:
    """Use psycopg 3 for plain ``postgresql://`` URLs, the driver Receivables installs."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def connect(url: str, *, upgrade_schema: bool = True) -> Engine:
    """Create an engine for ``url`` and bring its schema to the latest migration."""
    url = normalize_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_pre_ping=True)
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
