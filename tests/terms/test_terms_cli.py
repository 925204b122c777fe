"""The ``receivables terms`` commands, run as a user would."""

import json

from typer.testing import CliRunner

from receivables.cli.main import app

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, ["terms", *args])


def test_schedule_json_with_holiday():
    result = run(
        "schedule", "50% 2/10 net30, net60", "--invoice-date", "2024-11-25", "--amount", "1190.00",
        "--tax", "190.00", "--currency", "EUR", "--calendar", "DE", "--format", "json",
    )  # fmt: skip
    schedule = json.loads(result.stdout)

    assert result.exit_code == 0
    assert schedule["term"] == "50% 2/10 net30, net60 @DE-following"
    assert [i["due_date"] for i in schedule["instalments"]] == ["2024-12-27", "2025-01-24"]
    assert [i["amount"] for i in schedule["instalments"]] == ["595.00", "595.00"]
    assert schedule["instalments"][0]["discounts"][0]["amount"] == "11.90"


def test_schedule_table_output():
    result = run("schedule", "2/10 net30", "--invoice-date", "2024-01-31", "--amount", "100",
                 "--currency", "EUR")  # fmt: skip

    assert result.exit_code == 0
    assert "2024-03-01" in result.stdout
    assert "2% by 2024-02-10" in result.stdout


def test_schedule_net_discount_base():
    result = run(
        "schedule", "2/10 net30", "--invoice-date", "2024-03-15", "--amount", "119.00", "--tax",
        "19.00", "--currency", "EUR", "--discount-base", "net", "--format", "json",
    )  # fmt: skip
    offer = json.loads(result.stdout)["instalments"][0]["discounts"][0]

    assert offer["amount"] == "2.00"
    assert offer["tax"] == "0.00"


def test_unknown_term_text_fails_clearly():
    result = run("schedule", "nett30", "--invoice-date", "2024-01-01", "--amount", "1",
                 "--currency", "EUR")  # fmt: skip

    assert result.exit_code == 2
    assert "unknown due rule 'nett30'" in result.stderr


def test_percentages_not_100_fail():
    result = run("schedule", "50%net30,40%net60", "--invoice-date", "2024-01-01", "--amount", "1",
                 "--currency", "EUR")  # fmt: skip

    assert result.exit_code == 2
    assert "add up to 90%, not 100%" in result.stderr


def test_bad_date_fails_clearly():
    result = run("schedule", "net30", "--invoice-date", "2024-02-30", "--amount", "1",
                 "--currency", "EUR")  # fmt: skip

    assert result.exit_code == 2
    assert "is not a date" in result.stderr


def test_fixed_amounts_above_total_fail():
    result = run("schedule", "500 net0, net30", "--invoice-date", "2024-01-01", "--amount", "300",
                 "--currency", "EUR")  # fmt: skip

    assert result.exit_code == 2
    assert "more than the invoice total" in result.stderr


def test_cost_json():
    result = run("cost", "2/10 net30", "--format", "json")
    costs = json.loads(result.stdout)["costs"]

    assert result.exit_code == 0
    assert costs[0]["simple_percent"] == "37.24"
    assert costs[0]["compound_percent"] == "44.59"


def test_cost_without_discount_fails():
    result = run("cost", "net30")

    assert result.exit_code == 2
    assert "offers no discount" in result.stderr


def test_contract_interest_two_payments():
    result = run(
        "interest", "--due-date", "2024-03-31", "--amount", "10000.00", "--currency", "EUR",
        "--from", "2024-04-01", "--to", "2024-06-30", "--payment", "2024-04-30=3000.00",
        "--payment", "2024-05-31=2000.00", "--rate", "9", "--day-count", "ACT/360",
        "--format", "json",
    )  # fmt: skip
    interest = json.loads(result.stdout)

    assert result.exit_code == 0
    assert [row["interest"] for row in interest["rows"]] == ["75.00", "54.25", "37.50"]
    assert interest["interest"] == "166.75"
    assert interest["compensation"] is None


def test_uk_interest_with_fixed_sum():
    result = run(
        "interest", "--due-date", "2024-05-31", "--amount", "5000.00", "--currency", "GBP",
        "--from", "2024-06-01", "--to", "2024-12-31", "--regime", "uk", "--format", "json",
    )  # fmt: skip
    interest = json.loads(result.stdout)

    assert interest["interest"] == "388.42"
    assert interest["compensation"] == "70.00"


def test_interest_below_minimum_marked():
    result = run(
        "interest", "--due-date", "2024-03-31", "--amount", "100.00", "--currency", "EUR",
        "--from", "2024-04-01", "--to", "2024-04-30", "--rate", "9", "--minimum", "5.00",
    )  # fmt: skip

    assert result.exit_code == 0
    assert "below the minimum: waived" in result.stdout


def test_contract_interest_needs_rate():
    result = run("interest", "--due-date", "2024-03-31", "--amount", "100", "--currency", "EUR",
                 "--from", "2024-04-01", "--to", "2024-04-30")  # fmt: skip

    assert result.exit_code == 2
    assert "needs --rate" in result.stderr


def test_bad_payment_option_fails():
    result = run("interest", "--due-date", "2024-03-31", "--amount", "100", "--currency", "EUR",
                 "--from", "2024-04-01", "--to", "2024-04-30", "--rate", "9",
                 "--payment", "2024-04-10:50")  # fmt: skip

    assert result.exit_code == 2
    assert "must be DATE=AMOUNT" in result.stderr


def test_unverified_rate_period_fails(tmp_path):
    rates = tmp_path / "rates.toml"
    rates.write_text(
        '[tables.ecb_mro]\nname = "ECB"\nsource = "test copy"\nverified_through = 2024-06-30\n'
        'changes = [{ from = 2024-01-01, rate = "4.50" }]\n'
    )
    result = run(
        "interest", "--due-date", "2024-05-31", "--amount", "100", "--currency", "EUR",
        "--from", "2024-06-01", "--to", "2024-07-31", "--regime", "eu", "--rates-file", str(rates),
    )  # fmt: skip

    assert result.exit_code == 2
    assert "verified only through 2024-06-30" in result.stderr


def test_rates_file_missing_fails(tmp_path):
    result = run("rates", "--rates-file", str(tmp_path / "none.toml"))

    assert result.exit_code == 2
    assert "cannot be read" in result.stderr


def test_rates_lists_tables_and_regimes():
    result = run("rates", "--format", "json")
    data = json.loads(result.stdout)

    assert result.exit_code == 0
    assert [table["code"] for table in data["tables"]] == [
        "ecb_mro",
        "boe_bank_rate",
        "de_basiszinssatz",
    ]
    assert {regime["code"] for regime in data["regimes"]} == {"eu", "uk", "de", "fr"}
