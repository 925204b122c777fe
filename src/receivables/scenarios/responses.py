"""Policy responses to a scenario: what a credit manager could do about each shock, with its numbers.

- A payment delay of ``n`` days for a group: shorten its payment terms by ``n`` days, which
  brings its receivables back by ``daily sales * n`` if the customers keep paying as late after
  the new due date as they do now; and review the group's customers monthly.
- A default-rate factor ``k`` above 1 for a group: cut its limits to ``limit / k`` and review
  its risk classes every three months instead of once a year.
- An interest rise: each day of DSO now costs ``daily sales * new rate`` a year, so collections
  of the overdue items come first; and early-payment discounts pay off only when their yearly
  cost is below the new cost of capital.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

import polars as pl

from receivables.domain.metrics import round_figure
from receivables.domain.money import Currency
from receivables.domain.scenarios import Scenario, Shock, ShockKind
from receivables.provisioning.result import money_text
from receivables.scenarios.selection import selector_mask

if TYPE_CHECKING:
    from receivables.scenarios.baseline import Baseline


def policy_responses(
    scenario: Scenario,
    sections: dict[str, Any],
    baseline: Baseline,
    customers: pl.DataFrame,
    attributes: pl.DataFrame,
    limits: pl.DataFrame,
) -> list[dict[str, Any]]:
    """Return one or two responses per shock, each with its evidence and expected effect.

    ``limits`` is the frame of :func:`receivables.scenarios.effects.scenario_limits`.
    """
    company = baseline.report.currency
    period_days = baseline.report.figures.period_days
    table = customers.join(attributes, on="customer_id", how="left")
    total_sales = baseline.sales_minor
    responses: list[dict[str, Any]] = []
    for shock in scenario.shocks:
        group = table.filter(selector_mask(shock))
        sales = int(group["credit_sales"].clip(lower_bound=0).sum())
        if shock.kind is ShockKind.PAYMENT_DELAY and shock.days > 0 and sales > 0:
            released = int(group["extra_minor"].sum())
            responses += _delay_responses(
                shock, group.height, sales, total_sales, released, period_days, company
            )
        elif shock.kind is ShockKind.DEFAULT_RATE and shock.value > 1 and group.height:
            responses += _default_responses(shock, group, limits, company)
        elif shock.kind is ShockKind.INTEREST_RATE and shock.value > 0:
            responses += _interest_responses(sections["interest"])
    return responses


def _delay_responses(
    shock: Shock,
    customers: int,
    sales: int,
    total_sales: int,
    released: int,
    period_days: int,
    company: Currency,
) -> list[dict[str, Any]]:
    """``released`` is the group's extra receivables under the scenario, which shorter terms undo."""
    days = round_figure(Decimal(sales * shock.days) / total_sales) if total_sales else None
    evidence = (
        f"{customers} customers with credit sales of {money_text(sales, company)} in the last "
        f"{period_days} days"
    )
    return [
        {
            "measure": f"Shorten the payment terms of {shock.selector.describe()} by {shock.days} days",
            "evidence": evidence,
            "expected_effect": f"DSO {days} days lower than under the scenario; "
            f"{money_text(released, company)} less tied up in receivables",
        },
        {
            "measure": f"Review the customers of {shock.selector.describe()} monthly",
            "evidence": evidence,
            "expected_effect": "a customer paying later is found within a month, not at the yearly review",
        },
    ]


def _default_responses(
    shock: Shock, group: pl.DataFrame, limits: pl.DataFrame, company: Currency
) -> list[dict[str, Any]]:
    limited = limits.join(group.select("customer_id"), on="customer_id", how="semi")
    before = int(limited["limit_minor"].sum())
    after = int(limited["suggested_limit"].sum())
    evidence = f"{group.height} customers with open items or sales; default rates multiplied by {shock.value}"
    return [
        {
            "measure": f"Cut the credit limits of {shock.selector.describe()} to limit / {shock.value}",
            "evidence": f"{evidence}; with a credit limit: {limited.height}",
            "expected_effect": f"their limits fall from {money_text(before, company)} to "
            f"{money_text(after, company)}, so the expected loss on fully used limits stays where it is",
        },
        {
            "measure": f"Review the risk class of {shock.selector.describe()} every 3 months",
            "evidence": evidence,
            "expected_effect": "a deteriorating customer reaches a stricter class within a quarter",
        },
    ]


def _interest_responses(interest: dict[str, Any]) -> list[dict[str, Any]]:
    rate = interest["scenario_cost_of_capital_percent"]
    return [
        {
            "measure": "Collect the overdue items first: each day of DSO now costs more",
            "evidence": f"cost of capital {interest['cost_of_capital_percent']} % -> {rate} %; receivables "
            f"{interest['scenario_receivables']}",
            "expected_effect": f"{interest['yearly_cost_of_one_dso_day']} a year saved per day of DSO",
        },
        {
            "measure": f"Offer early-payment discounts only where their yearly cost is below {rate} %",
            "evidence": f"yearly financing cost of the receivables {interest['yearly_financing_cost']} -> "
            f"{interest['scenario_yearly_financing_cost']}",
            "expected_effect": "only discounts cheaper than the new cost of capital bring cash in earlier",
        },
    ]
