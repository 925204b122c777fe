"""Seeded synthetic credit files for a generated ledger: statements, bureau records and orders.

The demo and the credit benchmark give part of their customers financial statements, bureau
records and open orders in the layouts of :mod:`receivables.credit.imports`, so the evaluation
has all three sources to work on. The same seed and customers always give the same files.

What the files contain, drawn per customer with NumPy (no loop over rows):

- statements for ``statement_share`` of the customers, for the three fiscal years before the
  as-of year, one year left out now and then; about 8 % of the companies have negative equity
  and a few lose money;
- a bureau score on the generic 0-100 scale for ``bureau_share`` of the customers, dated in the
  year before the as-of date; about 5 % of them have a payment default, 1 % an insolvency;
- open orders and deliveries not yet invoiced for ``order_share`` of the customers.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import numpy as np
import polars as pl

STATEMENT_COLUMNS = (
    "current_assets",
    "current_liabilities",
    "cash",
    "inventory",
    "total_assets",
    "total_liabilities",
    "equity",
    "retained_earnings",
    "sales",
    "ebit",
    "net_income",
    "interest_expense",
)


def _pick(codes: list[str], share: float, rng: np.random.Generator) -> list[str]:
    chosen = rng.random(len(codes)) < share
    return [code for code, keep in zip(codes, chosen, strict=True) if keep]


def _year_items(rng: np.random.Generator, assets: np.ndarray) -> dict[str, np.ndarray]:
    size = assets.size
    current = assets * rng.uniform(0.2, 0.6, size)
    cash = current * rng.uniform(0.05, 0.3, size)
    inventory = current * rng.uniform(0.1, 0.6, size)
    leverage = np.where(
        rng.random(size) < 0.08, rng.uniform(1.01, 1.3, size), rng.uniform(0.3, 0.95, size)
    )
    liabilities = assets * leverage
    sales = assets * rng.uniform(0.5, 2.5, size)
    ebit = sales * rng.normal(0.06, 0.06, size)
    items = {
        "current_assets": current,
        "current_liabilities": current / rng.uniform(0.7, 2.5, size),
        "cash": cash,
        "inventory": inventory,
        "total_assets": assets,
        "total_liabilities": liabilities,
        "equity": assets - liabilities,
        "retained_earnings": (assets - liabilities) * rng.uniform(-0.2, 0.8, size),
        "sales": sales,
        "ebit": ebit,
        "interest_expense": liabilities * rng.uniform(0.01, 0.06, size),
    }
    items["current_liabilities"] = np.minimum(items["current_liabilities"], liabilities)
    items["net_income"] = (ebit - items["interest_expense"]) * 0.7
    return {name: np.round(values).astype(np.int64) for name, values in items.items()}


def synthetic_statements(
    codes: list[str], as_of: date, share: float, seed: int, currency: str = "EUR"
) -> pl.DataFrame:
    """Statements of about ``share`` of ``codes`` for the three years before ``as_of``'s year."""
    rng = np.random.default_rng([seed, 1])
    chosen = _pick(codes, share, rng)
    base = rng.lognormal(14.0, 1.2, len(chosen)) + 50_000
    parts = []
    for back in (1, 2, 3):
        kept = rng.random(len(chosen)) > (0.0 if back == 1 else 0.15)
        assets = base / (1.06 ** (back - 1)) * rng.uniform(0.95, 1.05, len(chosen))
        items = _year_items(rng, assets)
        # equity is the balancing item, so the sheets balance exactly after rounding
        items["equity"] = items["total_assets"] - items["total_liabilities"]
        frame = pl.DataFrame(
            {
                "customer_code": chosen,
                "fiscal_year": as_of.year - back,
                "currency": currency,
                **{name: items[name] for name in STATEMENT_COLUMNS},
            }
        )
        parts.append(frame.filter(pl.Series(kept)))
    return pl.concat(parts).sort("customer_code", "fiscal_year")


def synthetic_bureau(codes: list[str], as_of: date, share: float, seed: int) -> pl.DataFrame:
    """Generic-scale bureau scores of about ``share`` of ``codes``, and a few events."""
    rng = np.random.default_rng([seed, 2])
    chosen = _pick(codes, share, rng)
    size = len(chosen)
    dates = [as_of - timedelta(days=int(days)) for days in rng.integers(1, 330, size)]
    scores = np.clip(np.round(rng.normal(65, 15, size)), 1, 100).astype(np.int64)
    reports = pl.DataFrame(
        {
            "customer_code": chosen,
            "provider": "generic",
            "record_date": dates,
            "score": scores.astype(str),
            "event": None,
            "event_amount": None,
            "currency": None,
        },
        schema_overrides={"event": pl.String, "event_amount": pl.String, "currency": pl.String},
    )
    draw = rng.random(size)
    kinds = np.where(draw < 0.01, "insolvency", np.where(draw < 0.06, "payment_default", ""))
    events = reports.with_columns(
        pl.Series("event", kinds),
        pl.lit(None, pl.String).alias("score"),
        (pl.col("record_date") - pl.duration(days=20)).alias("record_date"),
        pl.Series("event_amount", np.round(rng.lognormal(8, 1, size), 2).astype(str)),
        pl.lit("EUR").alias("currency"),
    ).filter(pl.col("event") != "")
    return pl.concat([reports, events.select(reports.columns)]).with_columns(
        pl.col("record_date").cast(pl.String)
    )


def synthetic_orders(codes: list[str], as_of: date, share: float, seed: int) -> pl.DataFrame:
    """Open orders and deliveries not yet invoiced of about ``share`` of ``codes``, in EUR."""
    rng = np.random.default_rng([seed, 3])
    chosen = _pick(codes, share, rng)
    size = len(chosen)
    return pl.DataFrame(
        {
            "customer_code": chosen,
            "order_number": [f"SO-{index:08d}" for index in range(1, size + 1)],
            "stage": np.where(rng.random(size) < 0.7, "open", "delivered"),
            "order_date": [
                (as_of - timedelta(days=int(days))).isoformat()
                for days in rng.integers(0, 30, size)
            ],
            "currency": "EUR",
            "amount": np.round(rng.lognormal(8.5, 1.0, size), 2).astype(str),
        }
    )


def write_credit_files(
    directory: Path,
    codes: list[str],
    as_of: date,
    seed: int,
    *,
    statement_share: float = 0.3,
    bureau_share: float = 0.5,
    order_share: float = 0.2,
) -> list[Path]:
    """Write statements.csv, bureau.csv and orders.csv for ``codes`` into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    files = {
        "statements.csv": synthetic_statements(codes, as_of, statement_share, seed),
        "bureau.csv": synthetic_bureau(codes, as_of, bureau_share, seed),
        "orders.csv": synthetic_orders(codes, as_of, order_share, seed),
    }
    paths = []
    for name, frame in files.items():
        path = directory / name
        frame.write_csv(path)
        paths.append(path)
    return paths
