"""Settling a stored payment on an instalment posts the discount it earned, or leaves a residual.

INV-1 of 2024-03-15, 1,000.00 EUR on 2/10 net30: 2 % off until 2024-03-25, due 2024-04-14
INV-2 of 2024-03-15, 1,190.00 EUR incl. 190.00 VAT on 2/10 net30
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import text

from receivables.domain.money import Money
from receivables.services.instalments import SettlementError
from receivables.services.settlement import settle_invoice

CUSTOMERS = """
    customer_code,name,payment_term
    C1,Acme GmbH,2/10 net30
    C2,Brick GmbH,"30% net30, 30% net60, net90"
"""
HEADER = "kind,number,customer_code,document_date,due_date,currency,amount,tax_amount\n"
INVOICES = HEADER + (
    "invoice,INV-1,C1,2024-03-15,,EUR,1000.00,\n"
    "invoice,INV-2,C1,2024-03-15,,EUR,1190.00,190.00\n"
    "invoice,INV-3,C2,2024-01-15,,EUR,1000.00,\n"
)


def _payment(number: str, customer: str, day: str, amount: str) -> str:
    return HEADER + f"payment,{number},{customer},{day},,EUR,{amount},\n"


def _open_minor(engine, number: str, instalment: int = 1) -> int:
    with engine.connect() as connection:
        return int(
            connection.execute(
                text(
                    "SELECT d.amount_minor - COALESCE((SELECT SUM(a.amount_minor) FROM "
                    "allocations a WHERE a.target_document_id = d.id), 0) FROM documents d "
                    "WHERE d.kind = 'invoice' AND d.number = :number AND d.instalment = :i"
                ),
                {"number": number, "i": instalment},
            ).scalar_one()
        )


def _discount_documents(engine) -> list[tuple[str, int, int]]:
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT number, amount_minor, tax_minor FROM documents WHERE kind = 'discount' "
                "ORDER BY number"
            )
        ).all()
    return [tuple(row) for row in rows]


def test_payment_on_deadline_closes_invoice(engine, import_ledger):
    import_ledger(CUSTOMERS, INVOICES, _payment("PAY-1", "C1", "2024-03-25", "980.00"))

    outcome = settle_invoice(engine, "INV-1", "PAY-1")

    assert outcome.discount == Money.of("20.00", "EUR")
    assert outcome.applied == Money.of("980.00", "EUR")
    assert outcome.residual.amount == 0
    assert _open_minor(engine, "INV-1") == 0
    assert _discount_documents(engine) == [("DSC-PAY-1-INV-1-1", 2_000, 0)]


def test_deduction_after_deadline_leaves_residual(engine, import_ledger):
    import_ledger(CUSTOMERS, INVOICES, _payment("PAY-2", "C1", "2024-03-26", "980.00"))

    outcome = settle_invoice(engine, "INV-1", "PAY-2")

    assert outcome.discount.amount == 0
    assert outcome.residual == Money.of("20.00", "EUR")
    assert _open_minor(engine, "INV-1") == 2_000
    assert _discount_documents(engine) == []


def test_partial_payment_earns_proportional_discount(engine, import_ledger):
    import_ledger(CUSTOMERS, INVOICES, _payment("PAY-3", "C1", "2024-03-20", "490.00"))

    outcome = settle_invoice(engine, "INV-1", "PAY-3")

    assert outcome.discount == Money.of("10.00", "EUR")
    assert outcome.residual == Money.of("500.00", "EUR")


def test_discount_carries_its_tax_part(engine, import_ledger):
    import_ledger(CUSTOMERS, INVOICES, _payment("PAY-4", "C1", "2024-03-25", "1166.20"))

    outcome = settle_invoice(engine, "INV-2", "PAY-4")

    assert outcome.discount_tax == Money.of("3.80", "EUR")
    assert outcome.discount_net == Money.of("20.00", "EUR")
    assert _discount_documents(engine) == [("DSC-PAY-4-INV-2-1", 2_380, 380)]
    assert _open_minor(engine, "INV-2") == 0


def test_settling_again_writes_nothing(engine, import_ledger):
    import_ledger(CUSTOMERS, INVOICES, _payment("PAY-1", "C1", "2024-03-25", "980.00"))
    settle_invoice(engine, "INV-1", "PAY-1")

    again = settle_invoice(engine, "INV-1", "PAY-1")

    assert not again.written
    assert again.discount == Money.of("20.00", "EUR")
    assert again.applied == Money.of("980.00", "EUR")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM allocations")).scalar_one() == 2


def test_first_open_instalment_is_chosen(engine, import_ledger):
    import_ledger(CUSTOMERS, INVOICES, _payment("PAY-5", "C2", "2024-02-10", "300.00"))

    outcome = settle_invoice(engine, "INV-3", "PAY-5")

    assert outcome.instalment == 1
    assert _open_minor(engine, "INV-3", 1) == 0
    assert _open_minor(engine, "INV-3", 2) == 30_000


def test_amount_option_limits_the_part(engine, import_ledger):
    import_ledger(CUSTOMERS, INVOICES, _payment("PAY-6", "C2", "2024-02-10", "700.00"))

    outcome = settle_invoice(engine, "INV-3", "PAY-6", instalment=3, amount=Decimal("400.00"))

    assert outcome.residual.amount == 0
    assert outcome.unapplied == Money.of("300.00", "EUR")


def test_payment_of_other_customer_rejected(engine, import_ledger):
    import_ledger(CUSTOMERS, INVOICES, _payment("PAY-7", "C2", "2024-03-25", "980.00"))

    with pytest.raises(SettlementError, match="different customers"):
        settle_invoice(engine, "INV-1", "PAY-7")


def test_unknown_payment_rejected(engine, import_ledger):
    import_ledger(CUSTOMERS, INVOICES)

    with pytest.raises(SettlementError, match="payment PAY-404 not found"):
        settle_invoice(engine, "INV-1", "PAY-404")
