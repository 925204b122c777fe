"""The report counts the discount offers whose deadline fell in the period, and what was taken.

C1 (enterprise) and C2 (small business) pay on 2/10 net30; as of 2024-03-31, 90-day period
INV-1 C1 2024-03-01 1,000.00, deadline 03-11: paid 980.00 on 03-10   -> discount 20.00
INV-2 C1 2024-03-05   500.00, deadline 03-15: not paid yet            -> not taken
INV-3 C2 2024-03-10 1,000.00, deadline 03-20: paid 980.00 on 03-15   -> discount 20.00
INV-4 C3 2024-03-12   800.00, due date given, no offer                -> not eligible
take rate 2 / 3 = 66.67 %, cost 40.00; credit sales stay 3,300.00
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from receivables.analytics import build_report
from receivables.services.settlement import settle_invoice

CUSTOMERS = """
    customer_code,name,segment,payment_term
    C1,Acme GmbH,enterprise,2/10 net30
    C2,Brick GmbH,small business,2/10 net30
    C3,Clay GmbH,,
"""
DOCUMENTS = """
    kind,number,customer_code,document_date,due_date,currency,amount
    invoice,INV-1,C1,2024-03-01,,EUR,1000.00
    invoice,INV-2,C1,2024-03-05,,EUR,500.00
    invoice,INV-3,C2,2024-03-10,,EUR,1000.00
    invoice,INV-4,C3,2024-03-12,2024-04-11,EUR,800.00
    payment,PAY-1,C1,2024-03-10,,EUR,980.00
    payment,PAY-3,C2,2024-03-15,,EUR,980.00
"""


def _report(engine):
    settle_invoice(engine, "INV-1", "PAY-1")
    settle_invoice(engine, "INV-3", "PAY-3")
    return build_report(engine, as_of=date(2024, 3, 31), company_currency="EUR", trend=False)


def test_take_rate_and_cost(engine, import_ledger):
    import_ledger(CUSTOMERS, DOCUMENTS)

    discounts = _report(engine).discounts

    assert discounts is not None
    assert discounts.eligible == 3
    assert discounts.taken == 2
    assert discounts.take_rate == Decimal("66.67")
    assert discounts.cost == Decimal("40.00")


def test_figures_by_segment(engine, import_ledger):
    import_ledger(CUSTOMERS, DOCUMENTS)

    values = _report(engine).to_dict()["discounts"]["by_segment"]

    assert values == [
        {"segment": "enterprise", "eligible": 2, "taken": 1, "take_rate": "50.00", "cost": "20.00"},
        {"segment": "small business", "eligible": 1, "taken": 1, "take_rate": "100.00",
         "cost": "20.00"},
    ]  # fmt: skip


def test_discounts_leave_credit_sales(engine, import_ledger):
    import_ledger(CUSTOMERS, DOCUMENTS)

    report = _report(engine)

    assert report.figures.credit_sales == Decimal("3300.00")
    assert report.figures.total_open == Decimal("1300.00")


def test_customer_report_has_own_discounts(engine, import_ledger):
    import_ledger(CUSTOMERS, DOCUMENTS)
    settle_invoice(engine, "INV-1", "PAY-1")

    report = build_report(
        engine, as_of=date(2024, 3, 31), company_currency="EUR", customer_code="C2", trend=False
    )

    assert report.discounts is not None
    assert report.discounts.eligible == 1
    assert report.discounts.taken == 0
