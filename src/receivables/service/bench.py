"""The service benchmark: the order-check endpoint under a steady load from a second process.

For each database it prepares the ledger of the credit benchmark (a generated company with
statements, bureau records, orders, an approved limit per customer and a stored credit review),
adds a sales user with an API token, starts ``receivables serve`` on 127.0.0.1, and runs
:mod:`receivables.service.load` in another process to send ``rate`` order checks a second for
customers drawn at random. Latencies are measured by the load process, from when each request was
due to the end of its answer; see that module for why.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import numpy as np
from sqlalchemy import Engine, func, select

from receivables.auth import create_token
from receivables.credit.bench import run_credit_bench
from receivables.credit.users import add_user
from receivables.domain.credit.settings import CreditSettings
from receivables.storage.models import CustomerRow, DocumentRow

log = logging.getLogger(__name__)

START_TIMEOUT_SECONDS = 300


@dataclass
class ServiceBenchResult:
    backend: str
    customers: int
    rate: float
    workers: int
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    sent: int = 0
    seconds: float = 0.0
    load_average: float = 0.0

    def percentile(self, share: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        return float(np.percentile(np.array(self.latencies_ms), share * 100))

    @property
    def achieved_rate(self) -> float:
        return self.sent / self.seconds if self.seconds else 0.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_up(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"receivables serve exited with code {server.returncode} before answering")
        try:
            if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.25)
    raise RuntimeError(f"receivables serve did not answer at {base} within {START_TIMEOUT_SECONDS} s")


def _prepare(engine: Engine, work_dir: Path, seed: int) -> tuple[str, Path, str]:
    """Add the sales user; return its token, a file of customer codes drawn at random, and the
    as-of date to serve: the ledger's last document date."""
    add_user(engine, "bench-sales", "sales", "bench")
    token, _ = create_token(engine, "bench-sales", "service benchmark")
    with engine.connect() as connection:
        codes = list(connection.execute(select(CustomerRow.code)).scalars())
    rng = np.random.default_rng(seed)
    drawn = [codes[int(index)] for index in rng.integers(0, len(codes), 20_000)]
    codes_file = work_dir / "codes.txt"
    codes_file.write_text("\n".join(drawn), encoding="utf-8")
    with engine.connect() as connection:
        as_of = connection.execute(select(func.max(DocumentRow.document_date))).scalar_one()
    return token, codes_file, str(as_of)


def measure(
    url: str, token: str, codes_file: Path, as_of: str, rate: float, seconds: float, workers: int
) -> dict[str, object]:
    """Serve ``url`` in one process and load it from another; return the load process's result."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    program = str(Path(sys.executable).parent / "receivables")
    command = [program, "--database", url, "serve", "--port", str(port), "--workers", str(workers)]
    if as_of:
        command += ["--as-of", as_of]
    environment = {**os.environ, "RECEIVABLES_WEBHOOK_INTERVAL": "0"}
    server = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait_until_up(base, server)
        load = subprocess.run(
            [sys.executable, "-m", "receivables.service.load", base, token, str(codes_file), str(rate),
             str(seconds), "3"],
            capture_output=True, check=True, text=True,
        )  # fmt: skip
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    result: dict[str, object] = json.loads(load.stdout)
    return result


def run_service_bench(
    engines: dict[str, tuple[Callable[[], Engine], str]],
    *,
    customers: int,
    invoices: int,
    rate: float,
    seconds: float,
    workers: int,
    seed: int,
    work_dir: Path,
    settings: CreditSettings,
    progress: Callable[[str], None] = lambda _: None,
) -> list[ServiceBenchResult]:
    """Measure each database; ``engines`` maps its name to (open a fresh database, its URL)."""
    results = []
    for backend, (open_engine, url) in engines.items():
        folder = work_dir / backend
        folder.mkdir(parents=True, exist_ok=True)
        progress(f"{backend}: preparing the credit benchmark's ledger")
        holder: list[Engine] = []

        def keep(open_engine: Callable[[], Engine] = open_engine, holder: list[Engine] = holder) -> Engine:
            # The credit benchmark disposes the engine's pool at its end; the engine stays usable.
            holder.append(open_engine())
            return holder[-1]

        run_credit_bench(
            {backend: keep},
            customers=customers,
            invoices=invoices,
            checks=1,
            seed=seed,
            work_dir=folder,
            settings=settings,
            progress=progress,
        )
        engine = holder[-1]
        token, codes_file, as_of = _prepare(engine, folder, seed)
        engine.dispose()
        progress(f"{backend}: {rate:g} order checks a second for {seconds:g} s")
        # The machine's 1-minute load average before the load starts: how busy it was anyway.
        load_average = os.getloadavg()[0]
        measured = measure(url, token, codes_file, as_of, rate, seconds, workers)
        results.append(
            ServiceBenchResult(
                backend,
                customers,
                rate,
                workers,
                latencies_ms=list(measured["latencies_ms"]),  # type: ignore[call-overload]
                errors=int(measured["errors"]),  # type: ignore[call-overload]
                sent=int(measured["sent"]),  # type: ignore[call-overload]
                seconds=float(measured["seconds"]),  # type: ignore[arg-type]
                load_average=load_average,
            )
        )
    return results
