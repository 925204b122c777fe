"""``credit review``: re-score every customer, flag warning signs, list who is due for review.

The whole ledger is loaded once and every figure is computed with Polars (see the ``batch_*``
modules). Warning signs and review reasons are those of :mod:`receivables.domain.credit.monitoring`.

Broken promises to pay come from the collections' ``promises`` table: those found broken in the
history window count for the ``broken_promises`` factor and raise the ``broken_promise`` sign.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import polars as pl
from sqlalchemy import Engine

from receivables.credit.batch_behaviour import behaviour_frame
from receivables.credit.batch_bureau import event_counts, latest_reports, load_bureau
from receivables.credit.batch_exposure import ledger_positions
from receivables.credit.batch_financial import financial_frame, load_statements
from receivables.credit.batch_score import score_frame
from receivables.credit.frames import load_credit_documents
from receivables.credit.lookup import utc_now
from receivables.credit.orders import order_totals_frame
from receivables.credit.polars_math import hundredths
from receivables.credit.review_store import previous_review, store_review, stored_state
from receivables.domain.credit.behaviour import promise_window
from receivables.domain.credit.classes import CLASS_ORDER
from receivables.domain.credit.monitoring import WarningSign
from receivables.domain.credit.settings import CreditSettings
from receivables.domain.money import Currency
from receivables.storage.frames import load_allocations, load_customers
from receivables.storage.promise_counts import broken_promise_counts

RANKS = {risk_class.value: risk_class.rank for risk_class in CLASS_ORDER}


@dataclass
class ReviewResult:
    """The scores of every customer, and the findings of the review on ``as_of``.

    ``scores``: one row per customer with its score, class, previous class, exposure and limit;
    ``warnings``: customer_code, finding, detail; ``due``: customer_code, detail.
    """

    as_of: date
    scores: pl.DataFrame
    warnings: pl.DataFrame
    due: pl.DataFrame
    problems: list[str] = field(default_factory=list)

    @property
    def changes(self) -> pl.DataFrame:
        """Customers whose class differs from the stored one (or who had none)."""
        return self.scores.filter(
            pl.col("old_class").is_null() | (pl.col("old_class") != pl.col("risk_class"))
        )


def _factors(
    engine: Engine, as_of: date, company: Currency, settings: CreditSettings, since: date | None
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, list[str]]:
    evaluation = settings.evaluation
    customers = load_customers(engine).select("customer_id", "customer_code", "segment")
    documents, allocations = load_credit_documents(engine), load_allocations(engine)
    behaviour = behaviour_frame(documents, allocations, as_of, evaluation.history_months, company)
    financial = financial_frame(
        load_statements(engine),
        as_of,
        evaluation.statement_max_age_months,
        settings.manufacturing_industries,
        settings.zone_edges,
    ).select(
        "customer_id",
        "fiscal_year",
        "stale",
        "current_ratio",
        "quick_ratio",
        "cash_ratio",
        "debt_to_equity",
        "interest_coverage",
        "net_margin",
        "negative_equity",
        "z_score",
        "altman_zone",
        "zone_dropped",
        "sales_growth_percent",
    )
    reports, events = load_bureau(engine)
    latest = latest_reports(reports, settings.providers, as_of, evaluation.bureau_max_age_months)
    problems = [
        f"customer id {row['customer_id']}: the bureau report of {row['provider']} "
        f"on {row['report_date']} "
        "names a provider or rating that is no longer configured; its score counts as unknown"
        for row in latest.filter(~pl.col("known")).iter_rows(named=True)
    ]
    counts = event_counts(events, as_of, evaluation.bureau_event_months, since)
    promises = broken_promise_counts(engine, *promise_window(as_of, evaluation.history_months))
    factors = (
        customers.join(behaviour, on="customer_id", how="left")
        .join(financial, on="customer_id", how="left")
        .join(latest.select("customer_id", "bureau_score"), on="customer_id", how="left")
        .join(counts, on="customer_id", how="left")
        .join(promises, on="customer_id", how="left")
        .with_columns(pl.col("broken_promises").fill_null(0))
    )
    return factors, documents, allocations, problems


def _exposure(
    engine: Engine,
    documents: pl.DataFrame,
    allocations: pl.DataFrame,
    as_of: date,
    company: Currency,
) -> pl.DataFrame:
    positions = ledger_positions(documents, allocations, as_of, company)
    orders = order_totals_frame(engine, as_of, company)
    frame = positions.join(orders, on="customer_id", how="full", coalesce=True).fill_null(0)
    exposure = (
        pl.col("open_items")
        - pl.col("unapplied_credit")
        + pl.col("open_orders")
        + pl.col("delivered_not_invoiced")
    )
    return frame.with_columns(exposure.alias("exposure"))


def _findings(
    scores: pl.DataFrame, settings: CreditSettings, as_of: date
) -> tuple[pl.DataFrame, pl.DataFrame]:
    policy = settings.policy
    trend = pl.col(f"trend_{settings.scorecard.trend_months}")
    exposure, limit = pl.col("exposure").cast(pl.Int128), pl.col("limit_minor").cast(pl.Int128)
    usage_high = (
        limit.is_not_null()
        & (exposure > 0)
        & (exposure * 10_000 > hundredths(policy.usage_warning_percent) * limit)
    )
    signs = {
        WarningSign.DAYS_LATE_TRENDING_UP: (trend >= hundredths(policy.trend_warning_days)).fill_null(False),
        WarningSign.LIMIT_USE_HIGH: usage_high.fill_null(False),
        WarningSign.NEW_BUREAU_EVENT: pl.col("new_events").fill_null(0) > 0,
        WarningSign.BROKEN_PROMISE: pl.col("broken_promises") > 0,
        WarningSign.ZONE_DROPPED: (pl.col("zone_dropped") == 100).fill_null(False),
    }
    details = {
        WarningSign.DAYS_LATE_TRENDING_UP: pl.format("weighted days late up by {} days", trend / 100),
        WarningSign.LIMIT_USE_HIGH: pl.format(
            "exposure {} of limit {}", pl.col("exposure"), pl.col("limit_minor")
        ),
        WarningSign.NEW_BUREAU_EVENT: pl.format("{} new bureau events", pl.col("new_events")),
        WarningSign.BROKEN_PROMISE: pl.format(
            "promises to pay broken since {}: {}",
            pl.lit(promise_window(as_of, settings.evaluation.history_months)[0]),
            pl.col("broken_promises"),
        ),
        WarningSign.ZONE_DROPPED: pl.lit("Altman zone worse than the year before"),
    }
    parts = [
        scores.filter(condition).select(
            "customer_id",
            "customer_code",
            pl.lit(sign.value).alias("finding"),
            details[sign].alias("detail"),
        )
        for sign, condition in signs.items()
    ]
    warnings = pl.concat(parts).sort("customer_code", "finding")
    new_rank = pl.col("risk_class").replace_strict(RANKS, return_dtype=pl.Int64)
    old_rank = pl.col("old_class").replace_strict(RANKS, default=None, return_dtype=pl.Int64)
    reason = (
        pl.when(pl.col("review_date") <= as_of)
        .then(pl.format("review date {} reached", pl.col("review_date")))
        .when(pl.col("limit_minor").is_null() & (pl.col("exposure") > 0))
        .then(pl.lit("exposure without an approved limit"))
        .when(new_rank > old_rank)
        .then(pl.format("class fell from {} to {}", pl.col("old_class"), pl.col("risk_class")))
    )
    due = scores.with_columns(reason.alias("detail")).filter(pl.col("detail").is_not_null())
    return warnings, due.select(
        "customer_id", "customer_code", pl.lit("due_for_review").alias("finding"), "detail"
    )


def compute_review(engine: Engine, as_of: date, company: Currency, settings: CreditSettings) -> ReviewResult:
    """Score every customer on ``as_of`` and find its warning signs; writes nothing."""
    since = previous_review(engine, as_of)
    factors, documents, allocations, problems = _factors(engine, as_of, company, settings, since)
    scored = score_frame(factors, settings.scorecard)
    exposure = _exposure(engine, documents, allocations, as_of, company)
    scores = (
        scored.join(exposure, on="customer_id", how="left")
        .join(stored_state(engine), on="customer_id", how="left")
        .with_columns(
            pl.col(
                "exposure",
                "open_items",
                "unapplied_credit",
                "open_orders",
                "delivered_not_invoiced",
            ).fill_null(0)
        )
        .sort("customer_code")
    )
    warnings, due = _findings(scores, settings, as_of)
    return ReviewResult(as_of, scores, warnings, due, problems)


def run_review(engine: Engine, as_of: date, company: Currency, settings: CreditSettings) -> ReviewResult:
    """Compute the review of ``as_of`` and store its scores, class changes and findings."""
    started = utc_now()
    result = compute_review(engine, as_of, company, settings)
    findings = pl.concat([result.warnings, result.due]).select("customer_id", "finding", "detail")
    store_review(engine, as_of, result.scores, findings, started)
    return result
