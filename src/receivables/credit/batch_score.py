"""The scorecard over every customer at once, with Polars: the batch path of ``credit review``.

Joins the behaviour, financial and bureau factors of :mod:`batch_behaviour`,
:mod:`batch_financial` and :mod:`batch_bureau` onto all customers and applies
:func:`receivables.domain.credit.scorecard.score_customer`'s rules as column expressions: band
points, clipped sub-scores, the weighted mean over the available sources rounded half-up to
tenths, the class thresholds and the knockouts.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP
from typing import Any

import polars as pl

from receivables.credit.polars_math import band_points, divide_half_up, hundredths
from receivables.domain.credit.classes import CLASS_ORDER
from receivables.domain.credit.features import EVENT_FACTORS, Source
from receivables.domain.credit.scorecard import MAX_SUB_SCORE, TENTH, Scorecard

SUB_SCORE = {
    Source.BEHAVIOUR: "behaviour_score",
    Source.FINANCIAL: "financial_score",
    Source.BUREAU: "bureau_sub_score",
}


def _available(card: Scorecard) -> dict[Source, pl.Expr]:
    events = pl.any_horizontal([pl.col(name).fill_null(0) > 0 for name in EVENT_FACTORS.values()])
    return {
        Source.BEHAVIOUR: pl.col("items").fill_null(0) >= card.min_behaviour_items,
        Source.FINANCIAL: pl.col("fiscal_year").is_not_null() & ~pl.col("stale").fill_null(True),
        Source.BUREAU: pl.col("bureau_score").is_not_null() | events,
    }


def _factor_columns(card: Scorecard) -> list[pl.Expr]:
    """Name each factor's value column as the scorecard calls it."""
    return [
        pl.col(f"trend_{card.trend_months}").alias("days_late_trend"),
        pl.col("broken_promises").cast(pl.Int64),
    ]


def _sub_scores(card: Scorecard, available: dict[Source, pl.Expr]) -> list[pl.Expr]:
    columns = []
    for source, rules in card.sources.items():
        points = [band_points(pl.col(name), bands) for name, bands in rules.factors.items()]
        total = pl.sum_horizontal(points) if points else pl.lit(0)
        clipped = (rules.base + total).clip(0, MAX_SUB_SCORE).cast(pl.Int64)
        counts = available[source] & pl.lit(rules.weight > 0)
        columns.append(pl.when(counts).then(clipped).alias(SUB_SCORE[source]))
    return columns


def _class_rank(card: Scorecard) -> pl.Expr:
    minimums = card.classes.minimums
    tenths = pl.col("score_tenths")
    rank: Any = pl.when(tenths * 10 >= hundredths(minimums[0])).then(0)
    for index, minimum in enumerate(minimums[1:], start=1):
        rank = rank.when(tenths * 10 >= hundredths(minimum)).then(index)
    ranked: pl.Expr = rank.otherwise(len(CLASS_ORDER) - 1)
    return ranked


def _knockout_rank(card: Scorecard) -> pl.Expr:
    caps = [
        pl.when(pl.col(EVENT_FACTORS[kind]).fill_null(0) > 0).then(cap.rank).otherwise(0)
        for kind, cap in card.knockouts.items()
    ]
    return pl.max_horizontal(caps) if caps else pl.lit(0)


def score_frame(factors: pl.DataFrame, card: Scorecard) -> pl.DataFrame:
    """Add ``behaviour_score``, ``financial_score``, ``bureau_sub_score``, ``score_tenths``,
    ``score_class`` and ``risk_class`` to a frame with every factor column."""
    available = _available(card)
    frame = factors.with_columns(_factor_columns(card)).with_columns(_sub_scores(card, available))
    weights = {source: rules.weight for source, rules in card.sources.items()}
    weighted = pl.sum_horizontal(
        [pl.col(SUB_SCORE[source]).fill_null(0) * weight for source, weight in weights.items()]
    )
    total = pl.sum_horizontal(
        [
            pl.when(pl.col(SUB_SCORE[source]).is_not_null()).then(weight).otherwise(0)
            for source, weight in weights.items()
        ]
    )
    no_data = int(card.no_data_score.quantize(TENTH, ROUND_HALF_UP) * 10)
    frame = frame.with_columns(
        pl.when(total > 0)
        .then(divide_half_up(weighted, total, 1))
        .otherwise(no_data)
        .alias("score_tenths")
    )
    labels = [risk_class.value for risk_class in CLASS_ORDER]
    score_rank = _class_rank(card)
    final_rank = pl.max_horizontal(score_rank, _knockout_rank(card))
    return frame.with_columns(
        score_rank.replace_strict(list(range(5)), labels, return_dtype=pl.String).alias(
            "score_class"
        ),
        final_rank.replace_strict(list(range(5)), labels, return_dtype=pl.String).alias(
            "risk_class"
        ),
    )
