"""The ``## Collections`` section of ``docs/benchmarks.md``: written in place, others kept."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from receivables.dunning.bench import BenchResult

HEADING = "## Collections"
TARGET_SECONDS = 30.0
WIDTH = 100

INTRO = """\
Measured with `{command}` on {day}: {machine}. A generated ledger of {customers:,} customers
with {items:,} open invoices (one in ten partly paid, one in a hundred disputed), contact data
for every customer (94 % with an email address, the rest exercising the letter and task
fallbacks) and a risk class for half of them. *Run s* is `collect run --no-send` in full:
load the ledger frames, check promises, decide every customer's level, and write the notices,
their items, deliveries, tasks and audit events. *Re-run s* repeats it the same day, when
nothing is new. The sending rates deliver {sample:,} of the planned email notices, rendered in
the sandbox, to an aiosmtpd server on 127.0.0.1 over one connection, and then {sample:,} to
`.eml` files. Each delivery is marked sending and then sent in two commits of its own, which bound
the rate on PostgreSQL. Peak RSS is the process's peak over all rows. Times are wall-clock, taken
while other work shared the machine, so they vary between runs.
"""


def collections_section(
    results: Sequence[BenchResult], command: str, day: str, machine: str, sample: int
) -> str:
    first = results[0]
    intro = textwrap.fill(
        " ".join(INTRO.split()).format(
            command=command,
            day=day,
            machine=machine,
            customers=first.customers,
            items=first.open_items,
            sample=sample,
        ),
        width=WIDTH,
        break_on_hyphens=False,
    )
    lines = [HEADING, "", intro, ""]
    lines += [
        "| database | load s | run s | run <= 30 s | notices | tasks | re-run s | SMTP notices/s "
        "| .eml notices/s | peak RSS MB |",
        "| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for result in results:
        verdict = "met" if result.run_seconds <= TARGET_SECONDS else "not met"
        lines.append(
            f"| {result.backend} | {result.load_seconds:.1f} | {result.run_seconds:.1f} | "
            f"{verdict} | {result.notices:,} | {result.tasks:,} | {result.rerun_seconds:.1f} | "
            f"{result.smtp_rate:.0f} | {result.file_rate:.0f} | {result.peak_rss_mb:,.0f} |"
        )
    return "\n".join(lines) + "\n"
