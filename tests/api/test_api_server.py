"""``receivables serve`` as a user starts it: a real uvicorn process on 127.0.0.1."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from api_helpers import seed

from receivables.domain.credit.roles import Role
from receivables.storage.database import connect


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_answers_over_http(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    engine = connect(url)
    tokens = seed(engine)
    engine.dispose()
    port = _free_port()
    program = str(Path(sys.executable).parent / "receivables")
    command = [program, "--database", url, "serve", "--port", str(port)]
    environment = {**os.environ, "RECEIVABLES_AS_OF": "2024-06-30", "RECEIVABLES_WEBHOOK_INTERVAL": "0"}
    server = subprocess.Popen(command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        headers = {"Authorization": f"Bearer {tokens[Role.SALES]}"}
        me = httpx.get(f"{base}/api/me", headers=headers, timeout=5)
        check = httpx.post(
            f"{base}/api/credit/order-checks",
            json={"customer": "A001", "amount": "100"},
            headers=headers,
            timeout=5,
        )
        docs = httpx.get(f"{base}/api/openapi.json", timeout=5)
    finally:
        server.send_signal(signal.SIGINT)
        output = server.communicate(timeout=30)[0].decode()
    assert me.json()["name"] == "sam", output
    assert check.status_code == 200
    assert check.json()["as_of"] == "2024-06-30"
    assert docs.json()["paths"]["/api/credit/order-checks"]["post"]["operationId"] == "check_order"
