"""The provision matrix of the small ledger (see conftest), every figure computed by hand.

History, loss-rate method, snapshots 2025-10-31 and 2025-11-30, horizon 1 month:

    retail current: A-2 500 (paid) + A-5 250 (open)                         -> 0 / 750 = 0 %
    retail 1-30:  A-1 1,000 (600 written off by 2025-11-30) + A-2 500 (paid) -> 600 / 1,500 = 40 %
    retail 91+:   A-4 300 (all written off) + A-6 90 (still open)          -> 300 / 390 = 76.9231 %
    wholesale:    only current history (B-1 2,000, B-2 1,000), no loss     -> 0 %
    wholesale 1-30 has no history of its own: it takes the pooled 1-30 rate, 40 %.

Open on 2025-12-31 and its allowance:

    A-3   800.00 retail current   0 %        ->   0.00
    A-5   250.00 retail 1-30     40 %        -> 100.00
    A-6    90.00 retail 91+      76.9231 %   ->  69.23  (90 * 0.769231 = 69.23079)
    B-2 1,000.00 wholesale 1-30  40 % pooled -> 400.00
    total 2,140.00, allowance 569.23
"""

import json

import pytest

HISTORY = ("--as-of", "2025-12-31", "--lookback-months", "3", "--horizon-months", "1")


def ecl(run, *options):
    result = run("ecl", *HISTORY, "--format", "json", *options)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def cell(values, segment, bucket):
    return next(c for c in values["matrix"] if c["segment"] == segment and c["bucket"] == bucket)


def customer(values, code):
    return next(c for c in values["customers"] if c["customer_code"] == code)


def test_matrix_snapshots_and_method(run):
    method = ecl(run)["method"]

    assert method["rates"] == "loss_rate"
    assert method["snapshots"] == 2
    assert method["first_snapshot"] == "2025-10-31"
    assert method["last_snapshot"] == "2025-11-30"
    assert method["forward_looking_factor"] == "1"


@pytest.mark.parametrize(
    ("segment", "bucket", "exposure", "loss", "rate", "source"),
    [
        ("retail", "current", "750.00", "0.00", "0.0000", "segment"),
        ("retail", "1-30", "1500.00", "600.00", "40.0000", "segment"),
        ("retail", "31-60", "400.00", "0.00", "0.0000", "segment"),
        ("retail", "61-90", "90.00", "0.00", "0.0000", "segment"),
        ("retail", "91+", "390.00", "300.00", "76.9231", "segment"),
        ("wholesale", "current", "3000.00", "0.00", "0.0000", "segment"),
        ("wholesale", "1-30", "0.00", "0.00", "40.0000", "pooled"),
        ("all", "1-30", "1500.00", "600.00", "40.0000", "pooled"),
        ("all", "91+", "390.00", "300.00", "76.9231", "pooled"),
    ],
)
def test_matrix_cell_by_hand(run, segment, bucket, exposure, loss, rate, source):
    values = cell(ecl(run), segment, bucket)

    assert values["observed_exposure"] == exposure
    assert values["observed_loss"] == loss
    assert values["historical_rate_percent"] == rate
    assert values["rate_source"] == source


def test_allowance_per_customer_and_total(run):
    values = ecl(run)

    assert customer(values, "A")["allowance"] == "169.23"
    assert customer(values, "B")["allowance"] == "400.00"
    assert values["total"]["open"] == "2140.00"
    assert values["total"]["allowance"] == "569.23"
    assert values["total"]["coverage_percent"] == "26.5995"


def test_forward_looking_factor_caps_at_whole(run):
    """Factor 1.25: 40 % becomes 50 %, 76.9231 % becomes 96.1539 % (half-up), 100 % stays capped.

    A-5 125.00, A-6 90 * 0.961539 = 86.54, B-2 500.00: total 711.54.
    """
    values = ecl(run, "--adjustment", "1.25", "--adjustment-reason", "construction slowdown")

    assert cell(values, "retail", "91+")["applied_rate_percent"] == "96.1539"
    assert values["method"]["forward_looking_reason"] == "construction slowdown"
    assert values["total"]["allowance"] == "711.54"


def test_roll_rates_chain_to_last_bucket(run):
    """Retail rolls: 61-90 -> 91+ all 90 of 90 still open, so 61-90 loses 1 * 76.9231 %; 31-60
    rolled nothing (A-1 was paid), so 31-60 and every bucket before it lose 0."""
    values = ecl(run, "--method", "roll_rate")

    assert cell(values, "retail", "61-90")["historical_rate_percent"] == "76.9231"
    assert cell(values, "retail", "31-60")["historical_rate_percent"] == "0.0000"
    assert cell(values, "retail", "1-30")["historical_rate_percent"] == "0.0000"


def test_segment_by_none_pools_all(run):
    values = ecl(run, "--segment-by", "none")

    assert [c["segment"] for c in values["matrix"]] == ["all"] * 5
    assert cell(values, "all", "1-30")["allowance"] == "500.00"
    assert values["total"]["allowance"] == "569.23"


def test_segment_by_country(run):
    values = ecl(run, "--segment-by", "country")

    assert {c["segment"] for c in values["matrix"]} == {"all", "DE", "FR"}
    assert values["total"]["allowance"] == "569.23"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (("--adjustment", "-1"), "--adjustment '-1' must be a number of zero or more"),
        (("--adjustment", "much"), "--adjustment 'much' is not a number"),
        (("--horizon-months", "3"), "must be longer than the loss horizon"),
        (("--buckets", "30,10"), "must be strictly increasing"),
        (("--minimum-exposure", "ten"), "--minimum-exposure 'ten' is not an amount"),
    ],
)
def test_ecl_rejects_bad_options(run, options, message):
    result = run("ecl", *HISTORY, *options)

    assert result.exit_code == 2
    assert message in " ".join(result.output.split())


def test_short_history_explains_zero_rates(run):
    """With the default horizon of 12 months no month-end before 2024-12-31 has a document."""
    result = run("ecl", "--as-of", "2025-12-31", "--format", "json")
    values = json.loads(result.stdout)

    assert values["method"]["snapshots"] == 0
    assert "no month-end snapshot" in values["method"]["note"]
    assert values["total"]["allowance"] == "0.00"


def test_history_with_losses_has_no_note(run):
    assert ecl(run)["method"]["note"] is None
