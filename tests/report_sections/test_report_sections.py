"""Credit and cash application sections of the company report, computed from storage.

Ledger of ``sections_book``: ACME owes 1,650.50 and BOLT 500.00 on 2024-03-31; ACME has a
limit of 1,000.00 after the review, so it is over its limit.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from sections_book import AS_OF, EUR, import_and_match, import_sales, review_credit, seed_ledger

from receivables.config import Settings
from receivables.services.report_sections import build_sections


@pytest.fixture
def ledger(engine):
    seed_ledger(engine)
    return engine


def _sections(engine):
    return build_sections(engine, AS_OF, EUR, Settings(company_currency="EUR"))


def test_no_credit_or_bank_data(ledger):
    assert _sections(ledger) == {}


def test_credit_classes_after_review(ledger):
    review_credit(ledger)

    credit = _sections(ledger)["credit"]
    limited = [row for row in credit["classes"] if row["with_limit"] == 1]

    assert credit["reviewed_customers"] == 2
    assert sum(row["customers"] for row in credit["classes"]) == 2
    assert len(limited) == 1
    assert limited[0]["limit"] == "1000.00"
    assert limited[0]["over_limit"] == 1


def test_credit_exposure_adds_up(ledger):
    review_credit(ledger)

    classes = _sections(ledger)["credit"]["classes"]

    assert sum(Decimal(row["exposure"]) for row in classes) == Decimal("2150.50")


def test_credit_without_sales_figures(ledger):
    review_credit(ledger)

    credit = _sections(ledger)["credit"]

    assert credit["sales_ratio"] == []
    assert credit["sales_ratio_ceiling_percent"] == "70.00"


def test_sales_ratio_of_the_period(ledger, tmp_path: Path):
    import_sales(ledger, tmp_path)

    credit = _sections(ledger)["credit"]
    march = credit["sales_ratio"][0]

    assert credit["reviewed_customers"] == 0
    assert [row["risk_class"] for row in credit["classes"]] == ["unrated"]
    assert march["month"] == "2024-03"
    assert march["credit_sales"] == "2150.50"
    assert march["ratio_percent"] == "50.00"
    assert march["over_ceiling"] is False


def test_no_bank_lines_no_cash_section(ledger):
    review_credit(ledger)

    assert "cash_application" not in _sections(ledger)


def test_cash_application_counts(ledger, tmp_path: Path):
    import_and_match(ledger, tmp_path)

    cash = _sections(ledger)["cash_application"]

    assert cash["transactions"] == 3
    assert cash["auto_applied"] == 1
    assert cash["suggested"] == 1
    assert cash["unmatched"] == 1
    assert cash["applied_after_review"] == 0
    assert cash["ignored"] == 1
    assert cash["auto_applied_share"] == "33.33"


def test_cash_application_amounts(ledger, tmp_path: Path):
    import_and_match(ledger, tmp_path)

    amounts = _sections(ledger)["cash_application"]["amounts"]

    assert amounts == [
        {
            "currency": "EUR",
            "transactions": "1467.00",
            "auto_applied": "1000.00",
            "applied_after_review": "0.00",
            "suggested": "390.00",
            "unmatched": "77.00",
        }
    ]


def test_lines_booked_later_left_out(ledger, tmp_path: Path):
    import_and_match(ledger, tmp_path)

    sections = build_sections(ledger, AS_OF.replace(day=14), EUR, Settings(company_currency="EUR"))

    assert "cash_application" not in sections
