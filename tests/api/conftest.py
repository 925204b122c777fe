"""The ``api`` fixture: the service on a fresh seeded database, once per backend."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from api_helpers import Api, seed, service_settings
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from receivables.service import create_app


@pytest.fixture
def api(engine: Engine) -> Iterator[Api]:
    tokens = seed(engine)
    app = create_app(service_settings(), engine)
    with TestClient(app) as client:
        yield Api(client, engine, tokens)
