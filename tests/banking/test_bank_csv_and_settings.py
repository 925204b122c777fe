"""CSV bank exports through a profile, and the matching settings from file and environment."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from receivables.banking.errors import StatementError
from receivables.banking.readers import read_statement_file
from receivables.banking.readers.csv_profile import (
    BankProfileError,
    load_bank_profiles_file,
    parse_bank_profile,
)
from receivables.banking.rules.settings import ShortPayment
from receivables.banking.settings import load_match_settings
from receivables.banking.statements import ReferenceKind
from receivables.config import ConfigError

CSV = Path(__file__).resolve().parents[1] / "data" / "bank" / "csv"


def _profile():  # type: ignore[no-untyped-def]
    return load_bank_profiles_file(CSV / "profiles.toml")["sparkasse"]


def test_csv_amounts_and_dates() -> None:
    statement = read_statement_file(CSV / "sparkasse.csv", profile=_profile())[0]
    amounts = [t.amount.amount for t in statement.transactions]

    assert amounts == [Decimal("1000.00"), Decimal("-12.50"), Decimal("250.00")]
    assert statement.transactions[1].value_date == date(2024, 3, 16)
    assert statement.account == "DE02120300000000202051"


def test_csv_iban_and_reference() -> None:
    third = read_statement_file(CSV / "sparkasse.csv", profile=_profile())[0].transactions[2]

    assert third.counterparty_iban == "DE89370400440532013000"
    assert third.structured_reference == "RF06INV1001"
    assert third.reference_kind == ReferenceKind.RF


def test_csv_wrong_thousands_grouping_rejected(tmp_path: Path) -> None:
    path = tmp_path / "grouping.csv"
    text = (CSV / "sparkasse.csv").read_text().replace("1.000,00", "1.0000,00")
    path.write_text(text)

    with pytest.raises(StatementError) as raised:
        read_statement_file(path, profile=_profile())

    assert raised.value.position == "line 2, column 'Betrag'"
    assert "'1.0000,00' is not an amount" in str(raised.value)


def test_csv_bad_amount_names_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    text = (CSV / "sparkasse.csv").read_text().replace("250,00", "zwei")
    path.write_text(text)

    with pytest.raises(StatementError) as raised:
        read_statement_file(path, profile=_profile())

    assert raised.value.position == "line 4, column 'Betrag'"
    assert "'zwei' is not an amount" in str(raised.value)


def test_profile_unknown_key_rejected() -> None:
    with pytest.raises(BankProfileError, match="unknown column field 'amout'"):
        parse_bank_profile("x", {"currency": "EUR", "account": "A", "columns": {"amout": "B"}}, "test")


def test_profile_needs_amount_column() -> None:
    with pytest.raises(BankProfileError, match=r"columns\.amount"):
        parse_bank_profile("x", {"currency": "EUR", "account": "A", "columns": {"booking_date": "D"}}, "test")


def test_settings_from_environment() -> None:
    settings = load_match_settings(
        {
            "RECEIVABLES_BANK_AUTO_APPLY_CONFIDENCE": "0.95",
            "RECEIVABLES_BANK_SHORT_PAYMENT": "deduction",
            "RECEIVABLES_BANK_SUBSET_MAX_SIZE": "3",
        }
    )

    assert settings.auto_apply_confidence == Decimal("0.95")
    assert settings.short_payment == ShortPayment.DEDUCTION
    assert settings.subset_max_size == 3
    assert settings.subset_max_items == 60


def test_settings_from_config_file(tmp_path: Path) -> None:
    config = tmp_path / "receivables.toml"
    config.write_text('[banking]\ndiscount_rates = "2"\nfee_tolerance = "0.50"\n')

    settings = load_match_settings({"RECEIVABLES_CONFIG": str(config)})

    assert settings.discount_rates == (Decimal("2"),)
    assert settings.fee_tolerance == Decimal("0.50")


def test_settings_invalid_value_named() -> None:
    with pytest.raises(ConfigError, match="suggest_confidence"):
        load_match_settings({"RECEIVABLES_BANK_SUGGEST_CONFIDENCE": "0.99"})
    with pytest.raises(ConfigError, match="subset_max_items = 100 must lie between 2 and 62"):
        load_match_settings({"RECEIVABLES_BANK_SUBSET_MAX_ITEMS": "100"})
