"""Early-payment discounts in the report period: how often they were taken and what they cost.

- An instalment is *eligible* when it carries a frozen discount offer, was issued on or before
  the as-of date, and its last discount deadline falls in the period: by then the customer's
  choice is known.
- It was *taken* when a ``discount`` document is allocated to it on or before the as-of date.
- The *take rate* is taken / eligible in percent, rounded once by ``round_figure``; without
  eligible instalments it has no value.
- The *cost* is the sum of the discount documents dated in the period, each converted to the
  company currency at its own rate (the conversion rule of
  :mod:`receivables.analytics.conversion`).

The same figures per customer segment (``unassigned`` for customers without one) make
``by_segment``. Everything is computed with Polars over whole columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import polars as pl

from receivables.analytics.conversion import to_company_minor, unit_scale_column
from receivables.analytics.report import amount_text, ratio_text
from receivables.analytics.snapshot import Period
from receivables.domain.documents import DocumentKind
from receivables.domain.metrics import round_figure
from receivables.domain.money import Currency

UNASSIGNED = "unassigned"
DEADLINES = pl.List(pl.Struct({"deadline": pl.String()}))


@dataclass(frozen=True)
class DiscountLine:
    """Discount figures of one customer segment."""

    segment: str
    eligible: int
    taken: int
    take_rate: Decimal | None
    cost: Decimal

    def to_dict(self, currency: Currency) -> dict[str, Any]:
        return {
            "segment": self.segment,
            "eligible": self.eligible,
            "taken": self.taken,
            "take_rate": ratio_text(self.take_rate),
            "cost": amount_text(self.cost, currency),
        }


@dataclass(frozen=True)
class DiscountFigures:
    """Take rate and cost of early-payment discounts in the period, overall and by segment."""

    eligible: int
    taken: int
    take_rate: Decimal | None
    cost: Decimal
    by_segment: list[DiscountLine] = field(default_factory=list)

    def to_dict(self, currency: Currency) -> dict[str, Any]:
        return {
            "take_rate": ratio_text(self.take_rate),
            "cost": amount_text(self.cost, currency),
            "eligible": self.eligible,
            "taken": self.taken,
            "by_segment": [line.to_dict(currency) for line in self.by_segment],
        }


def _rate(taken: int, eligible: int) -> Decimal | None:
    return None if eligible == 0 else round_figure(Decimal(taken * 100) / eligible)


def _eligible(
    documents: pl.DataFrame, offer_rows: pl.DataFrame, allocations: pl.DataFrame, period: Period
) -> pl.DataFrame:
    """Return customer_id and ``taken`` of every instalment eligible in the period."""
    last_deadline = (
        pl.col("discount_offers")
        .str.json_decode(DEADLINES)
        .list.eval(pl.element().struct.field("deadline").str.to_date("%Y-%m-%d"))
        .list.max()
    )
    offers = offer_rows.filter(pl.col("discount_offers").is_not_null()).select(
        "document_id", last_deadline.alias("deadline")
    )
    eligible = offers.filter(pl.col("deadline").is_between(period.start, period.as_of)).join(
        documents.filter(pl.col("document_date") <= period.as_of).select(
            "document_id", "customer_id"
        ),
        on="document_id",
    )
    discount_ids = documents.filter(pl.col("kind") == DocumentKind.DISCOUNT.value).select(
        pl.col("document_id").alias("source_id")
    )
    taken = (
        allocations.filter(pl.col("allocation_date") <= period.as_of)
        .join(discount_ids, on="source_id", how="semi")
        .select(pl.col("target_id").alias("document_id"))
        .unique()
        .with_columns(pl.lit(True).alias("taken"))
    )
    return eligible.join(taken, on="document_id", how="left").with_columns(
        pl.col("taken").fill_null(False)
    )


def _costs(documents: pl.DataFrame, period: Period, company: Currency) -> pl.DataFrame:
    """Return customer_id and ``cost`` (company minor units) of each discount in the period."""
    discounts = documents.filter(
        (pl.col("kind") == DocumentKind.DISCOUNT.value)
        & pl.col("document_date").is_between(period.start, period.as_of)
    )
    codes = discounts.get_column("currency").unique().to_list()
    return discounts.with_columns(
        unit_scale_column(pl.col("currency"), codes).alias("unit_scale")
    ).select("customer_id", to_company_minor(pl.col("amount_minor"), company).alias("cost"))


def discount_figures(
    documents: pl.DataFrame,
    allocations: pl.DataFrame,
    customers: pl.DataFrame,
    offers: pl.DataFrame,
    period: Period,
    company: Currency,
) -> DiscountFigures:
    """Compute the discount figures of ``period`` from the ledger frames (see the module rules)."""
    segments = (
        customers.select("customer_id", pl.col("segment").fill_null(UNASSIGNED))
        if "segment" in customers.columns
        else documents.select("customer_id")
        .unique()
        .with_columns(pl.lit(UNASSIGNED).alias("segment"))
    )
    eligible = _eligible(documents, offers, allocations, period).join(
        segments, on="customer_id", how="left"
    )
    costs = _costs(documents, period, company).join(segments, on="customer_id", how="left")
    counts = eligible.group_by("segment").agg(
        pl.len().alias("eligible"), pl.col("taken").sum().alias("taken")
    )
    spent = costs.group_by("segment").agg(pl.col("cost").sum())
    table = counts.join(spent, on="segment", how="full", coalesce=True).fill_null(0).sort("segment")

    def amount(minor: int) -> Decimal:
        return Decimal(int(minor)).scaleb(-company.minor_unit)

    lines = [
        DiscountLine(
            segment=row["segment"] or UNASSIGNED,
            eligible=int(row["eligible"]),
            taken=int(row["taken"]),
            take_rate=_rate(int(row["taken"]), int(row["eligible"])),
            cost=amount(row["cost"]),
        )
        for row in table.iter_rows(named=True)
    ]
    eligible_total = sum(line.eligible for line in lines)
    taken_total = sum(line.taken for line in lines)
    cost_total = amount(int(costs.get_column("cost").sum() or 0))
    return DiscountFigures(
        eligible_total, taken_total, _rate(taken_total, eligible_total), cost_total, lines
    )
