"""The credit benchmark: re-scoring a large ledger and the latency of the order check.

For one database it loads a generated company (``customers`` customers, ``invoices`` invoices
and everything that settles them, from :func:`receivables.demo.generator.generate_company`),
its synthetic statements, bureau records and orders, and an approved limit for every customer.
Then it times:

- ``credit review`` as a whole (load the ledger, score, find warning signs, store 1 score per
  customer and the findings), and its compute part alone;
- ``checks`` order checks of customers drawn at random, each on an open connection, as a
  service answering sales would run them; the latency percentiles are of those calls.

Times are wall-clock seconds of :func:`time.perf_counter` inside one process.
"""

from __future__ import annotations

import logging
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl
from sqlalchemy import Engine, text

from receivables.credit.bulk import insert_frame
from receivables.credit.check import check_customer_order
from receivables.credit.imports import import_credit_files
from receivables.credit.lookup import utc_now
from receivables.credit.review import compute_review, run_review
from receivables.credit.synthetic import write_credit_files
from receivables.credit.users import add_user
from receivables.demo.generator import generate_company
from receivables.domain.credit.settings import CreditSettings
from receivables.domain.money import Currency, Money
from receivables.storage.bulk import (
    write_allocations,
    write_customers,
    write_documents,
    write_exchange_rates,
)
from receivables.storage.database import set_setting

log = logging.getLogger(__name__)


@dataclass
class BenchResult:
    """The measurements of one database."""

    backend: str
    customers: int
    documents: int
    allocations: int
    load_seconds: float = 0.0
    review_seconds: float = 0.0
    compute_seconds: float = 0.0
    check_ms: list[float] = field(default_factory=list)

    def percentile(self, share: float) -> float:
        ordered = sorted(self.check_ms)
        return (
            ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")
        )

    @property
    def check_median_ms(self) -> float:
        return statistics.median(self.check_ms) if self.check_ms else float("nan")


def _load(engine: Engine, company, work_dir: Path, seed: int, settings: CreditSettings) -> None:  # type: ignore[no-untyped-def]
    with engine.begin() as connection:
        write_exchange_rates(connection, company.exchange_rates)
        write_customers(connection, company.customers)
        write_documents(connection, company.documents)
        write_allocations(connection, company.allocations)
    set_setting(engine, "company_currency", company.company_currency)
    codes = company.customers["code"].to_list()
    files = write_credit_files(work_dir, codes, company.as_of, seed)
    import_credit_files(engine, files, settings, Currency.of(company.company_currency))
    user = add_user(engine, "bench", "admin", None)
    limits = pl.DataFrame({"customer_id": range(1, len(codes) + 1)}).with_columns(
        pl.lit(5_000_000, pl.Int64).alias("amount_minor"),
        pl.lit(company.company_currency).alias("currency"),
        pl.lit(company.as_of).alias("effective_date"),
        pl.lit(date(company.as_of.year + 1, 6, 30)).alias("review_date"),
        pl.lit("benchmark").alias("reason"),
        pl.lit(user.id).alias("approved_by"),
        pl.lit(utc_now()).alias("created_at"),
    )
    with engine.begin() as connection:
        insert_frame(connection, "credit_limits", limits)
    # Fresh planner statistics, as autovacuum (PostgreSQL) or a scheduled ANALYZE (SQLite) keeps
    # them on a database in use; without them PostgreSQL plans the check's joins as table scans.
    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))


def run_credit_bench(
    engines: dict[str, Callable[[], Engine]],
    *,
    customers: int,
    invoices: int,
    checks: int,
    seed: int,
    work_dir: Path,
    settings: CreditSettings,
    progress: Callable[[str], None] = lambda _: None,
) -> list[BenchResult]:
    """Generate the company once, then measure it in each database ``engines`` opens."""
    progress(f"generating {customers:,} customers with {invoices:,} invoices")
    company = generate_company(seed=seed, customers=customers, invoices=invoices)
    currency = Currency.of(company.company_currency)
    rng = np.random.default_rng(seed)
    picks = [int(index) for index in rng.integers(0, customers, checks)]
    codes = company.customers["code"].to_list()
    results = []
    for backend, open_engine in engines.items():
        engine = open_engine()
        result = BenchResult(
            backend, customers, company.documents.height, company.allocations.height
        )
        progress(f"{backend}: loading the ledger and the credit files")
        started = time.perf_counter()
        _load(engine, company, work_dir / backend, seed, settings)
        result.load_seconds = time.perf_counter() - started
        progress(f"{backend}: credit review")
        started = time.perf_counter()
        compute_review(engine, company.as_of, currency, settings)
        result.compute_seconds = time.perf_counter() - started
        started = time.perf_counter()
        run_review(engine, company.as_of, currency, settings)
        result.review_seconds = time.perf_counter() - started
        progress(f"{backend}: {checks} order checks")
        order = Money.of("1000.00", currency)
        with engine.connect() as connection:
            for pick in picks:
                started = time.perf_counter()
                check_customer_order(
                    connection, codes[pick], order, company.as_of, currency, settings.policy
                )
                result.check_ms.append((time.perf_counter() - started) * 1000)
        engine.dispose()
        results.append(result)
    return results
