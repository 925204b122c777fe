"""BAI2 cash management balance reports (BAI version 2).

Records: ``01`` file header, ``02`` group header (as-of date, currency), ``03`` account with
summary amounts, ``16`` transaction detail, ``88`` continuation of the record before, ``49``
account trailer, ``98`` group trailer, ``99`` file trailer. A record ends with ``/`` or at the
end of its physical line; the text field of a ``16`` record runs to the end of the record.

Amounts carry no decimal point: they are in the currency's minor units (cents for USD). Detail
type codes 100-399 are credits and 400-699 debits; other detail codes are rejected because
their side is not defined by the format. The account, group and file control totals and record
counts are checked, so a truncated or altered file is rejected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from receivables.banking.errors import StatementError
from receivables.banking.readers.swift_tags import decode
from receivables.banking.rules.references import classify, references_in_text
from receivables.banking.statements import BankStatement, BankTransaction, StatementFormat
from receivables.domain.errors import ReceivablesError
from receivables.domain.money import Money

RECORD_START = re.compile(r"(?:^|/\s*)(?=(?:01|02|03|16|49|88|98|99),)")
DEFAULT_CURRENCY = "USD"
CONTINUATION_KEY = re.compile(r"^([A-Z]{4}):\s*(.*)$")


@dataclass
class Record:
    code: str
    fields: list[str]
    line: int
    continuations: list[str] = field(default_factory=list)


@dataclass
class _Account:
    record: Record
    currency: str
    as_of: date
    details: list[Record] = field(default_factory=list)
    total: int = 0
    count: int = 1


def read_bai2(data: bytes, file: str) -> list[BankStatement]:
    records = _records(decode(data), file)
    return _Parser(records, file).run()


def _records(text: str, file: str) -> list[Record]:
    records: list[Record] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        pieces = [piece for piece in RECORD_START.split(line.strip()) if piece.strip()]
        for piece in pieces:
            body = piece.strip().rstrip("/").rstrip()
            code, _, rest = body.partition(",")
            if code == "88" and records:
                records[-1].continuations.append(rest)
                continue
            if code not in ("01", "02", "03", "16", "49", "98", "99"):
                raise StatementError(file, f"line {number}", f"unknown BAI2 record code {code!r}")
            records.append(Record(code, rest.split(","), number))
    if not records:
        raise StatementError(file, "line 1", "empty BAI2 file")
    return records


def _integer(record: Record, index: int, file: str, what: str, default: int | None = None) -> int:
    value = record.fields[index].strip() if index < len(record.fields) else ""
    if not value and default is not None:
        return default
    if not re.fullmatch(r"[+-]?\d+", value):
        raise StatementError(
            file, f"line {record.line}", f"invalid {what} {value!r} in record {record.code}"
        )
    return int(value)


def _date(record: Record, index: int, file: str) -> date:
    value = record.fields[index].strip() if index < len(record.fields) else ""
    try:
        return date(2000 + int(value[0:2]), int(value[2:4]), int(value[4:6]))
    except (ValueError, IndexError):
        raise StatementError(
            file, f"line {record.line}", f"invalid date {value!r} (YYMMDD)"
        ) from None


class _Parser:
    def __init__(self, records: list[Record], file: str) -> None:
        self.records = records
        self.file = file
        self.statements: list[BankStatement] = []
        self.file_id = ""

    def _fail(self, record: Record, reason: str) -> StatementError:
        return StatementError(self.file, f"line {record.line}", reason)

    def run(self) -> list[BankStatement]:
        first = self.records[0]
        if first.code != "01":
            raise self._fail(first, f"a BAI2 file starts with record 01, not {first.code}")
        self.file_id = "/".join(value.strip() for value in first.fields[:4])
        index, file_total, groups = 1, 0, 0
        while index < len(self.records) and self.records[index].code == "02":
            index, group_total = self._group(index)
            file_total += group_total
            groups += 1
        if index >= len(self.records) or self.records[index].code != "99":
            record = self.records[min(index, len(self.records) - 1)]
            raise self._fail(record, "expected a group header 02 or the file trailer 99")
        trailer = self.records[index]
        self._check(
            trailer, _integer(trailer, 0, self.file, "file control total"), file_total, "file total"
        )
        self._check(
            trailer, _integer(trailer, 1, self.file, "number of groups"), groups, "number of groups"
        )
        self._check(
            trailer,
            _integer(trailer, 2, self.file, "number of records"),
            self._physical(),
            "records",
        )
        if index + 1 != len(self.records):
            raise self._fail(self.records[index + 1], "records after the file trailer 99")
        return self.statements

    def _physical(self) -> int:
        return sum(1 + len(record.continuations) for record in self.records)

    def _check(self, record: Record, stated: int, counted: int, what: str) -> None:
        if stated != counted:
            raise self._fail(
                record, f"control {what} {stated} does not match the {counted} counted"
            )

    def _group(self, index: int) -> tuple[int, int]:
        header = self.records[index]
        as_of = _date(header, 3, self.file)
        currency = (header.fields[5].strip() if len(header.fields) > 5 else "") or DEFAULT_CURRENCY
        index += 1
        total, accounts, records = 0, 0, 1 + len(header.continuations)
        while index < len(self.records) and self.records[index].code == "03":
            account, index = self._account(index, currency, as_of)
            self.statements.append(self._statement(account))
            total += account.total
            accounts += 1
            records += account.count
        if index >= len(self.records) or self.records[index].code != "98":
            raise self._fail(
                self.records[min(index, len(self.records) - 1)],
                "expected an account 03 or the group trailer 98",
            )
        trailer = self.records[index]
        records += 1 + len(trailer.continuations)
        self._check(
            trailer, _integer(trailer, 0, self.file, "group control total"), total, "group total"
        )
        self._check(
            trailer,
            _integer(trailer, 1, self.file, "number of accounts"),
            accounts,
            "number of accounts",
        )
        self._check(
            trailer, _integer(trailer, 2, self.file, "number of records"), records, "group records"
        )
        return index + 1, total

    def _account(self, index: int, currency: str, as_of: date) -> tuple[_Account, int]:
        header = self.records[index]
        account = _Account(
            header, (header.fields[1].strip() if len(header.fields) > 1 else "") or currency, as_of
        )
        account.total += self._summary_total(header)
        account.count += len(header.continuations)
        index += 1
        while index < len(self.records) and self.records[index].code == "16":
            detail = self.records[index]
            account.details.append(detail)
            account.total += _integer(detail, 1, self.file, "amount", default=0)
            account.count += 1 + len(detail.continuations)
            index += 1
        if index >= len(self.records) or self.records[index].code != "49":
            raise self._fail(
                self.records[min(index, len(self.records) - 1)],
                "expected a detail 16 or the account trailer 49",
            )
        trailer = self.records[index]
        account.count += 1 + len(trailer.continuations)
        self._check(
            trailer,
            _integer(trailer, 0, self.file, "account control total"),
            account.total,
            "account total",
        )
        self._check(
            trailer,
            _integer(trailer, 1, self.file, "number of records"),
            account.count,
            "account records",
        )
        return account, index + 1

    def _summary_total(self, header: Record) -> int:
        """Add the amounts of the (type, amount, count, funds type) summaries of an 03 record."""
        values = header.fields[2:] + [
            value for line in header.continuations for value in line.split(",")
        ]
        total, position = 0, 0
        while position + 1 < len(values):
            type_code, amount = values[position].strip(), values[position + 1].strip()
            if not type_code:
                position += 4
                continue
            if amount:
                total += _integer(
                    Record("03", [amount], header.line), 0, self.file, "summary amount"
                )
            funds = values[position + 3].strip() if position + 3 < len(values) else ""
            position += 4 + _funds_width(funds, values, position + 4)
        return total

    def _statement(self, account: _Account) -> BankStatement:
        number = account.record.fields[0].strip()
        transactions = [
            self._transaction(detail, account, sequence)
            for sequence, detail in enumerate(account.details, start=1)
        ]
        return BankStatement(
            file=self.file,
            format=StatementFormat.BAI2,
            statement_key=f"{self.file_id}/{account.as_of.isoformat()}",
            account=number,
            currency=account.currency,
            transactions=tuple(transactions),
            from_date=account.as_of,
            to_date=account.as_of,
            position=f"line {account.record.line}",
        )

    def _transaction(self, detail: Record, account: _Account, sequence: int) -> BankTransaction:
        type_code = _integer(detail, 0, self.file, "type code")
        if 100 <= type_code <= 399:
            sign = 1
        elif 400 <= type_code <= 699:
            sign = -1
        else:
            raise self._fail(
                detail,
                f"detail type code {type_code} is neither a credit (100-399) nor a debit (400-699)",
            )
        minor = _integer(detail, 1, self.file, "amount")
        try:
            amount = Money.from_minor(minor * sign, account.currency)
        except ReceivablesError as error:
            raise self._fail(detail, str(error)) from None
        funds = detail.fields[2].strip() if len(detail.fields) > 2 else ""
        rest = 3 + _funds_width(funds, detail.fields, 3)
        value_date = _date(detail, 3, self.file) if funds == "V" else None
        bank_reference = detail.fields[rest].strip() if rest < len(detail.fields) else ""
        customer_reference = (
            detail.fields[rest + 1].strip() if rest + 1 < len(detail.fields) else ""
        )
        text = ",".join(detail.fields[rest + 2 :]).strip()
        keyed, free = _continuation_values(detail.continuations)
        remittance = " ".join(part for part in (keyed.get("REMI", ""), text, *free) if part)
        found = references_in_text(remittance)
        return BankTransaction(
            sequence=sequence,
            amount=amount,
            booking_date=account.as_of,
            value_date=value_date,
            counterparty_name=keyed.get("DBNM") if sign > 0 else keyed.get("CRNM"),
            counterparty_account=keyed.get("DACT") if sign > 0 else keyed.get("CACT"),
            remittance_text=" ".join(remittance.split()),
            structured_reference=found[0] if found else None,
            reference_kind=classify(found[0]) if found else None,
            end_to_end_id=keyed.get("EREF") or customer_reference or None,
            bank_reference=bank_reference or None,
            transaction_code=str(type_code),
            position=f"line {detail.line}",
        )


def _funds_width(funds: str, values: list[str], start: int) -> int:
    """How many fields the funds type adds: V date and time, S three amounts, D a list."""
    if funds == "V":
        return 2
    if funds == "S":
        return 3
    if funds == "D":
        count_text = values[start].strip() if start < len(values) else "0"
        count = int(count_text) if count_text.isdigit() else 0
        return 1 + 2 * count
    return 0


def _continuation_values(lines: list[str]) -> tuple[dict[str, str], list[str]]:
    keyed: dict[str, str] = {}
    free: list[str] = []
    for line in lines:
        match = CONTINUATION_KEY.match(line.strip())
        if match:
            keyed.setdefault(match.group(1), match.group(2).strip())
        elif line.strip():
            free.append(line.strip())
    return keyed, free
