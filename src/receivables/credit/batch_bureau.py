"""Bureau factors of every customer with bureau records, with Polars: the batch path.

The rules are those of :func:`receivables.domain.credit.bureau.bureau_features`. The latest report
on or before ``as_of`` counts (on a tie, the provider first by name), normalized to 0-100 in
hundredths and null when stale. Each event kind is counted over the event window. Reports of
providers no longer configured, or ratings no longer in a provider's table, are returned apart
as problems, and their score counts as unknown.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import polars as pl
from sqlalchemy import Engine

from receivables.credit.polars_math import divide_half_up, hundredths
from receivables.domain.credit.bureau import ProviderScale, to_hundredths
from receivables.domain.credit.dates import add_months
from receivables.domain.credit.features import EVENT_FACTORS
from receivables.storage.frames import read_frame

REPORTS_SQL = (
    "SELECT customer_id, provider, report_date, score_hundredths, rating FROM bureau_reports"
)
REPORTS_SCHEMA: dict[str, pl.DataType] = {
    "customer_id": pl.Int64(),
    "provider": pl.String(),
    "report_date": pl.Date(),
    "score_hundredths": pl.Int64(),
    "rating": pl.String(),
}
EVENTS_SQL = "SELECT customer_id, provider, event_kind, event_date FROM bureau_events"
EVENTS_SCHEMA: dict[str, pl.DataType] = {
    "customer_id": pl.Int64(),
    "provider": pl.String(),
    "event_kind": pl.String(),
    "event_date": pl.Date(),
}


def load_bureau(engine: Engine) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Load every stored bureau report and event."""
    return read_frame(engine, REPORTS_SQL, REPORTS_SCHEMA), read_frame(
        engine, EVENTS_SQL, EVENTS_SCHEMA
    )


def _scales(providers: Mapping[str, ProviderScale]) -> tuple[pl.DataFrame, pl.DataFrame]:
    scales = pl.DataFrame(
        [
            (name, to_hundredths(s.minimum), to_hundredths(s.maximum), s.higher_is_better)
            for name, s in providers.items()
        ],
        schema={"provider": pl.String, "_min": pl.Int64, "_max": pl.Int64, "_higher": pl.Boolean},
        orient="row",
    )
    ratings = pl.DataFrame(
        [
            (name, rating, hundredths(value))
            for name, s in providers.items()
            for rating, value in s.ratings.items()
        ],
        schema={"provider": pl.String, "rating": pl.String, "_rating_value": pl.Int64},
        orient="row",
    )
    return scales, ratings


def latest_reports(
    reports: pl.DataFrame, providers: Mapping[str, ProviderScale], as_of: date, max_age_months: int
) -> pl.DataFrame:
    """customer_id, provider, report_date, ``bureau_score`` (hundredths; null when stale or
    unknown),
    ``stale`` and ``known`` (the provider and rating are configured)."""
    scales, ratings = _scales(providers)
    latest = (
        reports.filter(pl.col("report_date") <= as_of)
        .sort("customer_id", "report_date", "provider", descending=[False, True, False])
        .unique("customer_id", keep="first", maintain_order=True)
        .join(scales, on="provider", how="left")
        .join(ratings, on=["provider", "rating"], how="left")
    )
    score = pl.col("score_hundredths")
    distance = (
        pl.when(pl.col("_higher")).then(score - pl.col("_min")).otherwise(pl.col("_max") - score)
    )
    normalized = (
        pl.when(score.is_not_null())
        .then(divide_half_up(distance * 100, pl.col("_max") - pl.col("_min")))
        .otherwise(pl.col("_rating_value"))
    )
    stale = pl.col("report_date").dt.offset_by(f"{max_age_months + 1}mo") <= as_of
    known = pl.col("_max").is_not_null() & (
        score.is_not_null() | pl.col("_rating_value").is_not_null()
    )
    return latest.select(
        "customer_id",
        "provider",
        "report_date",
        pl.when(~stale & known).then(normalized).alias("bureau_score"),
        stale.alias("stale"),
        known.alias("known"),
    )


def event_counts(
    events: pl.DataFrame, as_of: date, event_months: int, since: date | None
) -> pl.DataFrame:
    """customer_id, the count of each event kind in the window (in hundredths), and
    ``new_events``: events dated after ``since`` (the previous review), or in the window when
    there was none."""
    start = add_months(as_of, -event_months)
    recent = events.filter((pl.col("event_date") > start) & (pl.col("event_date") <= as_of))
    newer = pl.col("event_date") > since if since is not None else pl.lit(True)
    counts = [
        (pl.col("event_kind") == kind.value).sum().cast(pl.Int64).mul(100).alias(name)
        for kind, name in EVENT_FACTORS.items()
    ]
    new_events = events.filter(newer & (pl.col("event_date") <= as_of))
    if since is None:
        new_events = recent
    fresh = new_events.group_by("customer_id").agg(pl.len().cast(pl.Int64).alias("new_events"))
    return (
        recent.group_by("customer_id")
        .agg(counts)
        .join(fresh, on="customer_id", how="full", coalesce=True)
    )
