"""Terminal tables of ``receivables ecl``, ``scenario`` and ``advise``, from their JSON-ready data."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table


def _table(title: str, headings: list[str], rows: list[list[str]], numeric_from: int = 1) -> Table:
    table = Table(title=title)
    for position, heading in enumerate(headings):
        table.add_column(heading, justify="right" if position >= numeric_from else "left")
    for row in rows:
        table.add_row(*["" if cell is None else str(cell) for cell in row])
    return table


def print_provision(values: dict[str, Any]) -> None:
    """Print the method and inputs, the matrix, the largest allowances and the total."""
    console = Console()
    method = values["method"]
    console.print(
        f"Expected credit loss as of {values['as_of']} ({values['currency']}): {method['approach']}; "
        f"rates {method['rates']} by {method['segment_by']}, {method['snapshots']} month-end snapshots "
        f"from {method['first_snapshot']} to {method['last_snapshot']}, write-offs within "
        f"{method['horizon_months']} months; forward-looking factor {method['forward_looking_factor']} "
        f"({method['forward_looking_reason']}).",
        soft_wrap=True,
    )
    console.print(
        _table(
            "Provision matrix",
            ["Segment", "Bucket", "Observed exposure", "Observed loss", "Historical %", "Source",
             "Applied %", "Open today", "Allowance"],
            [[cell["segment"], cell["bucket"], cell["observed_exposure"], cell["observed_loss"],
              cell["historical_rate_percent"], cell["rate_source"], cell["applied_rate_percent"],
              cell["open"], cell["allowance"]] for cell in values["matrix"]],
            numeric_from=2,
        )
    )  # fmt: skip
    console.print(
        _table(
            "Largest allowances by customer",
            ["Customer", "Name", "Segment", "Open", "Allowance"],
            [[row["customer_code"], row["name"], row["segment"], row["open"], row["allowance"]]
             for row in values["customers"]],
            numeric_from=3,
        )
    )  # fmt: skip
    total = values["total"]
    console.print(
        f"Total open {total['open']}, loss allowance {total['allowance']} "
        f"({total['coverage_percent']} % of the open amount)."
    )
