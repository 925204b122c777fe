"""Apply a scenario's shocks to the ledger as of a date: DSO, cash forecast, ECL and credit limits.

Each shock selects customers by their attributes (:func:`shock_frame`); a customer hit by several
payment delays adds them up, and several default-rate factors multiply. Then, against the
baseline of the same as-of date:

- DSO: the simple DSO rises by ``sum(sales_c * delay_c) / sum(sales)`` days, and receivables by
  ``sum(sales_c * delay_c) / period_days`` (see :mod:`receivables.domain.scenarios`);
- cash forecast: each open item's predicted pay date moves by its customer's delay, and the weekly
  forecast of the prediction package (:func:`receivables.prediction.api.weekly_forecast`) is computed
  on both frames;
- ECL: the provision matrix stays as history made it; a delay ages the customer's open items by
  its days, and a factor multiplies its applied rates (capped at 100 %);
- credit limits: exposure rises by the customer's extra receivables, and a factor above 1
  suggests the limit ``limit / factor``;
- interest: financing the receivables costs ``receivables * rate`` a year.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import polars as pl

from receivables.analytics import LedgerFrames
from receivables.domain.metrics import dso_simple, round_figure
from receivables.domain.money import Currency
from receivables.domain.provisioning import PPM
from receivables.domain.scenarios import Scenario, dso_increase, limit_for_factor, yearly_financing_minor
from receivables.prediction.api import weekly_forecast
from receivables.provisioning import ProvisionInputs, ProvisionResult, compute_provision
from receivables.provisioning.result import money_text
from receivables.scenarios.baseline import Baseline, baseline_figures
from receivables.scenarios.responses import policy_responses
from receivables.scenarios.selection import shock_frame


@dataclass(frozen=True)
class ScenarioInputs:
    """The as-of date, the period of the sales figures and the provision options of the run."""

    provision: ProvisionInputs
    period_days: int = 90

    @property
    def as_of(self) -> date:
        return self.provision.as_of

    @property
    def company(self) -> Currency:
        return self.provision.company


@dataclass(frozen=True)
class ScenarioResult:
    """The effects of one scenario as JSON-ready sections: dso, forecast, ecl, credit_limits, interest."""

    scenario: Scenario
    inputs: ScenarioInputs
    sections: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario.name,
            "description": self.scenario.description,
            "as_of": self.inputs.as_of.isoformat(),
            "currency": self.inputs.company.code,
            "shocks": [shock.describe() for shock in self.scenario.shocks],
            **self.sections,
        }


def run_scenario(
    ledger: LedgerFrames,
    attributes: pl.DataFrame,
    scenario: Scenario,
    inputs: ScenarioInputs,
    predictions: pl.DataFrame | None,
    limits: pl.DataFrame,
) -> ScenarioResult:
    """Compute every effect of ``scenario``; ``limits`` has customer_id, limit_minor, exposure_minor.

    Without ``predictions`` (columns of :func:`receivables.prediction.api.predict_open_items`)
    the forecast section states why it is missing.
    """
    shocks = shock_frame(attributes, scenario)
    baseline = baseline_figures(ledger, inputs.as_of, inputs.period_days, inputs.company)
    customers = baseline.customers.join(shocks, on="customer_id", how="left").with_columns(
        pl.col("delay_days").fill_null(0),
        pl.col("factor_ppm").fill_null(PPM),
        (pl.col("credit_sales").clip(lower_bound=0) * pl.col("delay_days").fill_null(0)).alias("sales_delay"),
    )
    extra = _extra_receivables(customers, inputs.period_days)
    customers = customers.join(extra, on="customer_id", how="left")
    limit_frame = scenario_limits(limits, customers, extra, attributes)
    base_ecl = compute_provision(ledger, attributes, inputs.provision)
    shocked_ecl = compute_provision(ledger, attributes, inputs.provision, shocks)
    sections: dict[str, Any] = {
        "dso": _dso_section(baseline, customers, extra, inputs),
        "forecast": _forecast_section(predictions, shocks, inputs, scenario.forecast_weeks),
        "ecl": _ecl_section(base_ecl, shocked_ecl, attributes),
        "credit_limits": _limits_section(limit_frame, inputs.company),
        "interest": _interest_section(baseline, extra, scenario, inputs.company),
    }
    sections["policy_responses"] = policy_responses(
        scenario, sections, baseline, customers, attributes, limit_frame
    )
    return ScenarioResult(scenario, inputs, sections)


def _extra_receivables(customers: pl.DataFrame, period_days: int) -> pl.DataFrame:
    """Return customer_id and ``extra_minor``: daily sales times delay, rounded half-up per customer."""
    half = period_days // 2
    return customers.select(
        "customer_id",
        pl.when(pl.col("sales_delay") >= 0)
        .then((pl.col("sales_delay") + half) // period_days)
        .otherwise(-((-pl.col("sales_delay") + half) // period_days))
        .alias("extra_minor"),
    )


def _dso_section(
    baseline: Baseline, customers: pl.DataFrame, extra: pl.DataFrame, inputs: ScenarioInputs
) -> dict[str, Any]:
    increase = dso_increase(int(customers["sales_delay"].sum()), baseline.sales_minor)
    dso = (
        dso_simple(Decimal(baseline.open_minor), Decimal(baseline.sales_minor), inputs.period_days)
        if baseline.sales_minor > 0
        else None
    )
    scenario_dso = None if dso is None or increase is None else dso + increase
    affected = customers.filter(pl.col("delay_days") != 0)
    return {
        "period_days": inputs.period_days,
        "credit_sales": money_text(baseline.sales_minor, inputs.company),
        "baseline_dso": _text(dso),
        "scenario_dso": _text(scenario_dso),
        "change_days": _text(increase),
        "delayed_customers": affected.height,
        "delayed_sales": money_text(int(affected["credit_sales"].sum()), inputs.company),
        "extra_receivables": money_text(int(extra["extra_minor"].sum()), inputs.company),
    }


def _forecast_section(
    predictions: pl.DataFrame | None, shocks: pl.DataFrame, inputs: ScenarioInputs, weeks: int
) -> dict[str, Any]:
    if predictions is None:
        return {"weeks": [], "note": "no predictions of the open items were available"}
    shifted = predictions.join(shocks.select("customer_id", "delay_days"), on="customer_id", how="left")
    shifted = shifted.with_columns(
        (pl.col("predicted_pay_date") + pl.duration(days=pl.col("delay_days").fill_null(0))).alias(
            "predicted_pay_date"
        )
    ).drop("delay_days")
    base = weekly_forecast(predictions, inputs.as_of, weeks)
    shocked = weekly_forecast(shifted, inputs.as_of, weeks)
    company = inputs.company
    rows = []
    for before, after in zip(base.iter_rows(named=True), shocked.iter_rows(named=True), strict=True):
        rows.append(
            {
                "week_start": _day(before.get("week_start")),
                "week_end": _day(before.get("week_end")),
                "baseline_expected": money_text(before["expected_minor"], company),
                "scenario_expected": money_text(after["expected_minor"], company),
                "scenario_low": money_text(after["low_minor"], company),
                "scenario_high": money_text(after["high_minor"], company),
                "change": money_text(after["expected_minor"] - before["expected_minor"], company),
            }
        )
    return {"weeks": rows, "note": None}


def _ecl_section(base: ProvisionResult, shocked: ProvisionResult, attributes: pl.DataFrame) -> dict[str, Any]:
    company = base.inputs.company
    changes = (
        base.customers.select("customer_id", pl.col("allowance").alias("before"))
        .join(shocked.customers.select("customer_id", pl.col("allowance").alias("after")), on="customer_id")
        .with_columns((pl.col("after") - pl.col("before")).alias("change"))
        .filter(pl.col("change") != 0)
        .join(attributes.select("customer_id", "customer_code", "name"), on="customer_id", how="left")
        .sort(["change", "customer_code"], descending=[True, False])
    )
    return {
        "baseline_allowance": money_text(base.allowance_minor, company),
        "scenario_allowance": money_text(shocked.allowance_minor, company),
        "change": money_text(shocked.allowance_minor - base.allowance_minor, company),
        "open": money_text(base.open_minor, company),
        "method": base.to_dict(top=0)["method"],
        "largest_changes": [
            {"customer_code": row["customer_code"], "name": row["name"],
             "baseline_allowance": money_text(row["before"], company),
             "scenario_allowance": money_text(row["after"], company)}
            for row in changes.head(10).iter_rows(named=True)
        ],
    }  # fmt: skip


def scenario_limits(
    limits: pl.DataFrame, customers: pl.DataFrame, extra: pl.DataFrame, attributes: pl.DataFrame
) -> pl.DataFrame:
    """Return each customer with a limit: limit_minor, exposure_minor, scenario_exposure, suggested_limit."""
    return (
        limits.filter(pl.col("limit_minor").is_not_null())
        .join(customers.select("customer_id", "factor_ppm", "delay_days"), on="customer_id", how="left")
        .join(extra, on="customer_id", how="left")
        .with_columns(
            pl.col("factor_ppm").fill_null(PPM),
            (pl.col("exposure_minor") + pl.col("extra_minor").fill_null(0)).alias("scenario_exposure"),
        )
        .with_columns(
            pl.when(pl.col("factor_ppm") > PPM)
            .then(limit_for_factor(pl.col("limit_minor"), pl.col("factor_ppm")))
            .otherwise(pl.col("limit_minor"))
            .alias("suggested_limit")
        )
        .join(attributes.select("customer_id", "customer_code", "name"), on="customer_id", how="left")
    )


def _limits_section(frame: pl.DataFrame, company: Currency) -> dict[str, Any]:
    if frame.is_empty():
        return {
            "customers_with_limit": 0,
            "note": "no credit limits are stored; run 'receivables credit review'",
        }
    over_before = frame.filter(pl.col("exposure_minor") > pl.col("limit_minor")).height
    over_after = frame.filter(pl.col("scenario_exposure") > pl.col("suggested_limit")).height
    changed = frame.filter(
        (pl.col("suggested_limit") != pl.col("limit_minor"))
        | (pl.col("scenario_exposure") != pl.col("exposure_minor"))
    ).sort("customer_code")
    return {
        "customers_with_limit": frame.height,
        "over_limit_before": over_before,
        "over_limit_after": over_after,
        "limits_total": money_text(int(frame["limit_minor"].sum()), company),
        "suggested_limits_total": money_text(int(frame["suggested_limit"].sum()), company),
        "customers": [
            {"customer_code": row["customer_code"], "name": row["name"],
             "limit": money_text(row["limit_minor"], company),
             "suggested_limit": money_text(row["suggested_limit"], company),
             "exposure": money_text(row["exposure_minor"], company),
             "scenario_exposure": money_text(row["scenario_exposure"], company)}
            for row in changed.iter_rows(named=True)
        ],
        "note": None,
    }  # fmt: skip


def _interest_section(
    baseline: Baseline, extra: pl.DataFrame, scenario: Scenario, company: Currency
) -> dict[str, Any]:
    rate = scenario.cost_of_capital_percent
    shocked_rate = rate + scenario.interest_points
    receivables = baseline.open_minor
    shocked = receivables + int(extra["extra_minor"].sum())
    before = yearly_financing_minor(receivables, rate)
    after = yearly_financing_minor(shocked, shocked_rate)
    daily_sales = Decimal(baseline.sales_minor) / baseline.report.figures.period_days
    return {
        "cost_of_capital_percent": format(rate, "f"),
        "scenario_cost_of_capital_percent": format(shocked_rate, "f"),
        "receivables": money_text(receivables, company),
        "scenario_receivables": money_text(shocked, company),
        "yearly_financing_cost": money_text(before, company),
        "scenario_yearly_financing_cost": money_text(after, company),
        "change": money_text(after - before, company),
        "yearly_cost_of_one_dso_day": money_text(
            int((daily_sales * shocked_rate / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)), company
        ),
    }


def _text(value: Decimal | None) -> str | None:
    rounded = round_figure(value)
    return None if rounded is None else format(rounded, "f")


def _day(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, date) else None
