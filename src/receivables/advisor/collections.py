"""Recommendations about dunning: levels and channels whose notices are not followed by payment.

A notice's response is what its customer paid on the listed items in the ``response_days`` days
after the notice date: allocations other than write-offs to the items, at most the
amount open on the notice date, converted to the company currency in proportion to the item's
open company amount on that date. Only approved notices count (drafts and skipped ones never
went out), dated in the year before ``as_of`` and at least ``response_days`` before it, so every
response window is complete.

Per level and channel the response rate is responded / dunned amount. A channel whose rate is
below ``weak_response_ratio`` times the best channel of the same level does not work. Expected
cash: its dunned amount of the year, answered at the best channel's rate instead.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import polars as pl

from receivables.advisor.context import AdviceContext
from receivables.advisor.recommendation import Recommendation, figure
from receivables.domain.advice import response_rate_percent
from receivables.domain.documents import DocumentKind
from receivables.domain.dunning.notices import NoticeStatus
from receivables.provisioning.result import money_text


def response_table(context: AdviceContext) -> pl.DataFrame:
    """Return per level and channel: level_name, notices, dunned and responded (company minor units)."""
    days = context.policy.response_days
    notices = context.notices.filter(
        (pl.col("status") == NoticeStatus.APPROVED.value)
        & (pl.col("notice_date") > context.as_of - timedelta(days=365))
        & (pl.col("notice_date") <= context.as_of - timedelta(days=days))
    )
    write_offs = context.ledger.documents.filter(pl.col("kind") == DocumentKind.WRITE_OFF.value)
    payments = context.ledger.allocations.join(
        write_offs.select(pl.col("document_id").alias("source_id")), on="source_id", how="anti"
    )
    paid = (
        notices.select("notice_id", "document_id", "notice_date")
        .join(payments, left_on="document_id", right_on="target_id")
        .filter(
            (pl.col("allocation_date") > pl.col("notice_date"))
            & (pl.col("allocation_date") <= pl.col("notice_date") + pl.duration(days=days))
        )
        .group_by("notice_id", "document_id")
        .agg(pl.col("amount_minor").sum().alias("paid_minor"))
    )
    items = notices.join(paid, on=["notice_id", "document_id"], how="left").with_columns(
        (
            pl.col("open_company_minor")
            * pl.min_horizontal(pl.col("paid_minor").fill_null(0), pl.col("open_minor"))
            // pl.col("open_minor")
        ).alias("responded")
    )
    return (
        items.group_by("level", "channel")
        .agg(
            pl.col("level_name").first(),
            pl.col("notice_id").n_unique().alias("notices"),
            pl.col("open_company_minor").sum().alias("dunned"),
            pl.col("responded").sum(),
        )
        .sort("level", "channel")
    )


def dunning_recommendations(context: AdviceContext) -> tuple[list[Recommendation], str | None]:
    """Return the weak channels, or no recommendations and the reason none can be computed."""
    table = response_table(context)
    if table.is_empty():
        return [], (
            "no approved dunning notices dated in the year before the as-of date, at least "
            f"{context.policy.response_days} days before it; run 'receivables collect run' to dun"
        )
    rows = table.to_dicts()
    for row in rows:
        row["rate"] = response_rate_percent(row["responded"], row["dunned"])
    result = []
    for level in sorted({row["level"] for row in rows}):
        channels = [row for row in rows if row["level"] == level and row["rate"] is not None]
        if len(channels) < 2:
            continue
        best = max(channels, key=lambda row: row["rate"])
        for row in channels:
            if row is best or row["rate"] >= best["rate"] * context.policy.weak_response_ratio:
                continue
            result.append(_weak_channel(context, row, best))
    return result, None


def response_rates(context: AdviceContext) -> list[dict[str, object]]:
    """Return the response rate of every level and channel, for the evidence of the advice."""
    return [
        {
            "level": row["level"], "level_name": row["level_name"], "channel": row["channel"],
            "notices": row["notices"], "dunned": money_text(row["dunned"], context.company),
            "responded": money_text(row["responded"], context.company),
            "response_rate_percent": figure(response_rate_percent(row["responded"], row["dunned"])),
        }
        for row in response_table(context).iter_rows(named=True)
    ]  # fmt: skip


def _weak_channel(context: AdviceContext, row: dict[str, object], best: dict[str, object]) -> Recommendation:
    rate, best_rate = row["rate"], best["rate"]
    assert isinstance(rate, Decimal) and isinstance(best_rate, Decimal)
    dunned = int(str(row["dunned"]))
    cash = int(Decimal(dunned) * (best_rate - rate) / 100)
    evidence = {
        "level": row["level"],
        "level_name": row["level_name"],
        "notices": row["notices"],
        "dunned": money_text(dunned, context.company),
        "response_rate_percent": figure(rate),
        "best_channel": best["channel"],
        "best_response_rate_percent": figure(best_rate),
        "response_days": context.policy.response_days,
    }
    measure = (
        f"Send level {row['level']} ({row['level_name']}) by {best['channel']} instead of {row['channel']}"
    )
    return Recommendation("dunning", measure, context.effect(cash), evidence)
