"""Mapping profiles: a foreign ERP export imported without code, and checks of the profile itself."""

from __future__ import annotations

from decimal import Decimal

import pytest
from import_helpers import TEST_DATA, stored_documents

from receivables.config import Settings
from receivables.importers import ProfileError, find_profile
from receivables.importers.profiles import parse_profile
from receivables.storage.frames import load_customers

FOREIGN_EXPORT = TEST_DATA / "import" / "foreign-erp.csv"
FOREIGN_PROFILES = TEST_DATA / "import" / "foreign-erp.toml"
GERMAN_COMPANY = Settings(company_currency="EUR", profiles_file=FOREIGN_PROFILES)


@pytest.fixture
def foreign(engine, run_import):
    return run_import(FOREIGN_EXPORT, profile="erp-de", settings=GERMAN_COMPANY)


def test_foreign_export_imported(engine, foreign):
    documents = stored_documents(engine)

    assert foreign.ok
    assert documents["number"].to_list() == ["0004711", "0004712", "0004713", "ZE-0815"]
    assert documents["kind"].to_list() == ["invoice", "invoice", "invoice", "payment"]


def test_comma_decimals_dot_thousands(engine, foreign):
    amounts = dict(stored_documents(engine).select("number", "amount_minor").iter_rows())

    assert amounts == {"0004711": 119_000, "0004712": 1_234_567, "0004713": 25_050, "ZE-0815": 100_000}


def test_day_month_dates(engine, foreign):
    invoice = stored_documents(engine).filter(number="0004711").row(0, named=True)

    assert invoice["document_date"].isoformat() == "2024-01-05"
    assert invoice["due_date"].isoformat() == "2024-02-04"


def test_foreign_rate_with_comma(engine, foreign):
    invoice = stored_documents(engine).filter(number="0004713").row(0, named=True)

    assert Decimal(invoice["fx_rate_scaled"]) / 10**10 == Decimal("1.0642")


def test_windows_text_and_quotes(engine, foreign):
    customers = dict(load_customers(engine).select("customer_code", "name").iter_rows())

    assert customers == {"K100": "Müller GmbH", "K200": "Bäckerei Groß AG"}
    assert load_customers(engine)["country"].to_list() == ["DE", "DE"]


def test_profile_from_config_table(engine, run_import, write_file):
    export = write_file(
        "ar.csv",
        "Kd;Nr;Datum;Betrag;DC\nK1;4711;31.01.2024;100,00;C\nK1;4712;31.01.2024;-25,50;D\nK1;4713;01.02.2024;1.234,56-;D\n",
    )
    config = {
        "signed": {
            "record_type": "documents",
            "date_format": "%d.%m.%Y",
            "decimal_separator": ",",
            "thousands_separator": ".",
            "customers_from_rows": True,
            "columns": {
                "customer_code": "Kd",
                "number": "Nr",
                "document_date": "Datum",
                "amount": "Betrag",
                "sign": "DC",
            },
            "constants": {"currency": "EUR"},
            "values": {"sign": {"D": "+", "C": "-"}},
            "kind_from_sign": {"positive": "invoice", "negative": "credit_note"},
        }
    }

    result = run_import(export, profile="signed", settings=Settings(company_currency="EUR", profiles=config))
    documents = stored_documents(engine).select("kind", "number", "amount_minor").rows()

    assert result.ok
    assert documents == [
        ("credit_note", "4711", 10_000),
        ("credit_note", "4712", 2_550),
        ("credit_note", "4713", 123_456),
    ]


def test_settlement_from_profile(engine, run_import, write_file):
    export = write_file(
        "paid.csv",
        "cust,inv,date,due,total,paid_on,paid\nC1,A-1,2024-01-05,2024-02-04,100.00,2024-01-31,60.00\nC1,A-2,2024-01-06,2024-02-05,50.00,,\n",
    )
    config = {
        "paid": {
            "record_type": "documents",
            "customers_from_rows": True,
            "columns": {
                "customer_code": "cust",
                "number": "inv",
                "document_date": "date",
                "due_date": "due",
                "amount": "total",
            },
            "constants": {"kind": "invoice", "currency": "EUR"},
            "settlement": {"date": "paid_on", "amount": "paid", "kind": "payment", "number": "P-{inv}"},
        }
    }

    result = run_import(export, profile="paid", settings=Settings(company_currency="EUR", profiles=config))
    documents = stored_documents(engine).select("kind", "number", "amount_minor").rows()

    assert result.ok
    assert documents == [("invoice", "A-1", 10_000), ("invoice", "A-2", 5_000), ("payment", "P-A-1", 6_000)]


def test_unknown_profile_name():
    with pytest.raises(
        ProfileError, match=r"profile 'nope' not found; available profiles: .*generic.*ibm-ar"
    ):
        find_profile("nope", Settings())


def test_profile_file_missing(tmp_path):
    with pytest.raises(ProfileError, match="cannot be read"):
        find_profile("x", Settings(profiles_file=tmp_path / "none.toml"))


def test_profile_file_not_toml(tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text("[profiles.x\n", encoding="utf-8")

    with pytest.raises(ProfileError, match="is not valid TOML"):
        find_profile("x", Settings(profiles_file=broken))


INVALID_PROFILES = [
    ({"delimeter": ";"}, "unknown key 'delimeter'; did you mean 'delimiter'?"),
    ({"record_type": "invoices"}, "record_type 'invoices' is invalid"),
    ({"delimiter": ";;"}, "delimiter ';;' must be one character"),
    ({"encoding": "latin-9x"}, "encoding 'latin-9x' is unknown"),
    ({"date_format": "%m/%Y"}, "date_format '%m/%Y' does not read back the dates it writes"),
    (
        {"decimal_separator": ",", "thousands_separator": ","},
        "decimal_separator and thousands_separator must differ",
    ),
    ({"decimal_separator": ";"}, "decimal_separator ';' is invalid"),
    ({"skip_rows": -1}, "skip_rows -1 must be 0 or more"),
    ({"customers_from_rows": "yes"}, "customers_from_rows must be true or false"),
    ({"columns": {"amout": "Betrag"}}, "unknown key 'amout' in columns; did you mean 'amount'?"),
    ({"columns": {"amount": ""}}, "columns.amount must not be empty"),
    ({"columns": {"amount": "A"}, "constants": {"amount": "1"}}, "field 'amount' is given more than once"),
    ({"constants": {"kind": "bill"}}, "constants.kind 'bill' is invalid"),
    ({"constants": {"currency": "EURO"}}, "constants.currency 'EURO' is not an ISO 4217 code"),
    ({"templates": {"segment": "country {code"}}, "has an unmatched brace"),
    ({"values": {"kind": "S"}}, "values.kind must be a table of code = value"),
    (
        {"kind_from_sign": {"positive": "payment", "negative": "credit_note"}},
        "kind_from_sign.positive 'payment' must be a debit kind",
    ),
    ({"settlement": {"kind": "payment"}}, "settlement.date must name the column"),
    ({"settlement": {"date": "Paid", "kind": "invoice"}}, "settlement.kind 'invoice' must be a credit kind"),
    (
        {"record_type": "customers", "customers_from_rows": True},
        'customers_from_rows needs record_type = "documents"',
    ),
    ({"sheet": 0}, "sheet 0 must be a sheet name or a position from 1"),
]


@pytest.mark.parametrize(
    ("table", "message"), INVALID_PROFILES, ids=[case[1][:40] for case in INVALID_PROFILES]
)
def test_invalid_profile_rejected(table, message):
    with pytest.raises(ProfileError) as raised:
        parse_profile("broken", table, "receivables.toml")

    assert message in str(raised.value)
    assert str(raised.value).startswith("profile 'broken' (receivables.toml): ")


def test_profile_name_checked():
    with pytest.raises(ProfileError, match="the name must be 1-64 letters"):
        parse_profile("no spaces", {}, "receivables.toml")


def test_config_profile_replaces_builtin():
    replaced = find_profile("ibm-ar", Settings(profiles={"ibm-ar": {"delimiter": ";"}}))

    assert replaced.delimiter == ";"
    assert replaced.source == "config"


def test_builtin_profiles_valid():
    ibm = find_profile("ibm-ar", Settings())

    assert ibm.settlement is not None
    assert ibm.settlement.date_column == "SettledDate"
    assert ibm.constants == {"kind": "invoice", "currency": "USD"}
