"""Each customer's payment history, as the discount simulator reads it from the ledger.

C1: INV-1 2024-01-10 1,000.00 paid 2024-01-18 (8 days, within 10)
    INV-2 2024-02-01 3,000.00 paid 2024-03-12 (40 days)
    INV-3 2024-06-01   500.00 still open
history of 365 days to 2024-06-30: sales 4,500.00; days to pay (1,000 x 8 + 3,000 x 40)
/ 4,000 = 32; early share 1,000 / 4,000 = 0.25, paid early in 8 days
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from receivables.analytics import load_ledger
from receivables.analytics.payment_history import payment_history
from receivables.domain.money import Currency

CUSTOMERS = "customer_code,name\nC1,Acme GmbH\nC2,Brick GmbH\n"
DOCUMENTS = """
    kind,number,customer_code,document_date,due_date,currency,amount
    invoice,INV-1,C1,2024-01-10,2024-02-09,EUR,1000.00
    invoice,INV-2,C1,2024-02-01,2024-03-02,EUR,3000.00
    invoice,INV-3,C1,2024-06-01,2024-07-01,EUR,500.00
    invoice,INV-4,C2,2024-06-01,2024-07-01,EUR,700.00
    payment,PAY-1,C1,2024-01-18,,EUR,1000.00
    payment,PAY-2,C1,2024-03-12,,EUR,3000.00
"""
ALLOCATIONS = """
    source_kind,source_number,target_kind,target_number,allocation_date,amount,currency
    payment,PAY-1,invoice,INV-1,2024-01-18,1000.00,EUR
    payment,PAY-2,invoice,INV-2,2024-03-12,3000.00,EUR
"""
EUR = Currency.of("EUR")


def test_history_of_customer(engine, import_ledger):
    import_ledger(CUSTOMERS, DOCUMENTS, ALLOCATIONS)

    [summary] = payment_history(load_ledger(engine), date(2024, 6, 30), EUR, discount_days=10)

    assert summary.customer_code == "C1"
    assert summary.annual_sales == Decimal("4500.00")
    assert summary.average_days_to_pay == Decimal(32)
    assert summary.early_share == Decimal("0.25")
    assert summary.average_days_early == Decimal(8)


def test_short_history_scales_sales_to_year(engine, import_ledger):
    import_ledger(CUSTOMERS, DOCUMENTS, ALLOCATIONS)

    [summary] = payment_history(
        load_ledger(engine), date(2024, 3, 31), EUR, discount_days=10, days=91
    )

    assert summary.annual_sales == Decimal("4000.00") * 365 / 91
    assert summary.average_days_to_pay == Decimal(32)


def test_customer_without_settled_items_left_out(engine, import_ledger):
    import_ledger(CUSTOMERS, DOCUMENTS, ALLOCATIONS)

    summaries = payment_history(
        load_ledger(engine), date(2024, 6, 30), EUR, discount_days=10, customers=["C2"]
    )

    assert summaries == []
