"""``receivables advise`` and the report's advice on the small ledger (see conftest).

Dunning notices, all approved, response window 14 days:

    N1 B level 1 email  2025-11-10  B-1 2,000.00  paid 2025-11-20 (10 days)  -> 2,000.00
    N2 A level 1 letter 2025-11-01  A-2   500.00  paid 2025-12-05 (34 days)  ->     0.00
    N3 A level 1 letter 2025-11-20  A-6    90.00  never paid                 ->     0.00
    N4 A level 2 email  2025-11-05  A-1 1,000.00  600.00 written off on 2025-11-15, no payment

Level 1: email 100 %, letter 0 % of 590.00, below half of email, so letters do not work. Sent by
email instead they would bring in 590.00, which is 590 / 2,550 * 90 = 20.82 days of DSO.
Level 2: a write-off is no response, so email 0 %, with no other channel to compare it with.
"""

import json
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import text

NOTICES = [
    (1, "B", 1, "reminder", "email", "2025-11-10", "B-1", 200000),
    (2, "A", 1, "reminder", "letter", "2025-11-01", "A-2", 50000),
    (3, "A", 1, "reminder", "letter", "2025-11-20", "A-6", 9000),
    (4, "A", 2, "second reminder", "email", "2025-11-05", "A-1", 100000),
]


@pytest.fixture
def dunned(ledger):
    with ledger.begin() as connection:
        for notice_id, customer, level, name, channel, day, number, open_minor in NOTICES:
            ids = {"customer": customer, "number": number}
            customer_id = connection.execute(
                text("SELECT id FROM customers WHERE code = :customer"), ids
            ).scalar()
            document_id = connection.execute(
                text("SELECT id FROM documents WHERE number = :number"), ids
            ).scalar()
            connection.execute(
                text(
                    "INSERT INTO dunning_notices (id, customer_id, level, level_name, policy, items_key, "
                    "notice_date, channel, template, language, status, currency, total_minor, fee_minor, "
                    "created_at) VALUES (:id, :customer_id, :level, :name, 'standard', :key, :day, :channel, "
                    "'reminder', 'en', 'approved', 'EUR', :open, 0, :created)"
                ),
                {"id": notice_id, "customer_id": customer_id, "level": level, "name": name,
                 "key": f"k{notice_id}", "day": date.fromisoformat(day), "channel": channel,
                 "open": open_minor, "created": datetime(2025, 11, 1, tzinfo=UTC)},
            )  # fmt: skip
            connection.execute(
                text(
                    "INSERT INTO dunning_notice_items (notice_id, document_id, open_minor, "
                    "open_company_minor, days_past_due) VALUES (:id, :document_id, :open, :open, 10)"
                ),
                {"id": notice_id, "document_id": document_id, "open": open_minor},
            )
    return ledger


def advise(run, *options):
    result = run("advise", "--as-of", "2025-12-31", "--format", "json", *options)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_dunning_response_rates(run, dunned):
    rates = {(row["level"], row["channel"]): row for row in advise(run)["dunning_response_rates"]}

    assert rates[(1, "email")]["response_rate_percent"] == "100.00"
    assert rates[(1, "letter")]["dunned"] == "590.00"
    assert rates[(1, "letter")]["response_rate_percent"] == "0.00"
    assert rates[(2, "email")]["response_rate_percent"] == "0.00"


def test_weak_channel_recommended(run, dunned):
    advice = advise(run)
    dunning = [item for item in advice["recommendations"] if item["kind"] == "dunning"]

    assert [item["measure"] for item in dunning] == ["Send level 1 (reminder) by email instead of letter"]
    assert dunning[0]["expected_effect"]["cash"] == "590.00"
    assert dunning[0]["expected_effect"]["dso_days"] == "20.82"
    assert "dunning" not in {gap["kind"] for gap in advice["not_computed"]}


def test_without_notices_dunning_not_computed(run):
    gaps = {gap["kind"]: gap["reason"] for gap in advise(run)["not_computed"]}

    assert "no approved dunning notices" in gaps["dunning"]


def test_report_html_shows_advice(run, tmp_path):
    output = tmp_path / "report.html"

    result = run("report", "--as-of", "2025-12-31", "--format", "html", "--output", str(output))
    html = output.read_text(encoding="utf-8")

    assert result.exit_code == 0, result.output
    assert "Recommendations as of 2025-12-31" in html
    assert "Expected credit loss as of 2025-12-31" in html
    assert "Not computed: invoicing lag" in html


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (("--cost-of-capital", "8"), "--cost-of-capital 8 must be a fraction from 0 to 1"),
        (("--take-up", "-0.5"), "--take-up '-0.5' must be a number of zero or more"),
        (("--discount-offer", "net30"), "must be one discount and a net period"),
        (("--as-of", "2025-13-01"), "--as-of '2025-13-01' is not a date"),
    ],
)
def test_advise_rejects_bad_options(run, options, message):
    result = run("advise", *options)

    assert result.exit_code != 0
    assert message in " ".join(result.output.split())


def test_advise_on_empty_ledger(engine, database_url):
    from typer.testing import CliRunner

    from receivables.cli.main import app
    from receivables.storage.database import set_setting

    set_setting(engine, "company_currency", "EUR")

    result = CliRunner().invoke(app, ["--database", database_url, "advise", "--as-of", "2025-12-31"])

    assert result.exit_code == 1
    assert "the ledger has no documents" in " ".join(result.output.split())


def test_delivered_orders_to_invoice(run, ledger):
    """A's order O-1 (300.00) was delivered and not invoiced; O-2 is open, not delivered, and O-3
    is dated after the as-of date, so only O-1 counts, waiting since 2025-12-20."""
    orders = [("O-1", "delivered", "2025-12-20", 30000), ("O-2", "open", "2025-12-22", 50000),
              ("O-3", "delivered", "2026-01-05", 70000)]  # fmt: skip
    with ledger.begin() as connection:
        customer_id = connection.execute(text("SELECT id FROM customers WHERE code = 'A'")).scalar()
        for number, stage, day, amount in orders:
            connection.execute(
                text(
                    "INSERT INTO customer_orders (customer_id, order_number, stage, order_date, currency, "
                    "amount_minor) VALUES (:customer_id, :number, :stage, :day, 'EUR', :amount)"
                ),
                {"customer_id": customer_id, "number": number, "stage": stage,
                 "day": date.fromisoformat(day), "amount": amount},
            )  # fmt: skip

    unbilled = [item for item in advise(run)["recommendations"] if item["kind"] == "unbilled_deliveries"]

    assert len(unbilled) == 1
    assert unbilled[0]["evidence"]["delivered_orders"] == 1
    assert unbilled[0]["evidence"]["days_since_oldest_order"] == 11
    assert unbilled[0]["expected_effect"]["cash"] == "300.00"
    assert unbilled[0]["customers"] == ["A"]
