"""Letters, statements of account and the legal case file as real PDFs."""

from __future__ import annotations

import csv
from datetime import date
from io import BytesIO

import pytest
from pypdf import PdfReader

from conftest import EUR
from receivables.domain.aging import AgingBuckets
from receivables.dunning.handover import hand_over
from receivables.dunning.run import run_dunning
from receivables.dunning.statements import build_statement, statement_pdf, statement_run


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)


@pytest.fixture
def ledger(book):
    """C1: INV-1 1,000.00 (2024-01-10, due 02-09) paid 400.00 on 02-20; INV-2 500.00 (2024-02-15,
    due 03-16); CN-1 credit note 100.00 on 03-05. C2 has nothing in the period."""
    book.customer("C1", language="de")
    book.customer("C2")
    book.invoice("INV-1", "C1", date(2024, 1, 10), date(2024, 2, 9), "1000.00")
    book.invoice("INV-2", "C1", date(2024, 2, 15), date(2024, 3, 16), "500.00")
    book.payment("PAY-1", "C1", date(2024, 2, 20), "400.00", "INV-1")
    credit_note = {
        "customer_code": "C1", "kind": "credit_note", "number": "CN-1",
        "document_date": date(2024, 3, 5), "due_date": date(2024, 3, 5), "currency": "EUR",
        "amount_minor": 10000, "tax_minor": 0, "fx_rate": "1", "disputed": False, "reference": None,
    }  # fmt: skip
    book.documents.append(credit_note)
    book.save()
    return book


def test_statement_balances(ledger):
    statement = build_statement(
        ledger.engine, "C1", date(2024, 2, 1), date(2024, 3, 31), EUR, AgingBuckets()
    )

    section = statement.sections[0]
    assert section.opening_minor == 100000
    assert [line.number for line in section.lines] == ["INV-2", "PAY-1", "CN-1"]
    assert section.closing_minor == 100000
    assert dict(section.aging)["1-30"] == 50000
    assert dict(section.aging)["31-60"] == 60000


def test_statement_pdf_shows_balances(ledger, settings):
    statement = build_statement(
        ledger.engine, "C1", date(2024, 2, 1), date(2024, 3, 31), EUR, AgingBuckets()
    )

    text = pdf_text(statement_pdf(statement, settings, "de"))

    assert "Kontoauszug" in text
    assert "Anfangssaldo" in text
    assert "1.000,00" in text


def test_statement_run_writes_active_customers(ledger, settings, tmp_path):
    result = statement_run(
        ledger.engine, settings, EUR, date(2024, 2, 1), date(2024, 3, 31),
        tmp_path / "statements", AgingBuckets(),
    )  # fmt: skip

    assert [path.name for path in result.files] == ["statement-C1-2024-03-31.pdf"]
    assert result.problems == []


def test_final_notice_letter_is_pdf(ledger, settings):
    """On 2024-03-20 INV-1 is 40 days past due: a final notice letter, for review."""
    from receivables.dunning.delivery import deliver_pending
    from receivables.dunning.review import approve, draft_ids

    run_dunning(ledger.engine, settings, EUR, date(2024, 3, 20))
    approve(ledger.engine, draft_ids(ledger.engine), "anna")
    deliver_pending(ledger.engine, settings)

    letter = next(settings.letters_dir.glob("notice-*.pdf")).read_bytes()
    text = pdf_text(letter)
    assert letter.startswith(b"%PDF")
    assert "Letzte Mahnung" in text
    assert "600,00" in text


def test_case_file_has_items_and_history(ledger, settings, tmp_path):
    run_dunning(ledger.engine, settings, EUR, date(2024, 2, 20))

    case = hand_over(
        ledger.engine, settings, EUR, "C1", date(2024, 3, 31), tmp_path / "cases", "lee"
    )

    with (case.folder / "items.csv").open(encoding="utf-8") as handle:
        items = list(csv.DictReader(handle))
    with (case.folder / "history.csv").open(encoding="utf-8") as handle:
        history = list(csv.DictReader(handle))
    assert [row["open"] for row in items] == ["600.00", "500.00"]
    assert history[0]["event"] == "notice"
    assert "Case file" in pdf_text((case.folder / "casefile.pdf").read_bytes())
