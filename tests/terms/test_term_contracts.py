"""Contracts: validity dates, and invoices whose terms differ from the contract."""

from datetime import date
from decimal import Decimal

import pytest

from receivables.domain.contracts import (
    Contract,
    ContractBook,
    DeviationKind,
    InvoiceTerms,
    OverlappingContractsError,
    check_invoice_terms,
)
from receivables.domain.interest import ContractualInterest
from receivables.domain.late_charges import LateChargeClause
from receivables.domain.money import Money
from receivables.domain.terms import PaymentTerm

EUR_119 = Money.of("119.00", "EUR")
EUR_19 = Money.of("19.00", "EUR")

OLD = Contract("C001", "K-2023", date(2023, 1, 1), date(2023, 12, 31), PaymentTerm.parse("net30"))
NEW = Contract(
    "C001",
    "K-2024",
    date(2024, 1, 1),
    None,
    PaymentTerm.parse("2/10 net30"),
    late_charges=LateChargeClause(ContractualInterest(Decimal(9))),
)
BOOK = ContractBook([NEW, OLD])


def invoice(day: date, due: date, discounts=(), number: str = "INV-1") -> InvoiceTerms:
    return InvoiceTerms("C001", number, day, EUR_119, EUR_19, (due,), tuple(discounts))


def test_contract_valid_on_invoice_date():
    assert BOOK.contract_for("C001", date(2023, 12, 31)) == OLD
    assert BOOK.contract_for("C001", date(2024, 1, 1)) == NEW
    assert BOOK.contract_for("C001", date(2022, 12, 31)) is None


def test_overlapping_contracts_rejected():
    overlapping = Contract("C001", "K-X", date(2023, 6, 1), None, PaymentTerm.parse("net60"))

    with pytest.raises(OverlappingContractsError, match="K-2023 and K-X"):
        ContractBook([OLD, overlapping])


def test_matching_invoice_passes():
    matching = invoice(date(2024, 3, 1), date(2024, 3, 31), [(date(2024, 3, 11), Decimal(2))])

    assert check_invoice_terms([matching], BOOK) == []


def test_later_due_date_flagged():
    late = invoice(date(2024, 3, 1), date(2024, 4, 15), [(date(2024, 3, 11), Decimal("2.0"))])
    [deviation] = check_invoice_terms([late], BOOK)

    assert deviation.kind is DeviationKind.DUE_DATE
    assert deviation.expected == "2024-03-31"
    assert "15 days later" in deviation.message


def test_unagreed_discount_flagged():
    # Dated 2023: contract K-2023 gives net30 without a discount.
    generous = invoice(date(2023, 5, 2), date(2023, 6, 1), [(date(2023, 5, 12), Decimal(2))])
    [deviation] = check_invoice_terms([generous], BOOK)

    assert deviation.kind is DeviationKind.DISCOUNT
    assert deviation.contract == "K-2023"
    assert deviation.expected == "none"


def test_missing_discount_flagged():
    [deviation] = check_invoice_terms([invoice(date(2024, 3, 1), date(2024, 3, 31))], BOOK)

    assert deviation.kind is DeviationKind.DISCOUNT
    assert deviation.actual == "none"


def test_invoice_without_contract_flagged():
    [deviation] = check_invoice_terms([invoice(date(2022, 5, 1), date(2022, 5, 31))], BOOK)

    assert deviation.kind is DeviationKind.NO_CONTRACT


def test_instalment_count_flagged():
    split = Contract("C002", "K-S", date(2024, 1, 1), None, PaymentTerm.parse("50% net30, net60"))
    one_date = InvoiceTerms(
        "C002", "INV-9", date(2024, 3, 1), EUR_119, EUR_19, (date(2024, 3, 31),)
    )
    [deviation] = check_invoice_terms([one_date], ContractBook([split]))

    assert deviation.kind is DeviationKind.INSTALMENTS


def test_clauses_for_late_charge_run():
    clauses = BOOK.late_charge_clauses(date(2024, 6, 30))

    assert clauses["C001"] == NEW.late_charges
