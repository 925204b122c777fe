"""The ``## Credit`` section of ``docs/benchmarks.md``: written in place, other sections kept."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from receivables.credit.bench import BenchResult

HEADING = "## Credit"
TARGET_CHECK_MS = 10.0
WIDTH = 100

INTRO = """\
Measured with `{command}` on {day}: {machine}. One generated company of {customers:,} customers
and {invoices:,} invoices ({documents:,} documents and {allocations:,} allocations with the
payments, credit notes and write-offs that settle them), with synthetic statements for about
30 % of the customers, bureau records for about 50 %, open orders for about 20 %, and an
approved limit for every customer; the statistics are refreshed with `ANALYZE` after loading.
*Review s* runs `credit review` in full (load the ledger,
score every customer, find warning signs, store the scores and findings); *compute s* is the same
without storing. The order checks are {checks:,} calls of the check service for customers drawn at
random, on one open connection. Times are wall-clock, in one process.
"""


def credit_section(
    results: Sequence[BenchResult], command: str, day: str, machine: str, invoices: int
) -> str:
    """Render the section's Markdown, from its heading to the end of its table."""
    first = results[0]
    intro = textwrap.fill(
        " ".join(INTRO.split()).format(
            command=command,
            day=day,
            machine=machine,
            customers=first.customers,
            invoices=invoices,
            documents=first.documents,
            allocations=first.allocations,
            checks=len(first.check_ms),
        ),
        width=WIDTH,
        break_on_hyphens=False,
    )
    lines = [HEADING, "", intro, ""]
    lines += [
        "| database | load s | review s | compute s | check p50 ms | check p95 ms | check max ms "
        "| check < 10 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for result in results:
        p95 = result.percentile(0.95)
        verdict = "met" if p95 < TARGET_CHECK_MS else "not met"
        lines.append(
            f"| {result.backend} | {result.load_seconds:.1f} | {result.review_seconds:.2f} | "
            f"{result.compute_seconds:.2f} | {result.check_median_ms:.2f} | {p95:.2f} | "
            f"{max(result.check_ms):.2f} | {verdict} (p95) |"
        )
    return "\n".join(lines) + "\n"
