"""Imports of statements, bureau records and sales figures: bad rows are named, good rows kept."""

from datetime import date

import polars as pl
import pytest

from receivables.credit.evaluation import evaluate_customer
from receivables.credit.imports import import_credit_files
from receivables.credit.reading import CreditFileError
from receivables.credit.sales_ratio import load_sales_figures
from receivables.domain.credit.altman import Zone
from receivables.domain.money import Currency
from receivables.storage.frames import read_frame

EUR = Currency.of("EUR")
HEADER = (
    "customer_code,fiscal_year,currency,current_assets,current_liabilities,cash,inventory,total_assets,"
    "total_liabilities,equity,retained_earnings,sales,ebit,net_income,interest_expense\n"
)
STATEMENTS = HEADER + (
    "K1,2024,EUR,400000,250000,50000,150000,1000000,600000,400000,300000,1500000,120000,80000,20000\n"
    "K1,2022,EUR,380000,240000,40000,140000,950000,580000,370000,270000,1400000,110000,70000,20000\n"
    "K2,2024,EUR,0,10,0,0,0,10,-10,0,100,10,5,1\n"
    "K2,2023,EUR,100,,10,20,200,100,100,50,300,20,10,2.555\n"
    "K9,2024,EUR,1,1,1,1,1,1,0,0,1,1,1,1\n"
)
BUREAU = """
    customer_code,provider,record_date,score,rating,event,event_amount,currency,note
    K1,generic,2025-05-01,72,,,,,
    K1,generic,2025-03-01,,,payment_default,1200.00,EUR,unpaid supplier invoice
    K2,index600,2025-04-01,250,,,,,
    K2,generic,2025-04-02,,BB,,,,
    NOT-OURS,generic,2025-04-02,50,,,,,
    K1,unknown,2025-04-02,50,,,,,
    K2,index600,2025-04-03,700,,,,,
    K2,generic,2025-04-04,,,,,,
"""


def run(engine, settings, *paths):
    return import_credit_files(engine, list(paths), settings, EUR)


def test_bad_statement_rows_named(ledger, write_file, credit_settings):
    report = run(ledger, credit_settings, write_file("statements.csv", STATEMENTS))[0]
    found = {(p.row, p.column): p.reason for p in report.problems}

    assert report.rows_written == 2
    assert (
        found[(4, "total_assets")]
        == "must be positive: every Altman component divides by total assets"
    )
    assert found[(5, "current_liabilities")] == "is missing; every statement item is required"
    assert found[(5, "interest_expense")] == "has more decimals than the currency allows (2)"
    assert found[(6, "customer_code")] == "is not a known customer; import the customer first"


def test_statements_import_twice_same(ledger, write_file, credit_settings):
    path = write_file("statements.csv", STATEMENTS)
    run(ledger, credit_settings, path)
    run(ledger, credit_settings, path)

    rows = read_frame(
        ledger,
        "SELECT customer_id, fiscal_year FROM financial_statements",
        {"customer_id": pl.Int64(), "fiscal_year": pl.Int64()},
    )

    assert rows.height == 2


def test_missing_year_evaluated(ledger, write_file, credit_settings):
    run(ledger, credit_settings, write_file("statements.csv", STATEMENTS))

    with ledger.connect() as connection:
        evaluation = evaluate_customer(connection, "K1", date(2025, 6, 30), EUR, credit_settings)

    assert evaluation.financial is not None
    assert evaluation.financial.altman.zone is Zone.GREY  # Z' 2.51: K1 is in manufacturing
    assert "no statement for 2023: the trend compares with 2022" in evaluation.financial.notes


def test_bureau_unknown_customers_listed(ledger, write_file, credit_settings):
    report = run(ledger, credit_settings, write_file("bureau.csv", BUREAU))[0]
    found = {(p.row, p.column): p.reason for p in report.problems}

    assert report.rows_written == 4  # three reports and one event
    assert found[(6, "customer_code")] == "is not a known customer; the row is left out"
    assert found[(7, "provider")].startswith("is not a configured bureau provider")
    assert found[(8, "score")] == "lies outside the provider's scale"
    assert found[(9, "event")] == "the row has no score, rating or event"


def test_bureau_score_in_evaluation(ledger, write_file, credit_settings):
    run(ledger, credit_settings, write_file("bureau.csv", BUREAU))

    with ledger.connect() as connection:
        evaluation = evaluate_customer(connection, "K2", date(2025, 6, 30), EUR, credit_settings)

    # The latest report is the generic BB rating of 2025-04-02: 55.
    assert str(evaluation.bureau.score) == "55"


def test_unknown_header_rejected(ledger, write_file, credit_settings):
    with pytest.raises(CreditFileError, match="fits no credit record type"):
        run(ledger, credit_settings, write_file("odd.csv", "a,b\n1,2\n"))


def test_sales_figures_need_one_amount(ledger, write_file, credit_settings):
    text = (
        "month,segment,currency,cash_sales,total_sales\n"
        "2025-05,,EUR,100.00,\n2025-06,,EUR,1,2\n2025-06,x,USD,1,\n"
    )
    report = run(ledger, credit_settings, write_file("sales.csv", text))[0]
    found = {(p.row, p.column) for p in report.problems}

    assert report.rows_written == 1
    assert (3, "cash_sales") in found
    assert (4, "currency") in found
    assert load_sales_figures(ledger)["cash_sales_minor"].to_list() == [10000]
