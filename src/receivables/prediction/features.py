"""Features of each row, as known on its snapshot date, built with vectorized Polars joins.

Nothing a row sees happened after its snapshot: the customer's history counts only items paid on
or before it (an as-of join on the pay date), the risk class is the one in force on it, and the
disputes are those opened by then. The stored ``disputed`` flag of a document has no date, so
``disputed`` and ``customer_disputed_share`` may know of a dispute raised after the snapshot. This
is the one place where the validation can be slightly optimistic.

Item: ``amount_log`` (log10 of the company-currency amount in major units), ``terms_days`` (due
date minus document date), ``age_days`` and ``days_to_due`` on the snapshot, ``due_weekday``
(Monday 1), ``document_weekday`` and ``disputed``.
Customer: ``customer_paid_items``, ``customer_mean_late`` (mean days late of its paid items),
``customer_late_share``, ``customer_recent_late`` (mean of its last ``RECENT_ITEMS`` paid items),
``customer_trend`` (recent minus overall mean), ``customer_disputed_share`` (of its items issued so
far), ``customer_disputes`` (disputes opened so far) and ``risk_rank`` (A=1 ... E=5).
The period enters through the snapshot: ``age_days`` and ``days_to_due`` say where the item
stands on it, and the customer features say how its customer paid up to it.

NOTE: month-of-year features and the ledger-wide mean days late of the last 90 days were tried and
removed. Two years of history hold one or two of each month, so the model learned each year's
level from them and lost to the customer-average baseline when payments drifted (demo, July and
September 2024 folds: MAE 14.2 days with them, 10.1 without; docs/prediction.md).
Features without a value (a customer's first item) are NaN, which gradient boosting handles.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from receivables.prediction.history import PaymentHistory

RECENT_ITEMS = 5

ITEM_FEATURES = [
    "amount_log", "terms_days", "age_days", "days_to_due", "due_weekday", "document_weekday", "disputed",
]  # fmt: skip
CUSTOMER_FEATURES = [
    "customer_paid_items", "customer_mean_late", "customer_late_share", "customer_recent_late",
    "customer_trend", "customer_disputed_share", "customer_disputes", "risk_rank",
]  # fmt: skip
FEATURES = ITEM_FEATURES + CUSTOMER_FEATURES


def _days(later: str | pl.Expr, earlier: str | pl.Expr) -> pl.Expr:
    later_expr = pl.col(later) if isinstance(later, str) else later
    earlier_expr = pl.col(earlier) if isinstance(earlier, str) else earlier
    return (later_expr - earlier_expr).dt.total_days()


def _payments(history: PaymentHistory) -> pl.DataFrame:
    """Per customer and pay day: cumulative counts and sums of days late up to that day."""
    paid = (
        history.items.filter(pl.col("paid_on").is_not_null())
        .select("customer_id", "paid_on", "document_id", _days("paid_on", "due_date").alias("days_late"))
        .sort("customer_id", "paid_on", "document_id")
    )
    cumulative = paid.with_columns(
        pl.int_range(1, pl.len() + 1).over("customer_id").alias("count"),
        pl.col("days_late").cum_sum().over("customer_id").alias("sum_late"),
        (pl.col("days_late") > 0).cast(pl.Int64).cum_sum().over("customer_id").alias("late_count"),
    )
    recent = cumulative.with_columns(
        (pl.col("sum_late") - pl.col("sum_late").shift(RECENT_ITEMS).over("customer_id").fill_null(0)).alias(
            "recent_sum"
        ),
        pl.min_horizontal(pl.col("count"), pl.lit(RECENT_ITEMS)).alias("recent_count"),
    )
    # The last row of each day contains everything paid on that day.
    return recent.unique(["customer_id", "paid_on"], keep="last", maintain_order=True).sort("paid_on")


def _issued(history: PaymentHistory) -> pl.DataFrame:
    """Per customer and document day: cumulative items issued and items flagged disputed."""
    daily = (
        history.items.group_by("customer_id", "document_date")
        .agg(pl.len().alias("issued"), pl.col("disputed").sum().alias("flagged"))
        .sort("customer_id", "document_date")
    )
    return daily.with_columns(
        pl.col("issued").cum_sum().over("customer_id"), pl.col("flagged").cum_sum().over("customer_id")
    ).sort("document_date")


def _opened_disputes(history: PaymentHistory) -> pl.DataFrame:
    daily = history.disputes.group_by("customer_id", "opened_on").agg(pl.len().alias("opened"))
    return (
        daily.sort("customer_id", "opened_on")
        .with_columns(pl.col("opened").cum_sum().over("customer_id"))
        .sort("opened_on")
    )


def _asof(rows: pl.DataFrame, right: pl.DataFrame, on: str, by: str | None = "customer_id") -> pl.DataFrame:
    # Both sides are sorted by date (rows by snapshot, right by ``on``), as the as-of join needs.
    return rows.join_asof(
        right, left_on="snapshot", right_on=on, by=by, strategy="backward", check_sortedness=False
    )


def add_features(history: PaymentHistory, rows: pl.DataFrame) -> pl.DataFrame:
    """Return ``rows`` (see :mod:`receivables.prediction.rows`) with every column of ``FEATURES``."""
    scale = 10**history.currency.minor_unit
    frame = rows.sort("snapshot")
    payments = _payments(history).select(
        "customer_id",
        pl.col("paid_on").alias("history_day"),
        "count",
        "sum_late",
        "late_count",
        "recent_sum",
        "recent_count",
    )
    frame = _asof(frame, payments, "history_day")
    frame = _asof(frame, _issued(history).rename({"document_date": "issued_on"}), "issued_on")
    frame = _asof(frame, _opened_disputes(history), "opened_on")
    frame = _asof(frame, history.risk_classes.rename({"as_of": "risk_as_of"}), "risk_as_of")

    mean_late = pl.col("sum_late") / pl.col("count")
    recent_late = pl.col("recent_sum") / pl.col("recent_count")
    frame = frame.with_columns(
        (pl.col("amount").cast(pl.Float64) / scale).clip(lower_bound=0.01).log10().alias("amount_log"),
        _days("due_date", "document_date").alias("terms_days"),
        _days("snapshot", "document_date").alias("age_days"),
        _days("due_date", "snapshot").alias("days_to_due"),
        pl.col("due_date").dt.weekday().alias("due_weekday"),
        pl.col("document_date").dt.weekday().alias("document_weekday"),
        pl.col("disputed").cast(pl.Int8),
        pl.col("count").fill_null(0).alias("customer_paid_items"),
        mean_late.alias("customer_mean_late"),
        (pl.col("late_count") / pl.col("count")).alias("customer_late_share"),
        recent_late.alias("customer_recent_late"),
        (recent_late - mean_late).alias("customer_trend"),
        (pl.col("flagged") / pl.col("issued")).alias("customer_disputed_share"),
        pl.col("opened").fill_null(0).alias("customer_disputes"),
        pl.col("risk_rank"),
    )
    return frame.drop(
        "history_day", "count", "sum_late", "late_count", "recent_sum", "recent_count", "issued_on",
        "issued", "flagged", "opened_on", "opened", "risk_as_of", strict=False,
    )  # fmt: skip


def feature_matrix(frame: pl.DataFrame) -> np.ndarray:
    """Return the ``FEATURES`` columns as a float64 matrix with NaN where a value is missing."""
    return frame.select(pl.col(FEATURES).cast(pl.Float64)).to_numpy()


def training_matrix(frame: pl.DataFrame) -> np.ndarray:
    """Return :func:`feature_matrix` with columns that have no value at all set to 0.

    scikit-learn cannot bin a column without any value (such as ``risk_rank`` before the first
    credit review). As a constant it gets no split, so its values at prediction time change nothing.
    """
    matrix = feature_matrix(frame)
    empty = np.isnan(matrix).all(axis=0)
    matrix[:, empty] = 0.0
    return matrix
