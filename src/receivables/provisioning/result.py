"""The provision matrix, the allowance per customer and in total, and the inputs behind them.

Amounts are company minor units in the frames and fixed-place strings in :meth:`to_dict`; rates
are ppm integers in the frames and percent strings with four decimals in :meth:`to_dict`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import polars as pl

from receivables.domain.money import Currency, Money
from receivables.domain.provisioning import (
    POOLED,
    MatrixCell,
    adjusted_ppm,
    ppm_rate,
    rate_ppm,
)

if TYPE_CHECKING:
    from receivables.provisioning.allowance import ProvisionInputs

PERCENT_PLACES = Decimal("0.0001")


def money_text(minor: int, currency: Currency) -> str:
    """Format company minor units as a fixed-place amount string, such as ``"1234.50"``."""
    return format(Money.from_minor(int(minor), currency).amount, "f")


def percent_text(ppm: int) -> str:
    """Format a ppm rate as a percent with four decimals: 12346 gives ``"1.2346"``."""
    return format((ppm_rate(ppm) * 100).quantize(PERCENT_PLACES), "f")


@dataclass(frozen=True)
class ProvisionResult:
    """The matrix as of a date and the priced open items.

    ``matrix``: segment, bucket, label, observations, exposure, loss, still_open, historical_ppm,
    source, applied_ppm (with the forward-looking factor), open and allowance (of today's items).
    ``items``: every open item with customer_id, document_id, segment, bucket, open,
    applied_ppm and allowance. ``customers``: customer_id, customer_code, name, segment, open,
    allowance, sorted by allowance, largest first.
    """

    inputs: ProvisionInputs
    snapshots: list[date]
    matrix: pl.DataFrame
    items: pl.DataFrame
    customers: pl.DataFrame

    @property
    def open_minor(self) -> int:
        return int(self.items["open"].sum())

    @property
    def allowance_minor(self) -> int:
        return int(self.items["allowance"].sum())

    @classmethod
    def assemble(
        cls,
        inputs: ProvisionInputs,
        snapshots: list[date],
        cells: list[MatrixCell],
        items: pl.DataFrame,
        attributes: pl.DataFrame,
    ) -> ProvisionResult:
        labels = inputs.buckets.labels
        factor = inputs.adjustment.factor_ppm
        rows = [
            {
                "segment": cell.segment, "bucket": cell.bucket, "label": labels[cell.bucket],
                "observations": cell.history.observations if cell.history else 0,
                "exposure": cell.history.exposure_minor if cell.history else 0,
                "loss": cell.history.loss_minor if cell.history else 0,
                "still_open": cell.history.still_open_minor if cell.history else 0,
                "historical_ppm": cell.historical_ppm, "source": cell.source.value,
                "applied_ppm": adjusted_ppm(cell.historical_ppm, factor),
            }
            for cell in cells
        ]  # fmt: skip
        current = items.group_by("segment", "bucket").agg(pl.col("open").sum(), pl.col("allowance").sum())
        matrix = (
            pl.DataFrame(rows)
            .join(current.cast({"bucket": pl.Int64}), on=["segment", "bucket"], how="left")
            .with_columns(pl.col("open").fill_null(0), pl.col("allowance").fill_null(0))
        )
        if inputs.segment_by.value == "none":
            matrix = matrix.filter(pl.col("segment") == POOLED)
        customers = (
            items.group_by("customer_id", "segment")
            .agg(pl.col("open").sum(), pl.col("allowance").sum())
            .join(attributes.select("customer_id", "customer_code", "name"), on="customer_id", how="left")
            .sort(["allowance", "customer_code"], descending=[True, False])
        )
        return cls(inputs, snapshots, matrix, items, customers)

    def to_dict(self, top: int | None = None) -> dict[str, Any]:
        """Return the result as JSON-ready data: inputs, method, matrix, customers and totals."""
        company = self.inputs.company
        customers = self.customers if top is None else self.customers.head(top)
        return {
            "as_of": self.inputs.as_of.isoformat(),
            "currency": company.code,
            "method": self._method(),
            "matrix": [self._cell(row) for row in self.matrix.iter_rows(named=True)],
            "customers": [
                {
                    "customer_code": row["customer_code"],
                    "name": row["name"],
                    "segment": row["segment"],
                    "open": money_text(row["open"], company),
                    "allowance": money_text(row["allowance"], company),
                }
                for row in customers.iter_rows(named=True)
            ],
            "total": {
                "open": money_text(self.open_minor, company),
                "allowance": money_text(self.allowance_minor, company),
                "coverage_percent": percent_text(
                    rate_ppm(Decimal(self.allowance_minor) / self.open_minor) if self.open_minor else 0
                ),
            },
        }

    def _method(self) -> dict[str, Any]:
        inputs = self.inputs
        return {
            "approach": "IFRS 9 simplified approach: lifetime expected credit loss by provision matrix",
            "rates": inputs.method.value,
            "segment_by": inputs.segment_by.value,
            "buckets": inputs.buckets.labels,
            "lookback_months": inputs.window.lookback_months,
            "horizon_months": inputs.window.horizon_months,
            "snapshots": len(self.snapshots),
            "first_snapshot": self.snapshots[0].isoformat() if self.snapshots else None,
            "last_snapshot": self.snapshots[-1].isoformat() if self.snapshots else None,
            "minimum_exposure": money_text(inputs.minimum_exposure_minor, inputs.company),
            "forward_looking_factor": format(inputs.adjustment.factor, "f"),
            "forward_looking_reason": inputs.adjustment.reason,
            "note": self._note(),
        }

    def _note(self) -> str | None:
        """Say why every rate is 0 when the history has no snapshot or no write-off."""
        if not self.snapshots:
            return (
                "no month-end snapshot lies in the history window before the loss horizon, so every rate "
                "is 0; shorten --horizon-months or wait for more history"
            )
        if int(self.matrix["loss"].sum()) == 0:
            return "no open item of the snapshots was written off within the horizon, so every rate is 0"
        return None

    def _cell(self, row: dict[str, Any]) -> dict[str, Any]:
        company = self.inputs.company
        return {
            "segment": row["segment"],
            "bucket": row["label"],
            "observations": row["observations"],
            "observed_exposure": money_text(row["exposure"], company),
            "observed_loss": money_text(row["loss"], company),
            "observed_still_open": money_text(row["still_open"], company),
            "historical_rate_percent": percent_text(row["historical_ppm"]),
            "rate_source": row["source"],
            "applied_rate_percent": percent_text(row["applied_ppm"]),
            "open": money_text(row["open"], company),
            "allowance": money_text(row["allowance"], company),
        }
