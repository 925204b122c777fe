"""SWIFT MT940 customer statements and MT942 interim transaction reports.

Each message must have ``:20:``, ``:25:`` and ``:28C:`` once, then an opening balance ``:60F:``
or ``:60M:`` and a closing balance ``:62F:``/``:62M:`` (MT940), or a floor limit ``:34F:``
(MT942). Each ``:61:`` statement line may be followed by one ``:86:`` with its details; an
``:86:`` after the closing balance is information about the statement.

Amounts should carry a decimal comma; a whole amount without one (``C500NTRF``, sent by some
Dutch banks) is read as a whole number, and a transaction type need not start with N, F or S.

The ``mt-940`` package is not used: it merges every message of a file into one result, returns
no transactions instead of an error for several malformed files, and drops line numbers, while
this reader must reject a malformed file with the line at fault.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from decimal import Decimal

from receivables.banking.errors import StatementError
from receivables.banking.ibans import valid_iban
from receivables.banking.readers.mt940_details import parse_details
from receivables.banking.readers.swift_tags import Message, Tag, decode, split_messages
from receivables.banking.rules.references import classify, references_in_text
from receivables.banking.statements import BankStatement, BankTransaction, StatementFormat
from receivables.domain.errors import ReceivablesError
from receivables.domain.money import Money

STATEMENT_LINE = re.compile(
    r"""^(?P<value>\d{6})
    (?P<entry>\d{4}|\s{4})?
    (?P<mark>R?[DC])
    (?P<funds>[A-Z])?
    \n?(?P<amount>\d+(?:,\d*)?)
    (?P<type>[A-Z][A-Z0-9 ]{3})
    (?P<customer>[^\n]*?)
    (?://(?P<bank>[^\n]*))?
    (?:\n(?P<extra>.*))?$""",
    re.VERBOSE | re.DOTALL,
)
BALANCE = re.compile(
    r"^(?P<mark>[DC])(?P<date>\d{6})(?P<currency>[A-Z]{3})(?P<amount>\d+(?:,\d*)?)$"
)
FLOOR_LIMIT = re.compile(r"^(?P<currency>[A-Z]{3})[DC]?\d+(?:,\d*)?$")
REQUIRED_ONCE = ("20", "25")


def read_mt940(data: bytes, file: str) -> list[BankStatement]:
    messages = split_messages(decode(data), file)
    if not messages:
        raise StatementError(file, "line 1", "no MT940/MT942 message: the file has no :20: tag")
    return [_statement(message, file) for message in messages]


def _error(file: str, tag: Tag, reason: str) -> StatementError:
    return StatementError(file, f"line {tag.line}, tag :{tag.name}:", reason)


def _check_structure(message: Message, file: str) -> bool:
    """Check the tags a message needs; return whether it is an MT942 report."""
    for name in REQUIRED_ONCE:
        found = [tag for tag in message.tags if tag.name == name]
        if not found:
            raise StatementError(file, f"line {message.line}", f"message has no :{name}: tag")
        if len(found) > 1:
            raise _error(file, found[1], f"a second :{name}: in one message")
    if message.first("28C", "28") is None:
        raise StatementError(file, f"line {message.line}", "message has no :28C: statement number")
    is_report = message.first("34F") is not None
    if not is_report:
        if message.first("60F", "60M") is None:
            raise StatementError(
                file, f"line {message.line}", "statement has no opening balance :60F:"
            )
        if message.first("62F", "62M") is None:
            raise StatementError(
                file, f"line {message.line}", "statement has no closing balance :62F:"
            )
    return is_report


def _statement(message: Message, file: str) -> BankStatement:
    is_report = _check_structure(message, file)
    opening = _balance(message.first("60F", "60M"), file)
    closing = _balance(message.first("62F", "62M"), file)
    currency = _currency(message, opening, file)
    account_tag = message.first("25")
    assert account_tag is not None
    account = account_tag.value.strip()
    transactions, notes = _transactions(message, currency, file)
    number = message.first("28C", "28")
    reference = message.first("20")
    assert number is not None and reference is not None
    key = f"{reference.value.strip()}/{number.value.strip()}"
    dates = [transaction.booking_date for transaction in transactions]
    return BankStatement(
        file=file,
        format=StatementFormat.MT942 if is_report else StatementFormat.MT940,
        statement_key=key,
        account=valid_iban(account) or account,
        currency=currency,
        transactions=tuple(transactions),
        from_date=opening[0] if opening else (min(dates) if dates else None),
        to_date=closing[0] if closing else (max(dates) if dates else None),
        opening_balance=opening[1] if opening else None,
        closing_balance=closing[1] if closing else None,
        position=f"line {message.line}",
        notes=tuple(notes),
    )


def _currency(message: Message, opening: tuple[date, Money] | None, file: str) -> str:
    if opening is not None:
        return opening[1].currency.code
    floor = message.first("34F")
    if floor is not None:
        match = FLOOR_LIMIT.match(floor.value.strip())
        if match is None:
            raise _error(
                file, floor, f"invalid floor limit {floor.value!r}; expected e.g. EURD0,00"
            )
        return match.group("currency")
    raise StatementError(file, f"line {message.line}", "no currency: no :60F: balance and no :34F:")


def _amount(text: str, currency: str, file: str, tag: Tag) -> Money:
    try:
        money = Money.of(Decimal(text.replace(",", ".")), currency)
        money.minor_units()
    except (ReceivablesError, ArithmeticError) as error:
        raise _error(file, tag, f"invalid amount {text!r} {currency}: {error}") from None
    return money


def swift_date(text: str, file: str, tag: Tag) -> date:
    """Read ``YYMMDD``; years 00-79 are 2000-2079. Day 30 of February (interest dates of some
    German banks, which count 30 days a month) becomes the last day of February."""
    year = int(text[0:2])
    year += 2000 if year < 80 else 1900
    month, day = int(text[2:4]), int(text[4:6])
    if not 1 <= month <= 12 or not 1 <= day <= 31:
        raise _error(file, tag, f"invalid date {text!r}")
    last = calendar.monthrange(year, month)[1]
    if day > last and month == 2 and day <= 30:
        day = last
    if day > last:
        raise _error(file, tag, f"invalid date {text!r}")
    return date(year, month, day)


def _balance(tag: Tag | None, file: str) -> tuple[date, Money] | None:
    if tag is None:
        return None
    match = BALANCE.match(tag.value.strip())
    if match is None:
        raise _error(file, tag, f"invalid balance {tag.value!r}; expected e.g. C230131EUR1234,56")
    amount = _amount(match.group("amount"), match.group("currency"), file, tag)
    sign = -1 if match.group("mark") == "D" else 1
    return swift_date(match.group("date"), file, tag), amount * sign


def _transactions(
    message: Message, currency: str, file: str
) -> tuple[list[BankTransaction], list[str]]:
    transactions: list[BankTransaction] = []
    notes: list[str] = []
    tags = message.tags
    for index, tag in enumerate(tags):
        if tag.name == "86" and (index == 0 or tags[index - 1].name != "61"):
            notes.append(" ".join(tag.value.split()))
        if tag.name != "61":
            continue
        details = (
            tags[index + 1] if index + 1 < len(tags) and tags[index + 1].name == "86" else None
        )
        transactions.append(_transaction(tag, details, currency, len(transactions) + 1, file))
    return transactions, notes


def _transaction(
    tag: Tag, details: Tag | None, currency: str, sequence: int, file: str
) -> BankTransaction:
    match = STATEMENT_LINE.match(tag.value.strip(" "))
    if match is None:
        raise _error(
            file,
            tag,
            f"invalid statement line {tag.value.splitlines()[0]!r}; expected value date, "
            "D/C mark, amount with a decimal comma and a transaction type such as NTRF",
        )
    value_date = swift_date(match.group("value"), file, tag)
    booking_date = _entry_date(match.group("entry"), value_date)
    mark = match.group("mark")
    sign = -1 if mark in ("D", "RC") else 1
    amount = _amount(match.group("amount"), currency, file, tag) * sign
    parsed = parse_details(details.value if details else "")
    customer = (match.group("customer") or "").strip()
    extra = " ".join((match.group("extra") or "").split())
    reference = parsed.creditor_reference
    if reference is None:
        found = references_in_text(parsed.purpose)
        reference = found[0] if found else None
    return BankTransaction(
        sequence=sequence,
        amount=amount,
        booking_date=booking_date,
        value_date=value_date,
        counterparty_name=parsed.name,
        counterparty_account=parsed.account,
        counterparty_iban=valid_iban(parsed.account),
        counterparty_bic=parsed.bic,
        remittance_text=" ".join(part for part in (parsed.purpose, extra) if part),
        structured_reference=reference,
        reference_kind=classify(reference) if reference else None,
        end_to_end_id=parsed.end_to_end_id
        or (customer if customer not in ("", "NONREF") else None),
        bank_reference=(match.group("bank") or "").strip() or None,
        transaction_code=match.group("type").strip() or parsed.code,
        reversal=mark.startswith("R"),
        position=f"line {tag.line}",
    )


def _entry_date(text: str | None, value_date: date) -> date:
    """The booking date from ``MMDD``, in the year that puts it nearest the value date."""
    if text is None or not text.strip():
        return value_date
    month, day = int(text[:2]), int(text[2:])
    candidates = []
    for year in (value_date.year - 1, value_date.year, value_date.year + 1):
        last = calendar.monthrange(year, month)[1] if 1 <= month <= 12 else 0
        if 1 <= day <= max(last, 0) or (month == 2 and day <= 30 and last):
            candidates.append(date(year, month, min(day, last)))
    if not candidates:
        return value_date
    return min(candidates, key=lambda candidate: abs((candidate - value_date).days))
