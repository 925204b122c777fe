"""``receivables predict`` and ``forecast`` on the IBM sample, through the Typer runner.

The open items of an as-of date are recomputed from the CSV itself: every row is an invoice paid
in full on SettledDate, so it is open at the end of a day when InvoiceDate <= day < SettledDate.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import Result

IBM_SAMPLE = Path(__file__).parents[1] / "data" / "import" / "ibm-ar.csv"

AS_OF = date(2013, 6, 30)


def _us_date(text: str) -> date:
    return datetime.strptime(text, "%m/%d/%Y").date()


def _open_in_sample(day: date) -> dict[str, Decimal]:
    """Invoice number -> amount of every sample invoice open at the end of ``day``."""
    with IBM_SAMPLE.open(encoding="utf-8") as stream:
        return {
            row["invoiceNumber"]: Decimal(row["InvoiceAmount"])
            for row in csv.DictReader(stream)
            if _us_date(row["InvoiceDate"]) <= day < _us_date(row["SettledDate"])
        }


def _json(result: Result) -> dict:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_predict_lists_every_open_item(ibm_ledger: Callable[..., Result]) -> None:
    payload = _json(
        ibm_ledger("predict", "--as-of", AS_OF.isoformat(), "--no-validation", "--format", "json")
    )
    expected = _open_in_sample(AS_OF)
    items = payload["items"]
    assert payload["currency"] == "USD"
    assert payload["fallback_reason"] is None
    assert len(items) == len(expected)
    assert sum(Decimal(item["open_amount"]) for item in items) == sum(expected.values())
    assert {item["method"] for item in items} == {"model"}


def test_predictions_are_after_the_as_of_date(ibm_ledger: Callable[..., Result]) -> None:
    payload = _json(
        ibm_ledger("predict", "--as-of", AS_OF.isoformat(), "--no-validation", "--format", "json")
    )
    for item in payload["items"]:
        assert date.fromisoformat(item["predicted_pay_date"]) > AS_OF
        assert 0.0 <= item["p_late"] <= 1.0
        assert len(item["factors"]) == 3
        pay_date = date.fromisoformat(item["predicted_pay_date"])
        assert (pay_date - date.fromisoformat(item["due_date"])).days == item["predicted_days_late"]


def test_too_little_history_uses_baselines(small_ibm_ledger: Callable[..., Result]) -> None:
    result = small_ibm_ledger("predict", "--as-of", "2013-06-30", "--format", "json")
    payload = _json(result)
    assert "only" in result.stderr
    assert "training needs at least 200: predictions use the baselines instead" in result.stderr
    assert payload["fallback_reason"].startswith("only ")
    assert payload["items"]
    assert {item["method"] for item in payload["items"]} <= {"baseline_customer_average", "baseline_due_date"}
    assert payload["validation"]["skipped_reason"]


def test_model_beats_both_baselines(ibm_sqlite: Callable[..., Result]) -> None:
    payload = _json(ibm_sqlite("predict", "--as-of", "2014-01-09", "--format", "json"))
    scores = {(s["row_kind"], s["method"]): s for s in payload["validation"]["scores"]}
    model = scores[("issue", "model")]
    for baseline in ("baseline_customer_average", "baseline_due_date"):
        assert model["mae_days"] < scores[("issue", baseline)]["mae_days"]
        assert model["accuracy"] > scores[("issue", baseline)]["accuracy"]
        assert model["auc"] > scores[("issue", baseline)]["auc"]
    assert [fold["test_start"] for fold in payload["validation"]["folds"]] == [
        "2013-07-01", "2013-08-01", "2013-09-01",
    ]  # fmt: skip


def test_forecast_weeks_add_up_to_open_total(ibm_sqlite: Callable[..., Result]) -> None:
    payload = _json(ibm_sqlite("forecast", "--as-of", AS_OF.isoformat(), "--weeks", "13", "--format", "json"))
    weeks = payload["weeks"]
    assert len(weeks) == 14
    assert weeks[-1]["period"] == "beyond"
    total = sum(Decimal(week["expected"]) for week in weeks)
    assert abs(total - Decimal(payload["open_total"])) <= Decimal("0.14")
    assert Decimal(payload["open_total"]) == sum(_open_in_sample(AS_OF).values())


def test_backtest_reports_its_error(ibm_sqlite: Callable[..., Result]) -> None:
    payload = _json(
        ibm_sqlite("forecast", "--backtest", "--as-of", "2013-12-31", "--origins", "2", "--format", "json")
    )
    assert payload["origins"] == ["2013-09-03", "2013-10-01"]
    scores = {score["method"]: score for score in payload["scores"]}
    assert scores["model"]["weeks"] == 26
    assert scores["model"]["wape"] is not None
    assert 0.0 <= scores["model"]["coverage"] <= 1.0
    assert scores["model"]["actual_minor"] == scores["baseline_due_date"]["actual_minor"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["forecast", "--weeks", "0"], "--weeks"),
        (["predict", "--as-of", "30.06.2013"], "is not a date"),
    ],
)
def test_invalid_options_exit_2(cli: Callable[..., Result], args: list[str], message: str) -> None:
    result = cli(*args)
    assert result.exit_code == 2
    assert message in result.output


def test_empty_database_exits_1(cli: Callable[..., Result]) -> None:
    result = cli("predict", "--as-of", "2013-06-30")
    assert result.exit_code == 1
    assert "no company currency is set" in result.stderr
