"""A construction downturn on the small ledger (see conftest), every figure computed by hand.

Shocks: Construction (customer A) pays 30 days later, its default rates are multiplied by 1.5,
and interest rates rise 2 points from a cost of capital of 8 %.

Credit sales of the 90 days to 2025-12-31 (from 2025-10-03): A 500 + 800 + 250 = 1,550 and
B 1,000 (B-1 of 2025-10-01 is outside), together 2,550. Open: 2,140.

    DSO         2,140 / 2,550 * 90 = 75.53; up 1,550 * 30 / 2,550 = 18.24 -> 93.76
    extra AR    1,550 * 30 / 90 = 516.67
    ECL         A-3 800 ages to 30 days, 1-30 at 40 % * 1.5 = 60 %         -> 480.00
                A-5 250 ages to 51 days, 31-60 at 0 %                      ->   0.00
                A-6  90 ages to 152 days, 91+ at 76.9231 % * 1.5, capped   ->  90.00
                B-2 unchanged                                              -> 400.00
                970.00 against 569.23 before
    financing   2,140.00 * 8 % = 171.20 a year; (2,140.00 + 516.67) * 10 % = 265.66
"""

import json
import textwrap
import tomllib
from datetime import date
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from receivables.analytics import load_ledger
from receivables.domain.money import Currency
from receivables.domain.provisioning import HistoryWindow
from receivables.domain.scenarios import parse_scenario
from receivables.provisioning import ProvisionInputs, customer_attributes
from receivables.scenarios import read_scenario, run_scenario
from receivables.scenarios.effects import ScenarioInputs

DOWNTURN = """
    name = "Construction downturn"
    cost_of_capital_percent = 8
    forecast_weeks = 6

    [[shocks]]
    kind = "payment_delay"
    days = 30
    industry = "construction"

    [[shocks]]
    kind = "default_rate"
    factor = 1.5
    industry = ["Construction"]

    [[shocks]]
    kind = "interest_rate"
    points = 2
"""
HISTORY = ("--as-of", "2025-12-31", "--lookback-months", "3", "--horizon-months", "1")


@pytest.fixture
def downturn(write_file):
    return write_file("downturn.toml", DOWNTURN)


def scenario_json(run, path):
    result = run("scenario", str(path), *HISTORY, "--no-forecast", "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_scenario_dso(run, downturn):
    dso = scenario_json(run, downturn)["dso"]

    assert dso["credit_sales"] == "2550.00"
    assert dso["baseline_dso"] == "75.53"
    assert dso["change_days"] == "18.24"
    assert dso["scenario_dso"] == "93.76"
    assert dso["delayed_customers"] == 1
    assert dso["extra_receivables"] == "516.67"


def test_scenario_expected_credit_loss(run, downturn):
    ecl = scenario_json(run, downturn)["ecl"]

    assert ecl["baseline_allowance"] == "569.23"
    assert ecl["scenario_allowance"] == "970.00"
    assert ecl["change"] == "400.77"
    assert [row["customer_code"] for row in ecl["largest_changes"]] == ["A"]


def test_scenario_interest_and_responses(run, downturn):
    values = scenario_json(run, downturn)
    interest = values["interest"]
    measures = [row["measure"] for row in values["policy_responses"]]

    assert interest["yearly_financing_cost"] == "171.20"
    assert interest["scenario_yearly_financing_cost"] == "265.66"
    assert "Shorten the payment terms of industry construction by 30 days" in measures
    assert "Cut the credit limits of industry Construction to limit / 1.5" in measures
    assert values["credit_limits"]["customers_with_limit"] == 0


def test_scenario_moves_forecast_and_limits(ledger):
    """A-3 (800.00) predicted for 2026-01-05 moves 30 days to 2026-02-04, week 5; B-2 stays in
    week 1. A's limit of 1,200.00 becomes 1,200.00 / 1.5 = 800.00, and its exposure of 1,140.00
    grows by its extra receivables of 516.67 to 1,656.67, over the suggested limit."""
    company = Currency.of("EUR")
    attributes = customer_attributes(ledger)
    ids = dict(attributes.select("customer_code", "customer_id").iter_rows())
    predictions = pl.DataFrame(
        {
            "customer_id": [ids["A"], ids["B"]],
            "open_minor": [80000, 100000],
            "predicted_pay_date": [date(2026, 1, 5), date(2026, 1, 6)],
            "spread_days": [0.0, 0.0],
        }
    )
    limits = pl.DataFrame({"customer_id": [ids["A"]], "limit_minor": [120000], "exposure_minor": [114000]})
    provision = ProvisionInputs(date(2025, 12, 31), company, window=HistoryWindow(3, 1))
    scenario = parse_scenario(tomllib.loads(textwrap.dedent(DOWNTURN)), "downturn.toml")

    result = run_scenario(
        load_ledger(ledger, company), attributes, scenario, ScenarioInputs(provision), predictions, limits
    ).to_dict()
    weeks = result["forecast"]["weeks"]
    limit = result["credit_limits"]

    assert [week["baseline_expected"] for week in weeks[:5]] == ["1800.00", "0.00", "0.00", "0.00", "0.00"]
    assert [week["scenario_expected"] for week in weeks[:5]] == ["1000.00", "0.00", "0.00", "0.00", "800.00"]
    assert limit["suggested_limits_total"] == "800.00"
    assert limit["customers"][0]["scenario_exposure"] == "1656.67"
    assert limit["over_limit_before"] == 0
    assert limit["over_limit_after"] == 1


@pytest.mark.parametrize(
    ("text", "field", "message"),
    [
        ('name = "x"\nfoo = 1\n[[shocks]]\nkind = "interest_rate"\npoints = 1\n',
         "foo", "is not a known field"),
        ('name = "x"\n[[shocks]]\nkind = "payment_delay"\ndayz = 10\n',
         "shocks[1].dayz", "is not a known field"),
        ('name = "x"\n[[shocks]]\nkind = "interest_rate"\npoints = 1\nindustry = "Retail"\n',
         "shocks[1].industry", "is not a known field"),
        ('name = "x"\n[[shocks]]\nkind = "recession"\n', "shocks[1].kind", "'recession' is unknown"),
        ('name = "x"\n[[shocks]]\nkind = "payment_delay"\ndays = 2.5\n',
         "shocks[1].days", "2.5 must be whole days"),
        ('name = "x"\n[[shocks]]\nkind = "default_rate"\n', "shocks[1].factor", "is missing"),
        ('[[shocks]]\nkind = "interest_rate"\npoints = 1\n', "name", "is missing"),
        ('name = "x"\n', "shocks", "is missing"),
    ],
)  # fmt: skip
def test_scenario_rejects_bad_field(run, write_file, text, field, message):
    path = write_file("bad.toml", text)

    result = run("scenario", str(path), *HISTORY, "--no-forecast")
    output = " ".join(result.output.split())

    assert result.exit_code == 1
    assert f"{path}: field {field!r}: {message}" in output


def test_scenario_rejects_invalid_toml(run, write_file):
    path = write_file("broken.toml", 'name = "x\n')

    result = run("scenario", str(path), *HISTORY, "--no-forecast")

    assert result.exit_code == 1
    assert "is not valid TOML" in " ".join(result.output.split())


def test_scenario_rejects_missing_file(run, tmp_path):
    result = run("scenario", str(tmp_path / "none.toml"), *HISTORY, "--no-forecast")

    assert result.exit_code == 1
    assert "the file does not exist" in " ".join(result.output.split())


def test_documented_example_reads():
    path = Path(__file__).resolve().parents[2] / "docs" / "scenarios" / "construction-downturn.toml"

    scenario = read_scenario(path)
    kinds = [shock.kind.value for shock in scenario.shocks]

    assert kinds == ["payment_delay", "default_rate", "interest_rate"]
    assert scenario.shocks[0].selector.describe() == "industry Construction"


def test_scenario_forecast_keeps_total(run, downturn):
    """The prediction package falls back to its baselines on this small ledger; a delay moves cash
    between weeks and beyond the last one, so the expected totals stay equal."""
    result = run("scenario", str(downturn), *HISTORY, "--format", "json")
    weeks = json.loads(result.stdout)["forecast"]["weeks"]

    assert result.exit_code == 0, result.output
    assert len(weeks) == 7
    assert sum(Decimal(week["baseline_expected"]) for week in weeks) == sum(
        Decimal(week["scenario_expected"]) for week in weeks
    )
