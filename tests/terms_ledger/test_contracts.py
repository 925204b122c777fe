"""Contracts are imported from CSV or TOML, and stored invoices are checked against them.

C1: K-2023 net30 for 2023, K-2024 2/10 net30 from 2024-01-01; C2 has no contract
INV-A 2024-03-01 due 2024-04-15, no discount   -> due 15 days late, 2 % missing
INV-B 2024-03-01 on 2/10 net30                  -> as agreed
INV-C 2023-05-02 on 2/10 net30                  -> a discount K-2023 does not give
INV-D C2 2022-05-01                             -> no contract
INV-E 2024-04-01 on 50% net30, net60            -> two instalments and no discount
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from receivables.domain.contracts import ContractBook, DeviationKind, check_invoice_terms
from receivables.domain.day_count import DayCount
from receivables.domain.interest import ContractualInterest
from receivables.domain.money import Money
from receivables.rates import load_rate_book
from receivables.services.contract_check import (
    INVOICES_SCHEMA,
    INVOICES_SQL,
    _invoice_terms,
    _invoices,
    check_contracts,
)
from receivables.services.contracts import (
    ContractFileError,
    import_contracts,
    load_contract_book,
)
from receivables.storage.frames import read_frame

CUSTOMERS = """
    customer_code,name
    C1,Acme GmbH
    C2,Brick GmbH
"""
INVOICES = """
    kind,number,customer_code,document_date,due_date,currency,amount,payment_term
    invoice,INV-A,C1,2024-03-01,2024-04-15,EUR,1000.00,
    invoice,INV-B,C1,2024-03-01,,EUR,1000.00,2/10 net30
    invoice,INV-C,C1,2023-05-02,,EUR,1000.00,2/10 net30
    invoice,INV-D,C2,2022-05-01,2022-05-31,EUR,1000.00,
    invoice,INV-E,C1,2024-04-01,,EUR,1000.00,"50% net30, net60"
"""
CONTRACTS_CSV = (
    "customer_code,reference,valid_from,valid_to,payment_term,interest,interest_rate,day_count,"
    "minimum,dunning_fees,charge_currency\n"
    "C1,K-2023,2023-01-01,2023-12-31,net30,,,,,,\n"
    'C1,K-2024,2024-01-01,,2/10 net30,contract,9,ACT/360,5.00,"2=5.00;3=10.00",EUR\n'
)
RATES = load_rate_book()


@pytest.fixture
def contract_file(tmp_path: Path) -> Path:
    path = tmp_path / "contracts.csv"
    path.write_text(CONTRACTS_CSV, encoding="utf-8")
    return path


def _findings(engine) -> list[tuple[str, str]]:
    check = check_contracts(engine, RATES)
    return sorted((item.number, item.kind.value) for item in check.deviations)


def test_csv_import_stores_contracts(engine, import_ledger, contract_file):
    import_ledger(CUSTOMERS)

    result = import_contracts(engine, contract_file, RATES)
    contract = load_contract_book(engine, RATES).contract_for("C1", date(2024, 6, 1))

    assert result.committed
    assert result.inserted == 2
    assert contract is not None
    assert contract.reference == "K-2024"
    assert contract.late_charges.interest == ContractualInterest(
        Decimal("9"), DayCount.ACT_360, 0, Money.of("5.00", "EUR")
    )
    assert str(contract.late_charges.fees.fee_for(3)) == "10.00 EUR"


def test_import_again_changes_nothing(engine, import_ledger, contract_file):
    import_ledger(CUSTOMERS)
    import_contracts(engine, contract_file, RATES)

    again = import_contracts(engine, contract_file, RATES)

    assert again.inserted == 0
    assert again.updated == 2
    assert len(load_contract_book(engine, RATES).late_charge_clauses(date(2024, 6, 1))) == 1


def test_toml_import_reads_fee_table(engine, import_ledger, tmp_path):
    import_ledger(CUSTOMERS)
    path = tmp_path / "contracts.toml"
    path.write_text(
        '[[contracts]]\ncustomer_code = "C2"\nreference = "K-UK"\nvalid_from = "2024-01-01"\n'
        'payment_term = "net45"\ninterest = "eu"\ngrace_days = 5\ncharge_currency = "EUR"\n'
        '[contracts.dunning_fees]\n"2" = "7.50"\n',
        encoding="utf-8",
    )

    result = import_contracts(engine, path, RATES)
    contract = load_contract_book(engine, RATES).contract_for("C2", date(2024, 2, 1))

    assert result.committed
    assert contract is not None
    assert contract.late_charges.interest is not None
    assert contract.late_charges.interest.grace_days == 5
    assert str(contract.late_charges.fees.fee_for(2)) == "7.50 EUR"


def test_overlapping_contract_rejected(engine, import_ledger, contract_file, tmp_path):
    import_ledger(CUSTOMERS)
    import_contracts(engine, contract_file, RATES)
    path = tmp_path / "overlap.csv"
    path.write_text(
        "customer_code,reference,valid_from,payment_term\nC1,K-NEW,2024-06-01,net60\n",
        encoding="utf-8",
    )

    result = import_contracts(engine, path, RATES)

    assert not result.committed
    assert [problem.row for problem in result.problems] == [2]
    assert "both valid on 2024-06-01" in result.problems[0].reason


def test_bad_rows_rejected_together(engine, import_ledger, tmp_path):
    import_ledger(CUSTOMERS)
    path = tmp_path / "bad.csv"
    path.write_text(
        "customer_code,reference,valid_from,payment_term,interest\n"
        "C9,K-1,2024-01-01,net30,\nC1,K-2,2024-01-01,nett30,\nC2,K-3,2024-01-01,net30,contract\n",
        encoding="utf-8",
    )

    result = import_contracts(engine, path, RATES)

    assert not result.committed
    assert [problem.row for problem in result.problems] == [2, 3, 4]
    assert "customer not found" in result.problems[0].reason
    assert "unknown due rule 'nett30'" in result.problems[1].reason
    assert "needs an interest_rate" in result.problems[2].reason
    assert load_contract_book(engine, RATES).contract_for("C2", date(2024, 2, 1)) is None


def test_unknown_column_stops_file(tmp_path, engine):
    path = tmp_path / "typo.csv"
    path.write_text("customer_code,referenc\nC1,K\n", encoding="utf-8")

    with pytest.raises(ContractFileError, match="unknown columns referenc"):
        import_contracts(engine, path, RATES)


def test_check_flags_each_difference(engine, import_ledger, contract_file):
    import_ledger(CUSTOMERS, INVOICES)
    import_contracts(engine, contract_file, RATES)

    assert _findings(engine) == [
        ("INV-A", DeviationKind.DISCOUNT.value),
        ("INV-A", DeviationKind.DUE_DATE.value),
        ("INV-C", DeviationKind.DISCOUNT.value),
        ("INV-D", DeviationKind.NO_CONTRACT.value),
        ("INV-E", DeviationKind.DISCOUNT.value),
        ("INV-E", DeviationKind.INSTALMENTS.value),
    ]


def test_check_words_due_date_finding(engine, import_ledger, contract_file):
    import_ledger(CUSTOMERS, INVOICES)
    import_contracts(engine, contract_file, RATES)

    found = [
        d for d in check_contracts(engine, RATES).deviations if d.kind is DeviationKind.DUE_DATE
    ]

    assert found[0].message.startswith("due 2024-04-15, 15 days later than 2024-03-31")


def test_batch_check_equals_domain(engine, import_ledger, contract_file):
    import_ledger(CUSTOMERS, INVOICES)
    import_contracts(engine, contract_file, RATES)
    rows = read_frame(engine, INVOICES_SQL, INVOICES_SCHEMA)
    every = [_invoice_terms(row) for row in _invoices(rows).iter_rows(named=True)]
    book: ContractBook = load_contract_book(engine, RATES)

    domain = check_invoice_terms(every, book)

    assert check_contracts(engine, RATES).deviations == domain


def test_check_limits_to_dates(engine, import_ledger, contract_file):
    import_ledger(CUSTOMERS, INVOICES)
    import_contracts(engine, contract_file, RATES)

    check = check_contracts(engine, RATES, first=date(2024, 1, 1), customer="C1")

    assert check.invoices == 3
    assert {item.number for item in check.deviations} == {"INV-A", "INV-E"}
