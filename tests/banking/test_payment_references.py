"""ISO 11649 creditor references and the invoice-number keys used to find our items."""

from __future__ import annotations

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from receivables.banking.rules.numbers import item_keys, text_keys, with_item_keys
from receivables.banking.rules.references import (
    classify,
    creditor_reference,
    format_reference,
    is_valid_rf,
    rf_body_for,
)
from receivables.banking.statements import ReferenceKind


def test_reference_of_published_example() -> None:
    assert creditor_reference("539007547034") == "RF18539007547034"


def test_reference_from_invoice_number() -> None:
    reference = creditor_reference("INV-2024/0815")

    assert reference[4:] == "INV20240815"
    assert is_valid_rf(reference)


def test_reference_is_deterministic() -> None:
    assert creditor_reference("INV-1001") == creditor_reference("INV-1001")


def test_long_number_gets_hashed_body() -> None:
    body = rf_body_for("CUSTOMER-4711-ORDER-2024-INVOICE-000123")

    assert body.startswith("H")
    assert len(body) == 21
    assert is_valid_rf(creditor_reference("CUSTOMER-4711-ORDER-2024-INVOICE-000123"))


def test_transposed_digit_fails_check() -> None:
    reference = creditor_reference("INV-2024-0123")
    transposed = reference[:-2] + reference[-1] + reference[-2]

    assert not is_valid_rf(transposed)


def test_printed_form_in_groups_of_four() -> None:
    assert format_reference("RF18539007547034") == "RF18 5390 0754 7034"


def test_classify_swiss_qr_reference() -> None:
    assert classify("539115429773825311971477453", "QRR") == ReferenceKind.QRR


def test_classify_broken_rf_as_other() -> None:
    assert classify("RF19539007547034") == ReferenceKind.OTHER


def test_text_keys_tolerate_prefix_and_zeros() -> None:
    keys = {key.key for key in text_keys("Rechnung Nr. 2024/123, danke")}

    assert item_keys("INV-2024-000123").groups in keys


def test_text_keys_skip_rf_references() -> None:
    keys = {key.key for key in text_keys("RF18539007547034")}

    assert "539007547034" not in keys


NUMBERS = st.from_regex(r"[A-Z]{0,3}[-/ ]?[0-9]{1,6}([-/.][0-9]{1,6}){0,2}", fullmatch=True)


@given(st.lists(NUMBERS, min_size=1, max_size=20))
def test_item_keys_agree_with_polars(numbers: list[str]) -> None:
    frame = with_item_keys(pl.DataFrame({"number": numbers}))
    for row in frame.iter_rows(named=True):
        single = item_keys(row["number"])

        assert row["key_alnum"] == single.alnum
        assert row["key_prefixed"] == single.prefixed
        assert row["key_groups"] == single.groups
        assert row["key_digits"] == single.digits
