"""The provision matrix of an as-of date and the loss allowance of every open item.

:func:`compute_provision` takes the month-end snapshots of :class:`HistoryWindow`, adds up each
cell's history (:mod:`.history`), builds the matrix with the pooled fallback
(:func:`receivables.domain.provisioning.build_matrix`), applies the forward-looking factor and
prices every item open at the end of ``as_of``. Scenarios pass per-customer shocks: an extra
factor on the rates and a delay that ages the customer's open items by more days.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

import polars as pl
from sqlalchemy import Engine

from receivables.analytics.frames import LedgerFrames
from receivables.credit.summary import SCORES_SCHEMA, SCORES_SQL
from receivables.domain.aging import AgingBasis, AgingBuckets
from receivables.domain.money import Currency
from receivables.domain.provisioning import (
    POOLED,
    PPM,
    ForwardLookingAdjustment,
    HistoryWindow,
    MatrixCell,
    ProvisionMethod,
    adjusted_ppm,
    allowance_minor,
    build_matrix,
    combined_factor_ppm,
)
from receivables.provisioning.history import cell_histories, open_items_at, snapshot_outcomes
from receivables.provisioning.result import ProvisionResult
from receivables.storage.frames import load_customers, read_frame

UNASSIGNED = "unassigned"
SHOCK_SCHEMA = {"customer_id": pl.Int64, "factor_ppm": pl.Int64, "delay_days": pl.Int64}


class SegmentBy(StrEnum):
    """The customer attribute that splits the matrix into segments."""

    SEGMENT = "segment"
    INDUSTRY = "industry"
    COUNTRY = "country"
    RISK_CLASS = "risk_class"
    NONE = "none"


@dataclass(frozen=True)
class ProvisionInputs:
    """Everything the matrix depends on besides the ledger; shown with every result."""

    as_of: date
    company: Currency
    method: ProvisionMethod = ProvisionMethod.LOSS_RATE
    segment_by: SegmentBy = SegmentBy.SEGMENT
    buckets: AgingBuckets = field(default_factory=AgingBuckets)
    window: HistoryWindow = field(default_factory=HistoryWindow)
    adjustment: ForwardLookingAdjustment = field(default_factory=ForwardLookingAdjustment)
    minimum_exposure_minor: int = 0
    """A segment's cell below this summed exposure takes the pooled rate of its bucket."""

    def __post_init__(self) -> None:
        if self.buckets.basis is not AgingBasis.DUE_DATE:
            raise ValueError("the provision matrix ages items by due date; use due-date buckets")


def customer_attributes(engine: Engine) -> pl.DataFrame:
    """Return customer_id, customer_code, name, segment, industry, country and the stored risk_class."""
    customers = load_customers(engine)
    scores = read_frame(engine, SCORES_SQL, SCORES_SCHEMA).select("customer_id", "risk_class")
    return customers.join(scores, on="customer_id", how="left").select(
        "customer_id", "customer_code", "name", "segment", "industry", "country", "risk_class"
    )


def segment_frame(attributes: pl.DataFrame, segment_by: SegmentBy) -> pl.DataFrame:
    """Map each customer to its segment: the chosen attribute, ``unassigned`` when empty."""
    if segment_by is SegmentBy.NONE:
        return attributes.select("customer_id", pl.lit(POOLED).alias("segment"))
    column = pl.col(segment_by.value)
    value = pl.when(column.is_null() | (column.str.strip_chars() == "")).then(pl.lit(UNASSIGNED))
    return attributes.select("customer_id", value.otherwise(column).alias("segment"))


def compute_provision(
    ledger: LedgerFrames,
    attributes: pl.DataFrame,
    inputs: ProvisionInputs,
    shocks: pl.DataFrame | None = None,
) -> ProvisionResult:
    """Build the provision matrix as of ``inputs.as_of`` and price every open item with it.

    ``shocks``, when given, has customer_id, ``factor_ppm`` (an extra factor on that customer's
    rates, 1,000,000 = unchanged) and ``delay_days`` (days added to its items' days past due).
    """
    segments = segment_frame(attributes, inputs.segment_by)
    first = ledger.prepared.first_date if not ledger.is_empty else None
    snapshots = inputs.window.snapshots(inputs.as_of, first)
    outcomes = snapshot_outcomes(
        ledger.documents, ledger.allocations, snapshots, inputs.window.horizon_months, inputs.company
    )
    histories = cell_histories(outcomes, segments, inputs.buckets)
    count = len(inputs.buckets.labels)
    cells = build_matrix(histories, count, inputs.method, inputs.minimum_exposure_minor)
    items = price_items(ledger, segments, cells, inputs, shocks)
    return ProvisionResult.assemble(inputs, snapshots, cells, items, attributes)


def price_items(
    ledger: LedgerFrames,
    segments: pl.DataFrame,
    cells: list[MatrixCell],
    inputs: ProvisionInputs,
    shocks: pl.DataFrame | None,
) -> pl.DataFrame:
    """Return every item open at ``as_of`` with its segment, bucket, applied rate and allowance."""
    items = open_items_at(ledger.documents, ledger.allocations, [inputs.as_of], inputs.company)
    if shocks is None:
        shocks = pl.DataFrame(schema=SHOCK_SCHEMA)
    items = (
        items.join(segments, on="customer_id", how="left")
        .join(shocks, on="customer_id", how="left")
        .with_columns(
            pl.col("segment").fill_null(UNASSIGNED),
            pl.col("factor_ppm").fill_null(PPM),
            pl.col("delay_days").fill_null(0),
        )
        .with_columns(inputs.buckets.index(pl.col("days_past_due") + pl.col("delay_days")).alias("bucket"))
    )
    rates = _rate_table(cells, inputs, items)
    return items.join(rates, on=["segment", "bucket", "factor_ppm"], how="left").with_columns(
        allowance_minor(pl.col("open"), pl.col("applied_ppm")).alias("allowance")
    )


def _rate_table(cells: list[MatrixCell], inputs: ProvisionInputs, items: pl.DataFrame) -> pl.DataFrame:
    """Return the applied rate of each (segment, bucket, shock factor) that occurs among the items.

    Segments without history of their own (new since the last snapshot) take the pooled rates.
    """
    by_cell = {(cell.segment, cell.bucket): cell.historical_ppm for cell in cells}
    rows = []
    for segment, bucket, factor in items.select("segment", "bucket", "factor_ppm").unique().iter_rows():
        historical = by_cell.get((segment, bucket), by_cell.get((POOLED, bucket), 0))
        factor_ppm = combined_factor_ppm(inputs.adjustment.factor_ppm, factor)
        rows.append((segment, bucket, factor, adjusted_ppm(historical, factor_ppm)))
    return pl.DataFrame(
        rows,
        schema={"segment": pl.String, "bucket": items.schema["bucket"], "factor_ppm": pl.Int64,
                "applied_ppm": pl.Int64},
        orient="row",
    )  # fmt: skip
