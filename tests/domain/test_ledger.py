"""The as-of ledger: open amounts, statuses, unapplied credit and the allocation rules.

Scenario used by most tests, customer ACME, EUR:

    2024-01-01  invoice INV-1   1,000.00  due 2024-01-31
    2024-02-10  payment PAY-1     400.00  allocated to INV-1 on 2024-02-10
    2024-03-05  payment PAY-2     700.00  allocated 600.00 to INV-1 on 2024-03-05 (100.00 overpaid)
"""

from datetime import date
from decimal import Decimal

import pytest

from receivables.domain.documents import Allocation, Document, DocumentKey, DocumentKind
from receivables.domain.errors import (
    InvalidAllocationError,
    InvalidDocumentError,
    OverAllocationError,
)
from receivables.domain.ledger import ItemStatus, Ledger
from receivables.domain.money import Money

INV_1 = DocumentKey(DocumentKind.INVOICE, "INV-1")
PAY_1 = DocumentKey(DocumentKind.PAYMENT, "PAY-1")
PAY_2 = DocumentKey(DocumentKind.PAYMENT, "PAY-2")


def eur(amount: str) -> Money:
    return Money.of(amount, "EUR")


def document(key, day, amount, due=None, customer="ACME", currency="EUR"):
    return Document(
        key=key,
        customer_code=customer,
        document_date=day,
        due_date=due or day,
        amount=Money.of(amount, currency),
        tax=Money.zero(currency),
    )


@pytest.fixture
def ledger() -> Ledger:
    ledger = Ledger(
        [
            document(INV_1, date(2024, 1, 1), "1000.00", due=date(2024, 1, 31)),
            document(PAY_1, date(2024, 2, 10), "400.00"),
            document(PAY_2, date(2024, 3, 5), "700.00"),
        ]
    )
    ledger.allocate(Allocation(PAY_1, INV_1, date(2024, 2, 10), eur("400.00")))
    ledger.allocate(Allocation(PAY_2, INV_1, date(2024, 3, 5), eur("600.00")))
    return ledger


def test_open_before_any_payment(ledger):
    assert ledger.open_amount(INV_1, date(2024, 2, 9)) == eur("1000.00")
    assert ledger.status(INV_1, date(2024, 2, 9)) is ItemStatus.OPEN


def test_payment_on_as_of_date_counts(ledger):
    assert ledger.open_amount(INV_1, date(2024, 2, 10)) == eur("600.00")
    assert ledger.status(INV_1, date(2024, 2, 10)) is ItemStatus.PARTIALLY_SETTLED


def test_later_payment_ignored_for_past_date(ledger):
    assert ledger.open_amount(INV_1, date(2024, 3, 4)) == eur("600.00")


def test_settled_after_last_payment(ledger):
    assert ledger.open_amount(INV_1, date(2024, 3, 5)) == eur("0.00")
    assert ledger.status(INV_1, date(2024, 3, 5)) is ItemStatus.SETTLED


def test_not_issued_before_document_date(ledger):
    assert ledger.status(INV_1, date(2023, 12, 31)) is ItemStatus.NOT_ISSUED
    assert ledger.open_amount(INV_1, date(2023, 12, 31)) == eur("0.00")


def test_overpayment_stays_unapplied_credit(ledger):
    [balance] = ledger.customer_balances("ACME", date(2024, 3, 31))

    assert balance.open_items == eur("0.00")
    assert balance.unapplied_credit == eur("100.00")
    assert balance.balance == eur("-100.00")


def test_unallocated_payment_is_credit_until_allocated():
    ledger = Ledger(
        [
            document(INV_1, date(2024, 1, 1), "500.00", due=date(2024, 1, 31)),
            document(PAY_1, date(2024, 1, 20), "500.00"),
        ]
    )
    ledger.allocate(Allocation(PAY_1, INV_1, date(2024, 1, 25), eur("500.00")))
    [before] = ledger.customer_balances("ACME", date(2024, 1, 22))
    [after] = ledger.customer_balances("ACME", date(2024, 1, 25))

    assert (before.open_items, before.unapplied_credit) == (eur("500.00"), eur("500.00"))
    assert (after.open_items, after.unapplied_credit) == (eur("0.00"), eur("0.00"))


def test_allocation_beyond_open_amount_rejected(ledger):
    ledger.add(document(DocumentKey(DocumentKind.PAYMENT, "PAY-3"), date(2024, 3, 6), "50.00"))

    with pytest.raises(OverAllocationError):
        ledger.allocate(
            Allocation(DocumentKey(DocumentKind.PAYMENT, "PAY-3"), INV_1, date(2024, 3, 6), eur("0.01"))
        )


def test_allocation_beyond_payment_rejected():
    ledger = Ledger(
        [
            document(INV_1, date(2024, 1, 1), "500.00", due=date(2024, 1, 31)),
            document(PAY_1, date(2024, 1, 20), "100.00"),
        ]
    )

    with pytest.raises(OverAllocationError):
        ledger.allocate(Allocation(PAY_1, INV_1, date(2024, 1, 20), eur("100.01")))


@pytest.mark.parametrize(
    ("source", "target", "day", "amount", "reason"),
    [
        (INV_1, PAY_1, date(2024, 2, 10), "10.00", "credit document"),
        (PAY_1, INV_1, date(2024, 2, 9), "10.00", "before"),
        (PAY_1, INV_1, date(2024, 2, 10), "0.00", "positive"),
        (PAY_1, INV_1, date(2024, 2, 10), "0.001", "rounded"),
    ],
)
def test_allocation_rules(source, target, day, amount, reason):
    ledger = Ledger(
        [
            document(INV_1, date(2024, 1, 1), "1000.00", due=date(2024, 1, 31)),
            document(PAY_1, date(2024, 2, 10), "400.00"),
        ]
    )

    with pytest.raises(InvalidAllocationError, match=reason):
        ledger.allocate(Allocation(source, target, day, Money.of(amount, "EUR")))


def test_allocation_across_customers_rejected():
    ledger = Ledger(
        [
            document(INV_1, date(2024, 1, 1), "100.00", due=date(2024, 1, 31)),
            document(PAY_1, date(2024, 1, 5), "100.00", customer="OTHER"),
        ]
    )

    with pytest.raises(InvalidAllocationError, match="customers differ"):
        ledger.allocate(Allocation(PAY_1, INV_1, date(2024, 1, 5), eur("100.00")))


def test_allocation_across_currencies_rejected():
    ledger = Ledger(
        [
            document(INV_1, date(2024, 1, 1), "100.00", due=date(2024, 1, 31)),
            document(PAY_1, date(2024, 1, 5), "100.00", currency="USD"),
        ]
    )

    with pytest.raises(InvalidAllocationError, match="currencies differ"):
        ledger.allocate(Allocation(PAY_1, INV_1, date(2024, 1, 5), Money.of("100.00", "USD")))


@pytest.mark.parametrize(
    ("amount", "tax", "due", "reason"),
    [
        ("-5.00", "0.00", date(2024, 1, 31), "positive"),
        ("10.001", "0.00", date(2024, 1, 31), "decimals"),
        ("10.00", "11.00", date(2024, 1, 31), "between 0"),
        ("10.00", "0.00", date(2023, 12, 31), "before the document date"),
    ],
)
def test_document_rules(amount, tax, due, reason):
    with pytest.raises(InvalidDocumentError, match=reason):
        Document(INV_1, "ACME", date(2024, 1, 1), due, Money.of(amount, "EUR"), Money.of(tax, "EUR"))


def test_foreign_document_keeps_its_rate():
    invoice = Document(
        INV_1,
        "ACME",
        date(2024, 1, 1),
        date(2024, 1, 31),
        Money.of("100.00", "USD"),
        Money.of("0.00", "USD"),
        fx_rate=Decimal("0.91"),
    )

    assert invoice.amount.convert(invoice.fx_rate, "EUR") == eur("91.00")
