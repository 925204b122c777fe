"""Risk classes and limits per customer for reports, and statements read from a workbook."""

from datetime import date

import openpyxl
from statements_book import SAMPLE

from receivables.credit.imports import import_credit_files
from receivables.credit.limits import approve_limit
from receivables.credit.review import run_review
from receivables.credit.summary import class_summary, credit_positions
from receivables.credit.users import add_user
from receivables.domain.money import Currency, Money

EUR = Currency.of("EUR")
AS_OF = date(2025, 6, 30)


def test_positions_show_class_and_limit(ledger, credit_settings):
    add_user(ledger, "ada", "admin", None)
    approve_limit(
        ledger, "K1", Money.of("10000.00", EUR), "start", "ada", AS_OF, EUR, credit_settings
    )
    run_review(ledger, AS_OF, EUR, credit_settings)

    k1 = credit_positions(ledger, AS_OF, EUR).row(0, named=True)

    assert k1["customer_code"] == "K1"
    assert k1["risk_class"] is not None
    assert k1["limit_minor"] == 1_000_000
    assert k1["exposure_minor"] == 650_000
    assert k1["available_minor"] == 350_000
    assert k1["usage_percent"] == 6500  # 65.00 %


def test_unreviewed_customers_unrated(ledger):
    summary = class_summary(credit_positions(ledger, AS_OF, EUR))

    assert summary.to_dicts() == [
        {
            "risk_class": "unrated",
            "customers": 3,
            "exposure_minor": 650_000,
            "with_limit": 0,
            "limit_minor": 0,
        }
    ]


def test_statements_from_workbook(ledger, tmp_path, credit_settings):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["customer_code", "fiscal_year", "currency", *SAMPLE])
    sheet.append(["K2", 2024, "GBP", *[int(value) for value in SAMPLE.values()]])
    path = tmp_path / "statements.xlsx"
    workbook.save(path)

    report = import_credit_files(ledger, [path], credit_settings, EUR)[0]

    assert report.problems == []
    assert report.rows_written == 1
