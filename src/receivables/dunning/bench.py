"""The collections benchmark: a dunning run over a large generated ledger, and sending rates.

Per database: load the synthetic ledger (customers, open items, contacts, risk classes), run
dunning without sending and time it, run it again the same day (nothing new to plan), then
deliver a sample of the planned email notices to an SMTP server on 127.0.0.1 (aiosmtpd) and to
``.eml`` files, and time each. Nothing here prints; the CLI shows the results.
"""

from __future__ import annotations

import resource
import socket
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl
from sqlalchemy import Engine, text

from receivables.domain.money import Currency
from receivables.dunning.bulk import stage
from receivables.dunning.config import CollectionSettings, build_settings, default_table, merge
from receivables.dunning.contacts import store_contacts
from receivables.dunning.delivery import deliver_pending
from receivables.dunning.run import run_dunning
from receivables.dunning.synthetic import contacts_frame, customers_frame, open_items_frames
from receivables.storage.bulk import write_allocations, write_customers, write_documents
from receivables.storage.database import connect, set_setting

EUR = Currency.of("EUR")
CLASSES = np.array(["A", "B", "C", "D", "E"])


@dataclass
class BenchResult:
    backend: str
    customers: int
    open_items: int
    load_seconds: float
    run_seconds: float
    notices: int
    tasks: int
    rerun_seconds: float
    smtp_sent: int
    smtp_seconds: float
    file_sent: int
    file_seconds: float
    peak_rss_mb: float

    @property
    def smtp_rate(self) -> float:
        return self.smtp_sent / self.smtp_seconds if self.smtp_seconds else 0.0

    @property
    def file_rate(self) -> float:
        return self.file_sent / self.file_seconds if self.file_seconds else 0.0


def _risk_classes(engine: Engine, customers: int, as_of: date) -> None:
    """Give half the customers a stored risk class, as credit management would."""
    rng = np.random.default_rng(3)
    scored = np.flatnonzero(rng.random(customers) < 0.5) + 1
    frame = pl.DataFrame(
        {
            "code": [f"K{number:06d}" for number in scored],
            "risk_class": CLASSES[rng.integers(0, 5, len(scored))],
        }
    )
    with engine.begin() as connection:
        stage(connection, "stage_classes", frame, {"code": pl.String(), "risk_class": pl.String()})
        connection.execute(
            text(
                "INSERT INTO credit_scores (customer_id, as_of, score_tenths, risk_class, "
                "score_class) SELECT c.id, :as_of, 500, s.risk_class, s.risk_class "
                "FROM stage_classes s JOIN customers c ON c.code = s.code"
            ),
            {"as_of": as_of},
        )


def load_ledger(engine: Engine, customers: int, items: int, as_of: date) -> None:
    set_setting(engine, "company_currency", EUR.code)
    customer_frame = customers_frame(customers)
    documents, allocations = open_items_frames(customers, items, as_of)
    with engine.begin() as connection:
        write_customers(connection, customer_frame)
        write_documents(connection, documents)
        write_allocations(connection, allocations)
        store_contacts(connection, contacts_frame(customer_frame["code"].to_list()))
    _risk_classes(engine, customers, as_of)
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))


def _settings(work_dir: Path, mail: dict[str, object]) -> CollectionSettings:
    table = merge(default_table(), {"outbox_dir": str(work_dir / "outbox"), "mail": mail})
    return build_settings(table, {})


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _send_sample(engine: Engine, work_dir: Path, sample: int) -> tuple[int, float, int, float]:
    """Deliver ``sample`` notices over SMTP to a local server, then ``sample`` to files."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Sink

    port = _free_port()
    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        smtp = _settings(work_dir, {"transport": "smtp", "host": "127.0.0.1", "port": port})
        started = time.perf_counter()
        smtp_report = deliver_pending(engine, smtp, limit=sample, channel="email")
        smtp_seconds = time.perf_counter() - started
    finally:
        controller.stop()
    files = _settings(work_dir, {"transport": "file"})
    started = time.perf_counter()
    file_report = deliver_pending(engine, files, limit=sample, channel="email")
    file_seconds = time.perf_counter() - started
    return (
        sum(smtp_report.sent.values()),
        smtp_seconds,
        sum(file_report.sent.values()),
        file_seconds,
    )


def run_collections_bench(
    url: str, backend: str, customers: int, items: int, as_of: date, sample: int, work_dir: Path
) -> BenchResult:
    """Run the benchmark on the empty database at ``url``."""
    engine = connect(url)
    try:
        started = time.perf_counter()
        load_ledger(engine, customers, items, as_of)
        load_seconds = time.perf_counter() - started
        settings = _settings(work_dir, {"transport": "file"})
        started = time.perf_counter()
        report = run_dunning(engine, settings, EUR, as_of, send=False)
        run_seconds = time.perf_counter() - started
        started = time.perf_counter()
        run_dunning(engine, settings, EUR, as_of, send=False)
        rerun_seconds = time.perf_counter() - started
        smtp_sent, smtp_seconds, file_sent, file_seconds = _send_sample(engine, work_dir, sample)
    finally:
        engine.dispose()
    return BenchResult(
        backend=backend,
        customers=customers,
        open_items=report.open_items,
        load_seconds=load_seconds,
        run_seconds=run_seconds,
        notices=report.written.planned,
        tasks=report.written.tasks,
        rerun_seconds=rerun_seconds,
        smtp_sent=smtp_sent,
        smtp_seconds=smtp_seconds,
        file_sent=file_sent,
        file_seconds=file_seconds,
        peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    )
