"""Tables of the optional report sections (discounts, credit, cash application), for every rendering.

The sections arrive as the JSON-ready dicts of :attr:`Report.sections`; this module only lays
them out as titled tables of text cells. Unknown section keys are skipped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from receivables.analytics.report import Report
from receivables.reports.formatting import MISSING

OUTCOME_LABELS = {
    "auto_applied": "Applied automatically",
    "applied_after_review": "Applied after review",
    "suggested": "Waiting for review",
    "unmatched": "Unmatched (unapplied cash)",
}


@dataclass(frozen=True)
class SectionTable:
    """One table of a section: a title, column headings and rows of display text."""

    title: str
    headings: tuple[str, ...]
    rows: Sequence[tuple[str, ...]]
    numeric: frozenset[int]
    """Positions of the right-aligned number columns."""


def section_tables(report: Report) -> list[SectionTable]:
    """Lay out every known section of ``report`` as tables: discounts, credit, cash application."""
    tables: list[SectionTable] = []
    if report.discounts is not None and report.discounts.eligible + len(report.discounts.by_segment):
        tables.append(_discount_table(report))
    credit = report.sections.get("credit")
    if credit:
        tables.extend(_credit_tables(credit, report.currency.code))
    cash = report.sections.get("cash_application")
    if cash:
        tables.extend(_cash_tables(cash))
    # Imported here because those tables import SectionTable from this module.
    from receivables.reports.advice_tables import advice_tables, ecl_tables

    if report.sections.get("ecl"):
        tables.extend(ecl_tables(report.sections["ecl"]))
    if report.sections.get("advice"):
        tables.extend(advice_tables(report.sections["advice"]))
    return tables


def _discount_table(report: Report) -> SectionTable:
    discounts = report.discounts
    assert discounts is not None
    currency = report.currency
    values = discounts.to_dict(currency)
    rows = [
        (line["segment"], str(line["eligible"]), str(line["taken"]),
         line["take_rate"] or MISSING, _amount(line["cost"]))
        for line in values["by_segment"]
    ]  # fmt: skip
    rows.append(
        ("All segments", str(values["eligible"]), str(values["taken"]),
         values["take_rate"] or MISSING, _amount(values["cost"]))
    )  # fmt: skip
    return SectionTable(
        f"Early-payment discounts in the period ({currency.code})",
        ("Segment", "Eligible instalments", "Discount taken", "Take rate %", "Cost"),
        rows,
        frozenset(range(1, 5)),
    )


def _amount(text: str | None) -> str:
    return MISSING if text is None else f"{Decimal(text):,}"


def _credit_tables(credit: dict[str, Any], currency: str) -> list[SectionTable]:
    classes = SectionTable(
        f"Credit risk classes as of {credit['as_of']} ({currency})",
        ("Risk class", "Customers", "With a limit", "Over the limit", "Exposure", "Limits"),
        [
            (
                row["risk_class"],
                str(row["customers"]),
                str(row["with_limit"]),
                str(row["over_limit"]),
                _amount(row["exposure"]),
                _amount(row["limit"]),
            )
            for row in credit["classes"]
        ],
        frozenset(range(1, 6)),
    )
    if not credit["sales_ratio"]:
        return [classes]
    ratio = SectionTable(
        f"Credit-sales ratio ({currency}; ceiling {credit['sales_ratio_ceiling_percent']}%)",
        ("Month", "Credit sales", "Cash sales", "Total sales", "Ratio %", "Over the ceiling", "Note"),
        [
            (
                row["month"],
                _amount(row["credit_sales"]),
                _amount(row["cash_sales"]),
                _amount(row["total_sales"]),
                row["ratio_percent"] or MISSING,
                "yes" if row["over_ceiling"] else "no",
                row["note"] or "",
            )
            for row in credit["sales_ratio"]
        ],
        frozenset(range(1, 5)),
    )
    return [classes, ratio]


def _cash_tables(cash: dict[str, Any]) -> list[SectionTable]:
    share = cash["auto_applied_share"]
    counts = SectionTable(
        f"Cash application: receipts booked up to {cash['as_of']}",
        ("Outcome", "Receipts"),
        [(label, str(cash[name])) for name, label in OUTCOME_LABELS.items()]
        + [
            ("All receipts", str(cash["transactions"])),
            ("Share applied automatically", MISSING if share is None else f"{share}%"),
            ("Ignored lines (payments out, reversals)", str(cash["ignored"])),
        ],
        frozenset({1}),
    )
    amounts = SectionTable(
        "Cash application amounts, in each bank line's currency",
        ("Currency", "Receipts", *OUTCOME_LABELS.values()),
        [
            (
                row["currency"],
                _amount(row["transactions"]),
                *(_amount(row[name]) for name in OUTCOME_LABELS),
            )
            for row in cash["amounts"]
        ],
        frozenset(range(1, 6)),
    )
    return [counts, amounts] if cash["amounts"] else [counts]
