"""Fixtures of the web tests: the demo scenario served by uvicorn, on SQLite and PostgreSQL.

Building the scenario runs the demo (about ten seconds), so each backend builds it once per
test session. Tests that change data each use their own customers, so their order does not
matter.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from web_scenario import build_scenario
from web_server import Site, live_server

POSTGRES_URL = os.environ.get(
    "RECEIVABLES_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@pytest.fixture(scope="session")
def _web_postgres_url() -> Iterator[str]:
    schema = f"web_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as error:
        admin.dispose()
        pytest.fail(f"PostgreSQL at {POSTGRES_URL} is not reachable ({error})")
    separator = "&" if "?" in POSTGRES_URL else "?"
    yield f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"
    with admin.connect() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(scope="session", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The web scenario served on a free loopback port, once per backend."""
    folder = tmp_path_factory.mktemp(f"web-{request.param}")
    if request.param == "sqlite":
        url = f"sqlite:///{folder / 'web.db'}"
    else:
        url = request.getfixturevalue("_web_postgres_url")
    scenario = build_scenario(url, folder)
    with live_server(url, as_of=scenario.as_of) as base_url:
        yield Site(base_url, scenario)
