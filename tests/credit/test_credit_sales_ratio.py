"""The credit-sales ratio of the test ledger by month and segment.

Credit sales of May 2025: K1 (wholesale) INV-2 5,000.00. June 2025: K1 INV-3 3,000.00 less
CN-1 500.00 and CN-2 1,000.00, that is 1,500.00.
"""

from datetime import date
from decimal import Decimal

import pytest

from receivables.credit.imports import import_credit_files
from receivables.credit.sales_ratio import credit_sales_ratio, load_sales_figures
from receivables.domain.money import Currency
from receivables.storage.frames import load_customers, load_documents

EUR = Currency.of("EUR")
FIGURES = """
    month,segment,currency,cash_sales,total_sales
    2025-05,,EUR,5000.00,
    2025-06,,EUR,,1000.00
    2025-06,wholesale,EUR,500.00,
"""


@pytest.fixture
def rows(ledger, write_file, credit_settings):
    import_credit_files(ledger, [write_file("sales.csv", FIGURES)], credit_settings, EUR)
    ratio = credit_sales_ratio(
        load_documents(ledger),
        load_customers(ledger),
        load_sales_figures(ledger),
        start=date(2025, 5, 1),
        end=date(2025, 6, 30),
        company=EUR,
        ceiling_percent=Decimal(60),
    )
    return {(row["month"], row["segment"]): row for row in ratio.to_dicts()}


def test_cash_figure_adds_to_credit(rows):
    # 5,000 credit + 5,000 cash: 50 %, under the ceiling of 60 %.
    may = rows[("2025-05", "all")]

    assert may["total_sales"] == "10000.00"
    assert may["ratio_percent"] == "50.00"
    assert not may["over_ceiling"]


def test_segment_over_ceiling(rows):
    # Wholesale in June: 1,500 credit + 500 cash = 2,000; 75 % is over 60 %.
    june = rows[("2025-06", "wholesale")]

    assert june["ratio_percent"] == "75.00"
    assert june["over_ceiling"]


def test_total_below_credit_flagged(rows):
    june = rows[("2025-06", "all")]

    assert june["cash_sales"] == "-500.00"
    assert june["note"] == "total sales figure is below the credit sales in the ledger"


def test_month_without_figure_unknown(rows):
    retail = rows[("2025-05", "wholesale")]

    assert retail["ratio_percent"] is None
    assert retail["note"] == "no cash or total sales figure for this month"
