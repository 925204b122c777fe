"""Writing camt.053.001.08 statements: for the demo, the benchmark and tests of the readers.

The output holds what the reader needs and a bank sends: group header, statement id, account,
opening and closing booked balances, and per transaction an entry with amount, credit/debit
indicator, status, booking and value date, the bank's reference, the debtor's name and IBAN,
an end-to-end id, unstructured remittance text and a structured creditor reference.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from collections.abc import Sequence
from datetime import date, datetime

from receivables.banking.statements import BankTransaction
from receivables.domain.money import Money, total

NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"


def _add(
    parent: ElementTree.Element, tag: str, text: str | None = None, **attributes: str
) -> ElementTree.Element:
    element = ElementTree.SubElement(parent, tag, attributes)
    if text is not None:
        element.text = text
    return element


def _amount(parent: ElementTree.Element, tag: str, money: Money) -> None:
    _add(parent, tag, f"{abs(money.amount):.{money.currency.minor_unit}f}", Ccy=money.currency.code)


def _balance(parent: ElementTree.Element, code: str, money: Money, day: date) -> None:
    balance = _add(parent, "Bal")
    _add(_add(_add(balance, "Tp"), "CdOrPrtry"), "Cd", code)
    _amount(balance, "Amt", money)
    _add(balance, "CdtDbtInd", "CRDT" if money.amount >= 0 else "DBIT")
    _add(_add(balance, "Dt"), "Dt", day.isoformat())


def _entry(statement: ElementTree.Element, transaction: BankTransaction) -> None:
    entry = _add(statement, "Ntry")
    _amount(entry, "Amt", transaction.amount)
    _add(entry, "CdtDbtInd", "CRDT" if transaction.is_credit else "DBIT")
    _add(_add(entry, "Sts"), "Cd", "BOOK")
    _add(_add(entry, "BookgDt"), "Dt", transaction.booking_date.isoformat())
    _add(
        _add(entry, "ValDt"), "Dt", (transaction.value_date or transaction.booking_date).isoformat()
    )
    if transaction.bank_reference:
        _add(entry, "AcctSvcrRef", transaction.bank_reference)
    details = _add(_add(entry, "NtryDtls"), "TxDtls")
    _add(_add(details, "Refs"), "EndToEndId", transaction.end_to_end_id or "NOTPROVIDED")
    parties = _add(details, "RltdPties")
    if transaction.counterparty_name:
        _add(_add(_add(parties, "Dbtr"), "Pty"), "Nm", transaction.counterparty_name)
    if transaction.counterparty_iban:
        _add(_add(_add(parties, "DbtrAcct"), "Id"), "IBAN", transaction.counterparty_iban)
    remittance = _add(details, "RmtInf")
    if transaction.remittance_text:
        _add(remittance, "Ustrd", transaction.remittance_text[:140])
    if transaction.structured_reference:
        reference = _add(_add(remittance, "Strd"), "CdtrRefInf")
        _add(_add(_add(reference, "Tp"), "CdOrPrtry"), "Cd", "SCOR")
        _add(reference, "Ref", transaction.structured_reference)


def write_camt053(
    statement_id: str,
    account_iban: str,
    opening: Money,
    transactions: Sequence[BankTransaction],
    created: datetime,
) -> bytes:
    """Render one camt.053 statement of ``transactions``; the closing balance adds them up."""
    root = ElementTree.Element("Document", xmlns=NAMESPACE)
    message = _add(root, "BkToCstmrStmt")
    header = _add(message, "GrpHdr")
    _add(header, "MsgId", statement_id)
    _add(header, "CreDtTm", created.isoformat(timespec="seconds"))
    statement = _add(message, "Stmt")
    _add(statement, "Id", statement_id)
    _add(statement, "CreDtTm", created.isoformat(timespec="seconds"))
    account = _add(statement, "Acct")
    _add(_add(account, "Id"), "IBAN", account_iban)
    _add(account, "Ccy", opening.currency.code)
    days = [transaction.booking_date for transaction in transactions] or [created.date()]
    closing = opening + total(
        (t.amount for t in transactions if t.amount.currency == opening.currency), opening.currency
    )
    _balance(statement, "OPBD", opening, min(days))
    _balance(statement, "CLBD", closing, max(days))
    for transaction in transactions:
        _entry(statement, transaction)
    ElementTree.indent(root)
    body: bytes = ElementTree.tostring(root, encoding="utf-8")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body
