"""The camt reader against the parse results of another implementation (genkgo/camt, PHP).

Each ``expected_json`` file lists entries with their record, amount in minor units (signed),
currency, credit/debit indicator, booking and value dates, status, reversal flag, and per
transaction detail the end-to-end id, the creditor reference and the unstructured remittance
text. Each must agree with what :func:`read_camt_records` reads from the XML.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from receivables.banking.readers.camt import read_camt_records
from receivables.banking.readers.camt_parts import CamtEntry, CamtRecord
from receivables.banking.readers.xmlsafe import parse_xml

GENKGO = Path(__file__).resolve().parents[1] / "data" / "bank" / "camt-genkgo"
CASES = sorted(path.stem for path in (GENKGO / "expected_json").glob("*.json"))


def _get(data: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _records(name: str) -> list[CamtRecord]:
    path = GENKGO / "xml" / f"{name}.xml"
    return read_camt_records(parse_xml(path.read_bytes(), str(path)))


def _entry(records: list[CamtRecord], expected: dict[str, Any]) -> CamtEntry:
    record = next(r for r in records if r.record_id == _get(expected, "getRecord", "getId"))
    return record.entries[expected["getIndex"]]


def _expected_entries(name: str) -> list[dict[str, Any]]:
    data = json.loads((GENKGO / "expected_json" / f"{name}.json").read_text(encoding="utf-8"))
    return list(data["getEntries"])


def _day(value: Any) -> str | None:
    return value["0"][:10] if isinstance(value, dict) else None


@pytest.mark.parametrize("name", CASES)
def test_genkgo_entry_amounts_and_dates(name: str) -> None:
    records = _records(name)
    for expected in _expected_entries(name):
        entry = _entry(records, expected)

        assert entry.amount.minor_units() == int(_get(expected, "getAmount", "getAmount"))
        assert entry.amount.currency.code == _get(expected, "getAmount", "getCurrency", "getCode")
        assert ("CRDT" if entry.amount.amount >= 0 else "DBIT") == expected[
            "getCreditDebitIndicator"
        ]
        booking = entry.booking_date.isoformat() if entry.booking_date else None
        assert booking == _day(expected["getBookingDate"])
        value = entry.value_date.isoformat() if entry.value_date else None
        assert value == _day(expected["getValueDate"])
        assert entry.status == expected["getStatus"]
        assert entry.reversal is bool(expected["getReversalIndicator"])
        assert entry.account_servicer_reference == expected["getAccountServicerReference"]


@pytest.mark.parametrize("name", CASES)
def test_genkgo_detail_references(name: str) -> None:
    records = _records(name)
    for expected in _expected_entries(name):
        entry = _entry(records, expected)
        details = [
            expected["getTransactionDetail"] if detail == "__RECURSIVITY__" else detail
            for detail in expected["getTransactionDetails"] or []
        ]

        assert len(entry.details) == len(details)
        for ours, theirs in zip(entry.details, details, strict=True):
            assert ours.end_to_end_id == _get(theirs, "getReference", "getEndToEndId")
            remittance = theirs["getRemittanceInformation"]
            reference = _get(
                remittance, "getStructuredBlock", "getCreditorReferenceInformation", "getRef"
            ) or _get(remittance, "getCreditorReferenceInformation", "getRef")
            assert ours.creditor_reference == reference
            blocks = [
                remittance["getUnstructuredBlock"] if block == "__RECURSIVITY__" else block
                for block in _get(remittance, "getUnstructuredBlocks") or []
            ]
            assert list(ours.unstructured) == [block["getMessage"] for block in blocks]
            amount = _get(theirs, "getAmount", "getAmount")
            ours_amount = ours.amount.minor_units() if ours.amount is not None else None
            assert ours_amount == (int(amount) if amount is not None else None)


def test_genkgo_account_of_statement() -> None:
    records = _records("camt053.v2.minimal")

    assert records[0].account == "NL26VAYB8060476890"


def test_genkgo_multi_statement_both_read() -> None:
    records = _records("camt053.v2.multi.statement")

    assert [record.record_id for record in records] == [
        "253EURNL26VAYB8060476890",
        "254EURNL26VAYB8060476890",
    ]
