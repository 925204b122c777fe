"""A real uvicorn server on 127.0.0.1 with the app of ``create_app``, in a background thread."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date

import uvicorn
from web_scenario import Scenario

from receivables.service import create_app, load_service_settings

START_TIMEOUT_SECONDS = 20


@dataclass(frozen=True)
class Site:
    """A served scenario: its base URL on 127.0.0.1 and what the scenario contains."""

    base_url: str
    scenario: Scenario


@contextmanager
def live_server(database_url: str, as_of: date | None = None) -> Iterator[str]:
    """Serve the app on a free loopback port; yield its base URL and stop it afterwards."""
    settings = replace(load_service_settings({}).with_database(database_url), as_of=as_of)
    app = create_app(settings)
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError(f"uvicorn did not start within {START_TIMEOUT_SECONDS} s")
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        app.state.engine.dispose()
