"""Statement readers on the public samples: spot checks of good files, errors of malformed ones."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from receivables.banking.errors import StatementError
from receivables.banking.readers import read_statement_file
from receivables.banking.statements import ReferenceKind, StatementFormat

BANK = Path(__file__).resolve().parents[1] / "data" / "bank"


def _read(relative: str):  # type: ignore[no-untyped-def]
    return read_statement_file(BANK / relative)


def test_swiss_qr_reference_read() -> None:
    statements = _read(
        "camt-ch-dvbern/camt054.v00108/"
        "200519_camt.054_P_CH2909000000250094239_1111091335_0_2020061900081727_v2019.xml"
    )
    first = statements[0].transactions[0]

    assert statements[0].format == StatementFormat.CAMT_054
    assert first.amount.amount == Decimal("778.29")
    assert first.structured_reference == "539115429773825311971477453"
    assert first.reference_kind == ReferenceKind.QRR
    assert first.counterparty_iban == "CH5109000000250092291"


def test_swiss_isr_reference_read() -> None:
    statements = _read("camt-ch-dvbern/camt054/v00104/camt_054_Beispiel_ZA1_ESR_ZE.xml")
    transaction = statements[0].transactions[0]

    assert transaction.amount.amount == Decimal("3949.75")
    assert transaction.reference_kind == ReferenceKind.ISR
    assert transaction.end_to_end_id == "ENDTOENDID-001"
    assert transaction.booking_date == date(2015, 1, 7)


def test_swiss_batch_booking_split() -> None:
    statements = _read("camt-ch-dvbern/camt054/v00104/camt_054_Beispiel_SammelbuchungEs.xml")
    amounts = [t.amount.amount for t in statements[0].transactions]

    assert amounts == [Decimal("111.00"), Decimal("2.00")]


def test_camt053_swiss_statement_count() -> None:
    statements = _read(
        "camt-ch-dvbern/camt053/v00104/camt.053_P_CH0309000000250090342_380000000_0_2016053100163801.xml"
    )

    assert statements[0].account == "CH0309000000250090342"
    assert len(statements[0].transactions) == 32


def test_mt940_german_sepa_details() -> None:
    statements = _read("mt940-wolph/betterplace/sepa_snippet.sta")
    first = statements[0].transactions[0]

    assert statements[0].format == StatementFormat.MT940
    assert first.amount.amount == Decimal("50990.05")
    assert first.booking_date == date(2007, 9, 4)
    assert first.value_date == date(2007, 9, 7)
    assert first.counterparty_iban == "DE14508800500194785000"
    assert first.end_to_end_id == "EndToEndId TFNR 22 004 00001"
    assert first.remittance_text == "Verw CTSc-01 BC-PPP TFNr 22 004"


def test_mt940_two_messages_two_statements() -> None:
    statements = _read("mt940-wolph/jejik/abnamro.sta")

    assert [s.statement_key for s in statements] == [
        "ABN AMRO BANK NV/19321/1",
        "ABN AMRO BANK NV/19322/1",
    ]
    assert statements[0].opening_balance is not None
    assert statements[0].opening_balance.amount == Decimal("3236.28")


def test_mt940_debit_sign() -> None:
    statements = _read("mt940-wolph/jejik/abnamro.sta")

    assert statements[0].transactions[0].amount.amount == Decimal("-9")


def test_mt940_february_30_read() -> None:
    transaction = _read("mt940-wolph/self-provided/february_30.sta")[0].transactions[0]

    assert transaction.value_date == date(2016, 2, 29)


def test_mt942_report_read() -> None:
    statements = _read("mt940-wolph/mBank/mt942.sta")

    assert statements[0].format == StatementFormat.MT942
    assert len(statements[0].transactions) == 3


def test_mt940_dutch_slash_fields() -> None:
    transaction = _read("mt940-wolph/jejik/rabobank-iban.sta")[0].transactions[0]

    assert transaction.counterparty_name == "CONTRA ACCOUNT HOLDER"


def test_bai2_detail_amounts() -> None:
    statements = _read("bai2-moov/sample1.txt")
    first = statements[0].transactions[0]

    assert statements[0].format == StatementFormat.BAI2
    assert first.amount.amount == Decimal("-25.00")
    assert first.amount.currency.code == "CAD"
    assert first.remittance_text == "RETURNED CHEQUE"
    assert sum(len(s.transactions) for s in statements) == 17


def test_bai2_credit_type_code() -> None:
    statements = _read("bai2-moov/sample1.txt")
    credits = [t for t in statements[0].transactions if t.transaction_code == "108"]

    assert all(t.amount.amount > 0 for t in credits)


def test_ofx_sgml_statement() -> None:
    statements = _read("ofx-ofxparse/checking.ofx")
    first = statements[0].transactions[0]

    assert statements[0].currency == "USD"
    assert first.amount.amount == Decimal("0.01")
    assert first.booking_date == date(2011, 3, 31)
    assert first.bank_reference == "0000486"


def test_ofx_empty_currency_from_transactions() -> None:
    statements = _read("ofx-ofxparse/ofx-v102-empty-tags.ofx")

    assert statements[0].currency == "AUD"


MALFORMED = [
    ("camt-ch-dvbern/camt054/v00104/invalid/camt_054_Beispiel_NotificationMissing.xml", "line 1"),
    ("camt-genkgo/xml/camt053.v2.wrong.xml", "line 3, element /Document/BkToCstmrStmt"),
    ("mt940-wolph/self-provided/invalid_statement.sta", "line 1"),
    ("mt940-wolph/betterplace/sepa_snippet_broken.sta", "line 6, tag :25:"),
    ("mt940-wolph/self-provided/multiline.sta", "line 38"),
    ("mt940-wolph/self-provided/raphaelm.sta", "line 27, tag :62M:"),
    ("bai2-moov/errors/sample-parseError.txt", "line 1"),
    ("bai2-moov/sample4-continuations-newline-delimited.txt", "line 22"),
    ("bai2-moov/sample5-issue113.txt", "line 63"),
    ("ofx-ofxparse/fail_nice/date_missing.ofx", "line 33"),
    ("ofx-ofxparse/fail_nice/decimal_error.ofx", "line 37, element TRNAMT"),
]


@pytest.mark.parametrize(("relative", "position"), MALFORMED)
def test_malformed_file_names_position(relative: str, position: str) -> None:
    with pytest.raises(StatementError) as raised:
        _read(relative)

    assert raised.value.file.endswith(relative)
    assert raised.value.position.startswith(position)
    assert str(raised.value).startswith(str(BANK / relative))
