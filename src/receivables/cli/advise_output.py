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
    if method["note"]:
        console.print(f"Note: {method['note']}.", soft_wrap=True)
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


def print_scenario(values: dict[str, Any]) -> None:
    """Print the shocks, then the effect on DSO, expected loss, limits, interest and cash, then responses."""
    console = Console()
    console.print(
        f"Scenario {values['scenario']} as of {values['as_of']} ({values['currency']})", soft_wrap=True
    )
    for shock in values["shocks"]:
        console.print(f"  - {shock}", soft_wrap=True)
    dso, ecl, limits, interest = values["dso"], values["ecl"], values["credit_limits"], values["interest"]
    rows = [
        ["DSO (simple, days)", dso["baseline_dso"], dso["scenario_dso"], dso["change_days"]],
        ["Receivables", interest["receivables"], interest["scenario_receivables"], dso["extra_receivables"]],
        ["Loss allowance", ecl["baseline_allowance"], ecl["scenario_allowance"], ecl["change"]],
        ["Yearly financing cost", interest["yearly_financing_cost"],
         interest["scenario_yearly_financing_cost"], interest["change"]],
    ]  # fmt: skip
    if limits["customers_with_limit"]:
        rows.append(["Credit limits", limits["limits_total"], limits["suggested_limits_total"], ""])
        rows.append(["Customers over their limit", str(limits["over_limit_before"]),
                     str(limits["over_limit_after"]), ""])  # fmt: skip
    console.print(_table("Effects", ["Figure", "Baseline", "Scenario", "Change"], rows))
    if limits.get("note"):
        console.print(f"Credit limits: {limits['note']}.", soft_wrap=True)
    forecast = values["forecast"]
    if forecast["weeks"]:
        console.print(
            _table(
                "Weekly cash forecast",
                ["Week from", "Baseline", "Scenario", "Change"],
                [[row["week_start"] or "beyond", row["baseline_expected"], row["scenario_expected"],
                  row["change"]] for row in forecast["weeks"]],
            )
        )  # fmt: skip
    else:
        console.print(f"Cash forecast: {forecast['note']}.", soft_wrap=True)
    console.print(
        _table(
            "Suggested policy responses",
            ["Measure", "Evidence", "Expected effect"],
            [[row["measure"], row["evidence"], row["expected_effect"]] for row in values["policy_responses"]],
            numeric_from=3,
        )
    )


def print_advice(values: dict[str, Any]) -> None:
    """Print the summary, the recommendations by effect with their evidence, and what is missing."""
    console = Console()
    summary = values["summary"]
    # DSO and turnover are None when the period had no credit sales.
    dso = f"DSO {summary['dso']} days" if summary["dso"] is not None else "DSO not computed (no credit sales)"
    turnover = f"turnover {summary['turnover']} a year" if summary["turnover"] is not None else "turnover n/a"
    console.print(
        f"Advice as of {values['as_of']} ({values['currency']}): receivables {summary['receivables']}, "
        f"{dso}, {turnover}, loss allowance {summary['loss_allowance']}.",
        soft_wrap=True,
    )
    rows = []
    for item in values["recommendations"]:
        effect = item["expected_effect"]
        evidence = "; ".join(f"{key.replace('_', ' ')} {value}" for key, value in item["evidence"].items())
        rows.append([item["kind"], item["measure"], evidence, effect["cash"], effect["dso_days"] or ""])
    console.print(
        _table("Recommendations, largest effect first", ["Kind", "Measure", "Evidence", "Cash", "DSO days"],
               rows, numeric_from=3)
    )  # fmt: skip
    for gap in values["not_computed"]:
        console.print(f"Not computed ({gap['kind']}): {gap['reason']}.", soft_wrap=True)
