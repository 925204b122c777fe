"""Payment behaviour of every customer at once, with Polars: the batch path.

The same items and sums as :func:`receivables.domain.credit.behaviour.behaviour_sums`, computed
over the whole ledger with grouped sums, then turned into features in integer hundredths by the
rounding rule of :mod:`receivables.credit.polars_math`. Amounts convert per document with
:func:`receivables.analytics.conversion.to_company_minor`, the integer form of
:meth:`Money.convert`. Counts and days are in hundredths too (``max_days_late`` 12 is 1200), so
every factor meets its bands on one scale.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from receivables.analytics.conversion import to_company_minor, unit_scale_column
from receivables.credit.polars_math import divide_half_up, percent_half_up
from receivables.domain.credit.behaviour import RECENT_WINDOWS, history_start
from receivables.domain.credit.dates import add_months
from receivables.domain.documents import DEBIT_KINDS
from receivables.domain.money import Currency

DEBIT = [kind.value for kind in DEBIT_KINDS]
WEIGHT, DAYS = pl.col("_weight"), pl.col("_days")


def _applied(allocations: pl.DataFrame, as_of: date) -> pl.LazyFrame:
    return (
        allocations.lazy()
        .filter(pl.col("allocation_date") <= as_of)
        .group_by("target_id")
        .agg(
            pl.col("amount_minor").sum().alias("_applied"),
            pl.col("allocation_date").max().alias("_last"),
        )
    )


def behaviour_items_frame(
    documents: pl.DataFrame,
    allocations: pl.DataFrame,
    as_of: date,
    history_months: int,
    company: Currency,
) -> pl.LazyFrame:
    """One row per debit document due in the history window: customer_id, due_date, ``_weight``
    (company minor units, Int128), ``_days`` (days late) and disputed."""
    start = history_start(as_of, history_months)
    codes = documents["currency"].unique().to_list()
    settled = (pl.col("_applied") >= pl.col("amount_minor")) & pl.col("_last").is_not_null()
    end = pl.when(settled).then(pl.col("_last")).otherwise(pl.lit(as_of))
    return (
        documents.lazy()
        .filter(
            pl.col("kind").is_in(DEBIT)
            & (pl.col("due_date") > start)
            & (pl.col("due_date") <= as_of)
            & (pl.col("document_date") <= as_of)
        )
        .join(_applied(allocations, as_of), left_on="document_id", right_on="target_id", how="left")
        .with_columns(unit_scale_column(pl.col("currency"), codes).alias("unit_scale"))
        .select(
            "customer_id",
            "due_date",
            "disputed",
            to_company_minor(pl.col("amount_minor"), company).cast(pl.Int128).alias("_weight"),
            (end - pl.col("due_date"))
            .dt.total_days()
            .clip(lower_bound=0)
            .cast(pl.Int128)
            .alias("_days"),
        )
    )


def _window_sums(as_of: date) -> list[pl.Expr]:
    sums = []
    for months in RECENT_WINDOWS:
        recent = pl.col("due_date") > add_months(as_of, -months)
        sums += [
            WEIGHT.filter(recent).sum().alias(f"_recent_amount_{months}"),
            (WEIGHT * DAYS).filter(recent).sum().alias(f"_recent_weighted_{months}"),
            WEIGHT.filter(~recent).sum().alias(f"_prior_amount_{months}"),
            (WEIGHT * DAYS).filter(~recent).sum().alias(f"_prior_weighted_{months}"),
        ]
    return sums


def _features() -> list[pl.Expr]:
    amount = pl.col("_amount")
    features = [
        divide_half_up(pl.col("_weighted"), amount).alias("weighted_days_late"),
        percent_half_up(pl.col("_late"), amount).alias("late_share_percent"),
        (pl.col("_max_days").cast(pl.Int64) * 100).alias("max_days_late"),
        percent_half_up(pl.col("_disputed"), amount).alias("disputed_share_percent"),
    ]
    for months in RECENT_WINDOWS:
        recent = divide_half_up(
            pl.col(f"_recent_weighted_{months}"), pl.col(f"_recent_amount_{months}")
        )
        prior = divide_half_up(
            pl.col(f"_prior_weighted_{months}"), pl.col(f"_prior_amount_{months}")
        )
        features += [
            recent.alias(f"recent_{months}"),
            prior.alias(f"prior_{months}"),
            (recent - prior).alias(f"trend_{months}"),
        ]
    return features


def behaviour_frame(
    documents: pl.DataFrame,
    allocations: pl.DataFrame,
    as_of: date,
    history_months: int,
    company: Currency,
) -> pl.DataFrame:
    """Behaviour features per customer with items due in the window, in hundredths.

    Columns: customer_id, ``items``, weighted_days_late, late_share_percent, max_days_late,
    disputed_share_percent, and ``recent_N``, ``prior_N``, ``trend_N`` for N in 3, 6, 12.
    """
    items = behaviour_items_frame(documents, allocations, as_of, history_months, company)
    sums = items.group_by("customer_id").agg(
        pl.len().alias("items"),
        WEIGHT.sum().alias("_amount"),
        (WEIGHT * DAYS).sum().alias("_weighted"),
        WEIGHT.filter(DAYS > 0).sum().alias("_late"),
        WEIGHT.filter(pl.col("disputed")).sum().alias("_disputed"),
        DAYS.max().alias("_max_days"),
        *_window_sums(as_of),
    )
    features = sums.with_columns(_features())
    return (
        features.select(pl.exclude("^_.*$")).with_columns(pl.col("items").cast(pl.Int64)).collect()
    )
