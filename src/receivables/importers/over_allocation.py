"""Which allocations would take an open item below zero or spend more credit than a document has.

The rule is the one :meth:`receivables.domain.ledger.Ledger.allocate` keeps, applied in the same
order: stored allocations first, then the imported ones in file and row order. An allocation is
rejected when, counting every earlier allocation that was not rejected, it exceeds the amount
still open on its target or still unapplied on its source. A rejected allocation does not count
for later ones, so a small allocation after a rejected large one can still fit.

Vectorized by running totals per target and per source. Every allocation without a violation is
kept for good, because removing rows only lowers the totals. A violating row is surely rejected
when no earlier row of its violated group violates anything. Those rows are removed and the
totals run again, until no row violates. Only targets and sources whose allocations add up to more
than their amount take part, so a clean import needs one pass over the data.
"""

from __future__ import annotations

import polars as pl

OUTCOME_SCHEMA: dict[str, pl.DataType] = {
    "_sequence": pl.Int64(),
    "_side": pl.String(),
    "_available": pl.Int64(),
}


def _violations(active: pl.DataFrame) -> pl.DataFrame:
    frame = active.with_columns(
        pl.col("amount_minor").cum_sum().over("_target_doc").alias("_target_total"),
        pl.col("amount_minor").cum_sum().over("_source_doc").alias("_source_total"),
    )
    return frame.with_columns(
        (pl.col("_target_total") > pl.col("_target_amount")).alias("_over_target"),
        (pl.col("_source_total") > pl.col("_source_amount")).alias("_over_source"),
    ).with_columns((pl.col("_over_target") | pl.col("_over_source")).alias("_over"))


def _surely_rejected(frame: pl.DataFrame) -> pl.DataFrame:
    over = pl.col("_over").cast(pl.Int64)
    earlier_in_target = (over.cum_sum().over("_target_doc") - over) > 0
    earlier_in_source = (over.cum_sum().over("_source_doc") - over) > 0
    by_target = pl.col("_over_target") & ~earlier_in_target
    by_source = pl.col("_over_source") & ~earlier_in_source
    return frame.filter(by_target | by_source).select(
        "_sequence",
        pl.when(by_target).then(pl.lit("target")).otherwise(pl.lit("source")).alias("_side"),
        pl.when(by_target)
        .then(pl.col("_target_amount") - (pl.col("_target_total") - pl.col("amount_minor")))
        .otherwise(pl.col("_source_amount") - (pl.col("_source_total") - pl.col("amount_minor")))
        .alias("_available"),
    )


def over_allocations(allocations: pl.DataFrame) -> pl.DataFrame:
    """Return the rejected allocations: ``_sequence``, the side that overflowed and what was left there.

    ``allocations`` has ``_sequence`` (the order of application), ``_target_doc`` and
    ``_source_doc`` (document ids), ``amount_minor``, ``_target_amount`` and ``_source_amount``.
    """
    ordered = allocations.sort("_sequence")
    target_over = pl.col("amount_minor").sum().over("_target_doc") > pl.col("_target_amount")
    source_over = pl.col("amount_minor").sum().over("_source_doc") > pl.col("_source_amount")
    crowded = ordered.filter(target_over | source_over)
    rejected: list[pl.DataFrame] = []
    active = crowded
    while not active.is_empty():
        frame = _violations(active)
        if not frame.get_column("_over").any():
            break
        removed = _surely_rejected(frame)
        rejected.append(removed)
        active = active.filter(~pl.col("_sequence").is_in(removed.get_column("_sequence").implode()))
    if not rejected:
        return pl.DataFrame(schema=OUTCOME_SCHEMA)
    return pl.concat(rejected, how="vertical").cast(OUTCOME_SCHEMA)  # type: ignore[arg-type]
