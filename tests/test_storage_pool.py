"""The connection pool of a long-running server keeps the connections it opened."""

from __future__ import annotations

from contextlib import ExitStack

from sqlalchemy import QueuePool, event, text

from receivables.storage.database import KEPT_CONNECTIONS, connect


def _reopened_connections(url: str, *, keep_connections: bool) -> int:
    """Hold 8 connections at once, then twice more; return how many the last two rounds opened."""
    engine = connect(url, keep_connections=keep_connections)
    opened = 0

    def count(*_: object) -> None:
        nonlocal opened
        opened += 1

    try:
        for round_number in range(3):
            if round_number == 1:
                event.listen(engine, "connect", count)
            with ExitStack() as stack:
                for _ in range(8):
                    stack.enter_context(engine.connect()).execute(text("SELECT 1"))
    finally:
        engine.dispose()
    return opened


def test_kept_pool_reuses_connections(database_url: str) -> None:
    assert _reopened_connections(database_url, keep_connections=True) == 0


def test_default_pool_reopens_overflow(database_url: str) -> None:
    # SQLAlchemy's default keeps 5 connections and closes the other 3 after each round.
    assert _reopened_connections(database_url, keep_connections=False) == 2 * 3


def test_kept_pool_size(database_url: str) -> None:
    engine = connect(database_url, keep_connections=True)
    try:
        assert isinstance(engine.pool, QueuePool)
        assert engine.pool.size() == KEPT_CONNECTIONS
    finally:
        engine.dispose()


def test_in_memory_sqlite_ignores_keep() -> None:
    engine = connect("sqlite://", keep_connections=True)
    try:
        with engine.connect() as connection:
            assert connection.execute(text("SELECT 1")).scalar() == 1
    finally:
        engine.dispose()
