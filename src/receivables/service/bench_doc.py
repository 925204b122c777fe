"""The ``## Service`` section of ``docs/benchmarks.md``: written in place, other sections kept."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from receivables.service.bench import ServiceBenchResult

HEADING = "## Service"
TARGET_P99_MS = 20.0
WIDTH = 100

INTRO = """\
Measured with `{command}` on {day}: {machine}. The database holds the credit benchmark's
generated company of {customers:,} customers and {invoices:,} invoices, with statements, bureau
records, orders, an approved limit for every customer and a stored credit review. `receivables
serve` runs with {workers} worker process(es) on 127.0.0.1. A second process sends {rate:g} order
checks a second (`POST /api/credit/order-checks` with an API token of a sales user, customers
drawn at random) for {seconds:g} s after a 3 s warm-up, open-loop: each request goes out when it
is due, whether or not earlier answers came back. A latency runs from when its request was due to
the end of its answer, so waiting for a connection counts. *Answered req/s* is the requests
measured over the time until the last answer came. Server and load process share the machine's
cores; *load avg before* is the machine's 1-minute load average just before the load started,
which shows how much other work the run competed with.
"""


def service_section(
    results: Sequence[ServiceBenchResult], command: str, day: str, machine: str, invoices: int, seconds: float
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
            workers=first.workers,
            rate=first.rate,
            seconds=seconds,
        ),
        width=WIDTH,
        break_on_hyphens=False,
    )
    lines = [HEADING, "", intro, ""]
    lines += [
        "| database | load avg before | requests | answered req/s | errors | p50 ms | p95 ms | p99 ms "
        "| max ms | p99 <= 20 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for result in results:
        p99 = result.percentile(0.99)
        verdict = "met" if p99 <= TARGET_P99_MS else "not met"
        slowest = max(result.latencies_ms) if result.latencies_ms else float("nan")
        lines.append(
            f"| {result.backend} | {result.load_average:.1f} | {result.sent:,} | "
            f"{result.achieved_rate:.1f} | {result.errors} | "
            f"{result.percentile(0.5):.2f} | {result.percentile(0.95):.2f} | {p99:.2f} | "
            f"{slowest:.2f} | {verdict} |"
        )
    return "\n".join(lines) + "\n"
