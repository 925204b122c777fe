"""Cash application on both databases: import, match, apply, review, learn.

The ledger is the one of ``bank_helpers`` (ACME and BOLT, invoices INV-1001..INV-1005); each
test imports a hand-made camt.053 statement booked on 2024-03-15 and matches as of 2024-03-31.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest
from bank_helpers import (
    ACME_IBAN,
    line,
    open_minor,
    scalar,
    seed_ledger,
    write_statement,
)
from sqlalchemy import Engine

from receivables.banking.errors import ApplyError, ReviewError
from receivables.banking.importing import import_statements
from receivables.banking.matching import run_matching
from receivables.banking.payment_references import issue_reference
from receivables.banking.review import accept, list_suggestions, reject, split
from receivables.banking.rules.references import creditor_reference
from receivables.banking.rules.settings import MatchSettings, ShortPayment
from receivables.storage.bulk import DOCUMENT_SCHEMA, write_documents

AS_OF = date(2024, 3, 31)
SETTINGS = MatchSettings()


@pytest.fixture
def ledger(engine: Engine) -> Engine:
    seed_ledger(engine)
    return engine


def _import(engine: Engine, tmp_path: Path, *lines, name: str = "STMT-1"):  # type: ignore[no-untyped-def]
    path = write_statement(tmp_path / f"{name}.xml", name, list(lines))
    return import_statements(engine, [path])


def _match(engine: Engine, settings: MatchSettings = SETTINGS):  # type: ignore[no-untyped-def]
    return run_matching(engine, AS_OF, settings, "EUR")


def test_reimport_changes_nothing(ledger: Engine, tmp_path: Path) -> None:
    first = _import(ledger, tmp_path, line(1, "1000.00"), line(2, "-12.00"))
    second = _import(ledger, tmp_path, line(1, "1000.00"), line(2, "-12.00"))

    assert first.transactions_new == 2
    assert second.transactions_new == 0
    assert second.statements[0].already_imported
    assert scalar(ledger, "SELECT COUNT(*) FROM bank_transactions") == 2


def test_overlapping_statement_reported(ledger: Engine, tmp_path: Path) -> None:
    _import(ledger, tmp_path, line(1, "1000.00"), line(2, "250.00"), name="STMT-A")
    result = _import(ledger, tmp_path, line(2, "250.00"), line(3, "99.00"), name="STMT-B")

    assert result.statements[0].transactions_new == 1
    assert result.statements[0].duplicates == 1
    assert result.statements[0].overlaps[0].startswith("STMT-A")


def test_malformed_file_imports_nothing(ledger: Engine, tmp_path: Path) -> None:
    good = write_statement(tmp_path / "good.xml", "GOOD", [line(1, "10.00")])
    bad = tmp_path / "bad.xml"
    bad.write_bytes(b"<Document><BkToCstmrStmt>")

    result = import_statements(ledger, [good, bad])

    assert not result.ok
    assert result.problems[0].file == str(bad)
    assert result.problems[0].position.startswith("line 1")
    assert scalar(ledger, "SELECT COUNT(*) FROM bank_statements") == 0


def test_debit_line_ignored(ledger: Engine, tmp_path: Path) -> None:
    _import(ledger, tmp_path, line(1, "-12.00", text_value="account fees"))

    assert scalar(ledger, "SELECT status FROM bank_transactions") == "ignored"


def test_reference_payment_applied(ledger: Engine, tmp_path: Path) -> None:
    _import(ledger, tmp_path, line(1, "1000.00", reference=creditor_reference("INV-1001")))
    result = _match(ledger)

    assert result.auto_applied == 1
    assert open_minor(ledger, "INV-1001") == 0
    assert scalar(ledger, "SELECT amount_minor FROM documents WHERE number = 'BANK-0000001'") == 100_000
    assert scalar(ledger, "SELECT status FROM bank_transactions") == "applied"


def test_rerun_applies_nothing_twice(ledger: Engine, tmp_path: Path) -> None:
    _import(ledger, tmp_path, line(1, "1000.00", reference=creditor_reference("INV-1001")))
    _match(ledger)
    again = _match(ledger)

    assert again.auto_applied == 0
    assert again.transactions == 0
    assert scalar(ledger, "SELECT COUNT(*) FROM allocations") == 1


def test_three_invoices_one_payment(ledger: Engine, tmp_path: Path) -> None:
    _import(ledger, tmp_path, line(1, "1650.50", "ACME INDUSTRIES", text_value="March"))
    result = _match(ledger)
    suggestion = list_suggestions(ledger)[0]

    assert result.suggested == 1
    assert sorted(item["number"] for item in suggestion.items) == [
        "INV-1001",
        "INV-1002",
        "INV-1003",
    ]

    accept(ledger, suggestion.proposal_id, SETTINGS, "EUR")

    assert open_minor(ledger, "INV-1001") == 0
    assert open_minor(ledger, "INV-1002") == 0
    assert open_minor(ledger, "INV-1003") == 0


def test_discount_becomes_discount_document(ledger: Engine, tmp_path: Path) -> None:
    _import(ledger, tmp_path, line(1, "245.00", "Acme", text_value="INV-1002 minus 2%"))
    _match(ledger)

    assert open_minor(ledger, "INV-1002") == 0
    assert scalar(ledger, "SELECT amount_minor FROM documents WHERE kind = 'discount'") == 500
    assert scalar(ledger, "SELECT reason_code FROM deductions") == "discount"


def test_fee_becomes_write_off(ledger: Engine, tmp_path: Path) -> None:
    _import(ledger, tmp_path, line(1, "499.50", "Bolt Trading", text_value="INV-1004"))
    _match(ledger)

    assert open_minor(ledger, "INV-1004") == 0
    assert scalar(ledger, "SELECT amount_minor FROM documents WHERE kind = 'write_off'") == 50
    assert scalar(ledger, "SELECT status FROM deductions") == "resolved"


def test_overpayment_stays_unapplied(ledger: Engine, tmp_path: Path) -> None:
    _import(ledger, tmp_path, line(1, "350.00", "Bolt Trading", text_value="INV-1005"))
    result = _match(ledger)
    payment = scalar(ledger, "SELECT amount_minor FROM documents WHERE kind = 'payment'")
    allocated = scalar(ledger, "SELECT SUM(amount_minor) FROM allocations")

    assert result.auto_applied == 1
    assert payment == 35_000
    assert allocated == 30_000


def test_short_payment_leaves_residual(ledger: Engine, tmp_path: Path) -> None:
    _import(ledger, tmp_path, line(1, "600.00", reference=creditor_reference("INV-1001")))
    _match(ledger)

    assert open_minor(ledger, "INV-1001") == 40_000
    assert scalar(ledger, "SELECT COUNT(*) FROM deductions") == 0


def test_short_payment_opens_dispute(ledger: Engine, tmp_path: Path) -> None:
    _import(ledger, tmp_path, line(1, "600.00", reference=creditor_reference("INV-1001")))
    _match(ledger, MatchSettings(short_payment=ShortPayment.DEDUCTION))

    assert scalar(ledger, "SELECT reason_code FROM deductions") == "short_payment"
    assert scalar(ledger, "SELECT amount_minor FROM deductions") == 40_000
    assert bool(scalar(ledger, "SELECT disputed FROM documents WHERE number = 'INV-1001'"))


def test_two_payments_one_invoice(ledger: Engine, tmp_path: Path) -> None:
    reference = creditor_reference("INV-1001")
    _import(
        ledger,
        tmp_path,
        line(1, "400.00", reference=reference),
        line(2, "600.00", reference=reference),
    )
    result = _match(ledger)

    assert result.auto_applied == 2
    assert open_minor(ledger, "INV-1001") == 0


def test_two_payments_two_instalments(ledger: Engine, tmp_path: Path) -> None:
    """Both payments quote the invoice; the second goes to the instalment the first left open."""
    instalments = pl.DataFrame(
        [
            ("ACME", "invoice", "INV-2001", date(2024, 3, 1), due, "EUR", 30_000, 0, "1", False, None, n)
            for n, due in ((1, date(2024, 3, 31)), (2, date(2024, 4, 30)))
        ],
        schema={**DOCUMENT_SCHEMA, "instalment": pl.Int64},
        orient="row",
    )
    with ledger.begin() as connection:
        write_documents(connection, instalments)
    reference = creditor_reference("INV-2001")
    _import(ledger, tmp_path, line(1, "300.00", reference=reference), line(2, "300.00", reference=reference))

    result = _match(ledger)

    assert result.auto_applied == 2
    assert scalar(ledger, "SELECT COUNT(*) FROM allocations") == 2
    assert open_minor(ledger, "INV-2001") == 0


def test_duplicate_payment_not_over_allocated(ledger: Engine, tmp_path: Path) -> None:
    reference = creditor_reference("INV-1002")
    _import(
        ledger,
        tmp_path,
        line(1, "250.00", reference=reference),
        line(2, "250.00", "X", reference=reference),
    )
    result = _match(ledger)

    assert result.auto_applied == 1
    assert result.suggested == 1
    assert open_minor(ledger, "INV-1002") == 0


def test_suggestion_accepted_teaches_iban(ledger: Engine, tmp_path: Path) -> None:
    _import(ledger, tmp_path, line(1, "390.00", "ACME", ACME_IBAN, "Rechnung 1003"))
    _match(ledger)
    suggestion = list_suggestions(ledger)[0]

    learned = accept(ledger, suggestion.proposal_id, SETTINGS, "EUR")

    assert open_minor(ledger, "INV-1003") == 1_050
    assert f"IBAN {ACME_IBAN}" in learned
    assert scalar(ledger, "SELECT iban FROM customer_ibans") == ACME_IBAN


def test_learned_iban_matches_next_time(ledger: Engine, tmp_path: Path) -> None:
    _import(ledger, tmp_path, line(1, "390.00", "ACME", ACME_IBAN, "Rechnung 1003"))
    _match(ledger)
    accept(ledger, list_suggestions(ledger)[0].proposal_id, SETTINGS, "EUR")
    _import(ledger, tmp_path, line(1, "250.00", "A. I. GmbH", ACME_IBAN, "thanks"), name="S2")

    result = _match(ledger)

    assert result.auto_applied == 1
    assert open_minor(ledger, "INV-1002") == 0


def test_rejected_suggestion_not_suggested_again(ledger: Engine, tmp_path: Path) -> None:
    _import(ledger, tmp_path, line(1, "390.00", "ACME", ACME_IBAN, "Rechnung 1003"))
    _match(ledger)
    reject(ledger, list_suggestions(ledger)[0].proposal_id)

    again = _match(ledger)

    assert again.suggested == 0
    assert again.unmatched == 1
    assert list_suggestions(ledger) == []


def test_rerun_keeps_same_suggestion(ledger: Engine, tmp_path: Path) -> None:
    _import(ledger, tmp_path, line(1, "390.00", "ACME", ACME_IBAN, "Rechnung 1003"))
    _match(ledger)
    first = list_suggestions(ledger)[0].proposal_id
    _match(ledger)

    assert [s.proposal_id for s in list_suggestions(ledger)] == [first]


def test_split_by_hand(ledger: Engine, tmp_path: Path) -> None:
    _import(ledger, tmp_path, line(1, "700.00", "Unknown Payer", "GB33BUKB20201555555555", "see mail"))
    _match(ledger)
    transaction_id = int(scalar(ledger, "SELECT id FROM bank_transactions"))  # type: ignore[call-overload]

    split(
        ledger,
        transaction_id,
        [("INV-1004", Decimal("500.00")), ("INV-1005", Decimal("150.00"))],
        SETTINGS,
        "EUR",
    )

    assert open_minor(ledger, "INV-1004") == 0
    assert open_minor(ledger, "INV-1005") == 15_000
    assert scalar(ledger, "SELECT customer_id FROM customer_ibans") is not None


def test_split_to_another_customer_learns_nothing(ledger: Engine, tmp_path: Path) -> None:
    # The payer has the exact words of Bolt's name, and the user applies it to Acme's invoice.
    _import(ledger, tmp_path, line(1, "250.00", "BOLT TRADING LTD", "GB33BUKB20201555555555", "see mail"))
    _match(ledger)
    transaction_id = int(scalar(ledger, "SELECT id FROM bank_transactions"))  # type: ignore[call-overload]

    learned = split(ledger, transaction_id, [("INV-1002", Decimal("250.00"))], SETTINGS, "EUR")

    assert open_minor(ledger, "INV-1002") == 0
    assert learned == ["nothing, because the payer's name belongs to customer BOLT"]
    assert scalar(ledger, "SELECT COUNT(*) FROM customer_ibans") == 0
    assert scalar(ledger, "SELECT COUNT(*) FROM customer_aliases") == 0


def test_split_over_amount_rejected(ledger: Engine, tmp_path: Path) -> None:
    _import(ledger, tmp_path, line(1, "100.00", "Unknown Payer"))
    transaction_id = int(scalar(ledger, "SELECT id FROM bank_transactions"))  # type: ignore[call-overload]

    with pytest.raises(ReviewError, match="more than"):
        split(ledger, transaction_id, [("INV-1004", Decimal("200.00"))], SETTINGS, "EUR")


def test_split_beyond_open_rejected(ledger: Engine, tmp_path: Path) -> None:
    _import(ledger, tmp_path, line(1, "900.00", "Unknown Payer"))
    transaction_id = int(scalar(ledger, "SELECT id FROM bank_transactions"))  # type: ignore[call-overload]

    with pytest.raises(ApplyError, match="open"):
        split(ledger, transaction_id, [("INV-1005", Decimal("900.00"))], SETTINGS, "EUR")
    assert scalar(ledger, "SELECT COUNT(*) FROM allocations") == 0


def test_issued_reference_stored_once(ledger: Engine) -> None:
    first = issue_reference(ledger, "INV-1001")
    second = issue_reference(ledger, "INV-1001")

    assert first.reference == creditor_reference("INV-1001")
    assert first.created
    assert not second.created
    assert scalar(ledger, "SELECT COUNT(*) FROM payment_references") == 1


def test_same_name_and_exact_amount_applied(ledger: Engine, tmp_path: Path) -> None:
    """An unknown account, but the words of ACME's name and exactly INV-1002's amount."""
    _import(ledger, tmp_path, line(1, "250.00", "ACME INDUSTRIES", text_value="thank you"))
    result = _match(ledger)

    assert result.auto_applied == 1
    assert open_minor(ledger, "INV-1002") == 0


def test_similar_name_and_exact_amount_suggested(ledger: Engine, tmp_path: Path) -> None:
    """A misspelt name is only similar: the same payment waits for review."""
    _import(ledger, tmp_path, line(1, "250.00", "ACME INDUSTRES", text_value="thank you"))
    result = _match(ledger)

    assert result.auto_applied == 0
    assert result.suggested == 1
    assert open_minor(ledger, "INV-1002") == 25_000
