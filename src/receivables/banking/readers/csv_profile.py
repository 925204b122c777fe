"""CSV bank exports read through a mapping profile.

The ledger importer's profiles map columns onto ledger record types (customers, documents,
allocations), so bank files use their own small profile: a ``[bank_profiles.NAME]`` table in
the config file or in a TOML file given with ``--profiles-file``. ``docs/cash-application.md``
lists every key; this one reads a German online-banking export::

    [bank_profiles.sparkasse]
    delimiter = ";"
    encoding = "iso-8859-1"
    date_format = "%d.%m.%Y"
    decimal_separator = ","
    thousands_separator = "."
    account = "DE89370400440532013000"
    currency = "EUR"

    [bank_profiles.sparkasse.columns]
    booking_date = "Buchungstag"
    value_date = "Valutadatum"
    amount = "Betrag"
    counterparty_name = "Beguenstigter/Zahlungspflichtiger"
    counterparty_account = "Kontonummer/IBAN"
    remittance_text = "Verwendungszweck"

``amount`` is a signed column; a file with separate credit and debit columns maps ``credit`` and
``debit`` instead (both as positive numbers).
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from receivables.banking.errors import StatementError
from receivables.banking.ibans import valid_iban
from receivables.banking.rules.references import classify, references_in_text
from receivables.banking.statements import BankStatement, BankTransaction, StatementFormat
from receivables.domain.errors import ReceivablesError
from receivables.domain.money import Money
from receivables.importers.formats import number_pattern

COLUMN_FIELDS = (
    "booking_date",
    "value_date",
    "amount",
    "credit",
    "debit",
    "currency",
    "counterparty_name",
    "counterparty_account",
    "counterparty_bic",
    "remittance_text",
    "structured_reference",
    "end_to_end_id",
    "bank_reference",
    "transaction_code",
    "account",
)
SCALAR_KEYS = {
    "description": str,
    "delimiter": str,
    "encoding": str,
    "skip_rows": int,
    "date_format": str,
    "decimal_separator": str,
    "thousands_separator": str,
    "account": str,
    "currency": str,
}


class BankProfileError(ReceivablesError, ValueError):
    """A bank CSV profile is missing or has an invalid key."""


@dataclass(frozen=True)
class BankCsvProfile:
    """How the columns of one bank's CSV export map onto a bank transaction."""

    name: str
    columns: Mapping[str, str]
    delimiter: str = ","
    encoding: str = "utf-8"
    skip_rows: int = 0
    date_format: str = "%Y-%m-%d"
    decimal_separator: str = "."
    thousands_separator: str = ""
    account: str | None = None
    currency: str | None = None
    description: str = ""


def parse_bank_profile(name: str, table: Mapping[str, Any], source: str) -> BankCsvProfile:
    """Check one ``[bank_profiles.NAME]`` table; raise :class:`BankProfileError` naming the key."""
    where = f"bank profile {name!r} ({source})"
    for key, value in table.items():
        if key == "columns":
            continue
        if key not in SCALAR_KEYS:
            raise BankProfileError(
                f"{where}: unknown key {key!r}; use one of columns, {', '.join(SCALAR_KEYS)}"
            )
        if not isinstance(value, SCALAR_KEYS[key]) or isinstance(value, bool):
            raise BankProfileError(f"{where}: {key} must be a {SCALAR_KEYS[key].__name__}")
    columns = table.get("columns")
    if not isinstance(columns, Mapping):
        raise BankProfileError(f"{where}: missing table [bank_profiles.{name}.columns]")
    for key, value in columns.items():
        if key not in COLUMN_FIELDS:
            raise BankProfileError(
                f"{where}: unknown column field {key!r}; use one of {', '.join(COLUMN_FIELDS)}"
            )
        if not isinstance(value, str) or not value.strip():
            raise BankProfileError(f"{where}: columns.{key} must name a column")
    if "booking_date" not in columns:
        raise BankProfileError(f"{where}: columns.booking_date is required")
    if "amount" not in columns and not ("credit" in columns and "debit" in columns):
        raise BankProfileError(
            f"{where}: map columns.amount, or both columns.credit and columns.debit"
        )
    if "currency" not in columns and not table.get("currency"):
        raise BankProfileError(f"{where}: give a currency, or map columns.currency")
    if "account" not in columns and not table.get("account"):
        raise BankProfileError(f"{where}: give the account, or map columns.account")
    delimiter = table.get("delimiter", ",")
    if len(delimiter) != 1:
        raise BankProfileError(f"{where}: delimiter must be one character")
    values = {key: table[key] for key in SCALAR_KEYS if key in table}
    return BankCsvProfile(name=name, columns=dict(columns), **values)


def load_bank_profiles(tables: Mapping[str, Any], source: str) -> dict[str, BankCsvProfile]:
    return {name: parse_bank_profile(name, table, source) for name, table in tables.items()}


def load_bank_profiles_file(path: Path) -> dict[str, BankCsvProfile]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise BankProfileError(f"bank profiles file {path} cannot be read: {error}") from None
    return load_bank_profiles(data.get("bank_profiles", {}), str(path))


def read_bank_csv(data: bytes, file: str, profile: BankCsvProfile) -> list[BankStatement]:
    try:
        text = data.decode(profile.encoding).lstrip("\ufeff")
    except (UnicodeDecodeError, LookupError) as error:
        raise StatementError(
            file, "", f"cannot decode the file as {profile.encoding}: {error}"
        ) from None
    lines = text.splitlines()[profile.skip_rows :]
    reader = csv.DictReader(io.StringIO("\n".join(lines)), delimiter=profile.delimiter)
    header = reader.fieldnames or []
    missing = [column for column in profile.columns.values() if column not in header]
    if missing:
        raise StatementError(
            file,
            f"line {profile.skip_rows + 1}",
            f"missing columns {missing} (profile {profile.name!r})",
        )
    by_account: dict[str, list[BankTransaction]] = {}
    for row in reader:
        line = profile.skip_rows + reader.line_num
        if not any((value or "").strip() for value in row.values()):
            continue
        account, transaction = _row(
            row, line, file, profile, sum(map(len, by_account.values())) + 1
        )
        by_account.setdefault(account, []).append(transaction)
    statements = []
    for account, transactions in by_account.items():
        dates = [transaction.booking_date for transaction in transactions]
        statements.append(
            BankStatement(
                file=file,
                format=StatementFormat.CSV,
                statement_key=f"{profile.name}/{min(dates)}/{max(dates)}",
                account=valid_iban(account) or account,
                currency=transactions[0].amount.currency.code,
                transactions=tuple(transactions),
                from_date=min(dates),
                to_date=max(dates),
                position=f"line {profile.skip_rows + 1}",
            )
        )
    return statements


def _cell(row: Mapping[str, str | None], profile: BankCsvProfile, name: str) -> str:
    column = profile.columns.get(name)
    return (row.get(column) or "").strip() if column else ""


def _decimal(text: str, profile: BankCsvProfile) -> Decimal:
    """Read an amount written with the profile's separators; raise InvalidOperation otherwise.

    The ledger importer's rule applies: a thousands separator must group digits by three, since
    ``1.2345,00`` means the file uses other separators than the profile states.
    """
    compact = text.replace(" ", "").replace("\u00a0", "")
    if not re.fullmatch(number_pattern(profile.decimal_separator, profile.thousands_separator), compact):
        raise InvalidOperation(text)
    cleaned = compact.replace(profile.thousands_separator, "") if profile.thousands_separator else compact
    return Decimal(cleaned.replace(profile.decimal_separator, "."))


def _row(
    row: Mapping[str, str | None], line: int, file: str, profile: BankCsvProfile, sequence: int
) -> tuple[str, BankTransaction]:
    def fail(column: str, reason: str) -> StatementError:
        return StatementError(
            file, f"line {line}, column {profile.columns.get(column, column)!r}", reason
        )

    def parse_date(name: str) -> date | None:
        text = _cell(row, profile, name)
        if not text:
            return None
        try:
            return datetime.strptime(text, profile.date_format).date()
        except ValueError:
            raise fail(
                name, f"invalid date {text!r}; the profile expects {profile.date_format}"
            ) from None

    booking = parse_date("booking_date")
    if booking is None:
        raise fail("booking_date", "missing booking date")
    currency = _cell(row, profile, "currency") or profile.currency or ""
    if "amount" in profile.columns:
        cells = {"amount": _cell(row, profile, "amount")}
    else:
        cells = {"credit": _cell(row, profile, "credit"), "debit": _cell(row, profile, "debit")}
    values: dict[str, Decimal] = {}
    for field, cell in cells.items():
        try:
            values[field] = _decimal(cell, profile) if cell else Decimal(0)
        except InvalidOperation:
            raise fail(field, f"{cell!r} is not an amount") from None
    value = values["amount"] if "amount" in values else values["credit"] - values["debit"]
    try:
        amount = Money.of(value, currency)
        amount.minor_units()
    except ReceivablesError as error:
        raise fail("amount", f"invalid amount or currency: {error}") from None
    text = _cell(row, profile, "remittance_text")
    reference = _cell(row, profile, "structured_reference") or next(
        iter(references_in_text(text)), ""
    )
    account_text = _cell(row, profile, "counterparty_account")
    transaction = BankTransaction(
        sequence=sequence,
        amount=amount,
        booking_date=booking,
        value_date=parse_date("value_date"),
        counterparty_name=_cell(row, profile, "counterparty_name") or None,
        counterparty_account=account_text or None,
        counterparty_iban=valid_iban(account_text),
        counterparty_bic=_cell(row, profile, "counterparty_bic") or None,
        remittance_text=" ".join(text.split()),
        structured_reference=reference or None,
        reference_kind=classify(reference) if reference else None,
        end_to_end_id=_cell(row, profile, "end_to_end_id") or None,
        bank_reference=_cell(row, profile, "bank_reference") or None,
        transaction_code=_cell(row, profile, "transaction_code") or None,
        position=f"line {line}",
    )
    return _cell(row, profile, "account") or profile.account or "", transaction
