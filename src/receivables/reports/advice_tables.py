"""Tables of the report's ``ecl`` and ``advice`` sections, from their JSON-ready dicts."""

from __future__ import annotations

from typing import Any

from receivables.reports.formatting import MISSING
from receivables.reports.sections import SectionTable


def ecl_tables(ecl: dict[str, Any]) -> list[SectionTable]:
    """Lay out the provision matrix with its inputs in the title and the total allowance as its last row."""
    method = ecl["method"]
    title = (
        f"Expected credit loss as of {ecl['as_of']} ({ecl['currency']}): provision matrix of "
        f"{method['rates'].replace('_', ' ')}s by {method['segment_by']}, {method['snapshots']} month-end "
        f"snapshots, write-offs within {method['horizon_months']} months, forward-looking factor "
        f"{method['forward_looking_factor']}"
    )
    rows = [
        (cell["segment"], cell["bucket"], cell["historical_rate_percent"], cell["rate_source"],
         cell["applied_rate_percent"], cell["open"], cell["allowance"])
        for cell in ecl["matrix"]
        if cell["segment"] != "all"
    ]  # fmt: skip
    total = ecl["total"]
    rows.append(("All segments", "", "", "", total["coverage_percent"], total["open"], total["allowance"]))
    headings = ("Segment", "Bucket", "Historical %", "Source", "Applied %", "Open", "Allowance")
    return [SectionTable(title, headings, rows, frozenset({2, 4, 5, 6}))]


def advice_tables(advice: dict[str, Any]) -> list[SectionTable]:
    """Lay out the recommendations by effect with their evidence, then what could not be computed."""
    rows = []
    for item in advice["recommendations"]:
        evidence = "; ".join(
            f"{key.replace('_', ' ')} {value}" for key, value in item["evidence"].items() if value is not None
        )
        effect = item["expected_effect"]
        rows.append((item["measure"], evidence, effect["cash"], effect["dso_days"] or MISSING))
    for gap in advice["not_computed"]:
        rows.append((f"Not computed: {gap['kind'].replace('_', ' ')}", gap["reason"], MISSING, MISSING))
    title = f"Recommendations as of {advice['as_of']}, largest effect first ({advice['currency']})"
    return [SectionTable(title, ("Measure", "Evidence", "Cash", "DSO days"), rows, frozenset({2, 3}))]
