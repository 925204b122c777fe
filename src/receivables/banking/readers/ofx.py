"""OFX bank and credit card statements: OFX 1.x (SGML) and OFX 2.x (XML).

Both are read by one tokenizer that never resolves entities or document types: it only knows
tags, text and the five predefined XML entities, so it cannot be made to read other files or
expand entities. An element followed by text is a value whose end tag may be missing (SGML);
an element followed by another tag is an aggregate that must be closed.

Each ``STMTRS`` (bank) or ``CCSTMTRS`` (card) becomes one statement; each ``STMTTRN`` one
transaction with its signed ``TRNAMT``, ``DTPOSTED``, ``FITID``, ``NAME``/``PAYEE`` and ``MEMO``.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from receivables.banking.errors import StatementError
from receivables.banking.readers.swift_tags import decode
from receivables.banking.rules.references import classify, references_in_text
from receivables.banking.statements import BankStatement, BankTransaction, StatementFormat
from receivables.domain.errors import ReceivablesError
from receivables.domain.money import Money

TOKEN = re.compile(r"<(/?)([A-Za-z0-9_.]+)\s*/?>|<[?!][^>]*>|([^<]+)")
OFX_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})")
ENTITIES = re.compile(r"&(amp|lt|gt|quot|apos);")


@dataclass
class Node:
    """An OFX element: aggregates have children, values have text."""

    name: str
    line: int
    text: str | None = None
    children: list[Node] = field(default_factory=list)

    def child(self, name: str) -> Node | None:
        return next((node for node in self.children if node.name == name), None)

    def value(self, name: str) -> str | None:
        node = self.child(name)
        return node.text if node is not None else None

    def descendants(self, name: str) -> list[Node]:
        found = []
        for node in self.children:
            if node.name == name:
                found.append(node)
            found.extend(node.descendants(name))
        return found


def _tokens(text: str, file: str) -> list[tuple[str, str, int]]:
    """(kind, value, line) for each start tag, end tag and text run of the body."""
    if "<!DOCTYPE" in text.upper() or "<!ENTITY" in text.upper():
        raise StatementError(
            file, "", "document type and entity declarations are not allowed in OFX files"
        )
    start = text.find("<OFX>") if "<OFX>" in text else text.upper().find("<OFX>")
    if start < 0:
        raise StatementError(file, "line 1", "no <OFX> element")
    line = text.count("\n", 0, start) + 1
    tokens = []
    for match in TOKEN.finditer(text, start):
        here = line + text.count("\n", start, match.start())
        if match.group(2):
            tokens.append(("end" if match.group(1) else "start", match.group(2).upper(), here))
        elif match.group(3) and match.group(3).strip():
            value = ENTITIES.sub(
                lambda entity: html.unescape(entity.group(0)), match.group(3).strip()
            )
            tokens.append(("text", value, here))
    return tokens


def parse_tree(text: str, file: str) -> Node:
    """Build the element tree; raise with the line of an unbalanced or misplaced tag."""
    tokens = _tokens(text, file)
    root = Node("#root", 0)
    stack = [root]
    index = 0
    while index < len(tokens):
        kind, value, line = tokens[index]
        if kind == "start":
            following = tokens[index + 1] if index + 1 < len(tokens) else None
            if following is not None and following[0] == "text":
                stack[-1].children.append(Node(value, line, following[1]))
                index += 2
                if index < len(tokens) and tokens[index][:2] == ("end", value):
                    index += 1
                continue
            node = Node(value, line)
            stack[-1].children.append(node)
            stack.append(node)
        elif kind == "end":
            _close(stack, value, line, file)
        else:
            raise StatementError(file, f"line {line}", f"text {value[:30]!r} outside any element")
        index += 1
    if len(stack) > 1:
        raise StatementError(
            file, f"line {stack[-1].line}", f"element <{stack[-1].name}> is never closed"
        )
    return root


def _close(stack: list[Node], name: str, line: int, file: str) -> None:
    if stack[-1].name == name:
        stack.pop()
        return
    # An empty value element written <TAG></TAG> closes itself.
    last = stack[-1].children[-1] if stack[-1].children else None
    if last is not None and last.name == name and not last.children:
        return
    raise StatementError(
        file, f"line {line}", f"</{name}> does not close the open element <{stack[-1].name}>"
    )


def read_ofx(data: bytes, file: str) -> list[BankStatement]:
    root = parse_tree(decode(data), file)
    statements = [*root.descendants("STMTRS"), *root.descendants("CCSTMTRS")]
    if not statements:
        raise StatementError(
            file, "", "no bank (STMTRS) or card (CCSTMTRS) statement in the OFX file"
        )
    return [_statement(node, file) for node in statements]


def _date(text: str | None, node: Node, file: str, what: str) -> date:
    match = OFX_DATE.match(text or "")
    if match is None:
        raise StatementError(
            file, f"line {node.line}, element {what}", f"missing or invalid date {text!r}"
        )
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        raise StatementError(
            file, f"line {node.line}, element {what}", f"invalid date {text!r}"
        ) from None


def _amount(text: str | None, currency: str, node: Node, file: str) -> Money:
    try:
        money = Money.of(Decimal((text or "").replace(",", ".")), currency)
        money.minor_units()
    except (InvalidOperation, ReceivablesError):
        raise StatementError(
            file, f"line {node.line}, element TRNAMT", f"invalid amount {text!r}"
        ) from None
    return money


def _statement(node: Node, file: str) -> BankStatement:
    currency = node.value("CURDEF") or _transaction_currency(node)
    if currency is None:
        raise StatementError(
            file, f"line {node.line}, element CURDEF", "the statement names no currency (CURDEF)"
        )
    account_node = node.child("BANKACCTFROM") or node.child("CCACCTFROM")
    account = (account_node.value("ACCTID") if account_node else None) or "unknown"
    bank_list = node.child("BANKTRANLIST")
    transactions = []
    if bank_list is not None:
        for sequence, item in enumerate(bank_list.descendants("STMTTRN"), start=1):
            transactions.append(_transaction(item, currency, sequence, file))
    start = (
        _date(bank_list.value("DTSTART"), bank_list, file, "DTSTART")
        if bank_list and bank_list.value("DTSTART")
        else None
    )
    end = (
        _date(bank_list.value("DTEND"), bank_list, file, "DTEND")
        if bank_list and bank_list.value("DTEND")
        else None
    )
    closing = None
    notes = []
    balance = node.child("LEDGERBAL")
    if balance is not None and balance.value("BALAMT") is not None:
        closing = _amount(balance.value("BALAMT"), currency, balance, file)
    elif balance is not None:
        notes.append(f"the ledger balance at line {balance.line} has no amount")
    key = f"{account}/{start or ''}/{end or ''}"
    return BankStatement(
        file=file,
        format=StatementFormat.OFX,
        statement_key=key,
        account=account,
        currency=currency,
        transactions=tuple(transactions),
        from_date=start,
        to_date=end,
        closing_balance=closing,
        position=f"line {node.line}",
        notes=tuple(notes),
    )


def _transaction_currency(node: Node) -> str | None:
    """The currency symbol of the first transaction, for statements with an empty CURDEF."""
    for item in node.descendants("STMTTRN"):
        currency = item.child("CURRENCY") or item.child("ORIGCURRENCY")
        if currency is not None and currency.value("CURSYM"):
            return currency.value("CURSYM")
    return None


def _transaction(node: Node, currency: str, sequence: int, file: str) -> BankTransaction:
    amount_node = node.child("TRNAMT")
    if amount_node is None:
        raise StatementError(
            file, f"line {node.line}, element STMTTRN", "transaction without TRNAMT"
        )
    amount = _amount(amount_node.text, currency, amount_node, file)
    posted = node.child("DTPOSTED")
    if posted is None:
        raise StatementError(
            file, f"line {node.line}, element STMTTRN", "transaction without DTPOSTED"
        )
    booking = _date(posted.text, posted, file, "DTPOSTED")
    user_date = node.child("DTUSER")
    memo = node.value("MEMO") or ""
    payee = node.child("PAYEE")
    name = node.value("NAME") or (payee.value("NAME") if payee is not None else None)
    account_to = node.child("BANKACCTTO")
    reference = node.value("REFNUM")
    found = references_in_text(f"{memo} {reference or ''}")
    return BankTransaction(
        sequence=sequence,
        amount=amount,
        booking_date=booking,
        value_date=_date(user_date.text, user_date, file, "DTUSER")
        if user_date is not None
        else None,
        counterparty_name=name,
        counterparty_account=account_to.value("ACCTID") if account_to is not None else None,
        remittance_text=" ".join(memo.split()),
        structured_reference=found[0] if found else None,
        reference_kind=classify(found[0]) if found else None,
        end_to_end_id=reference,
        bank_reference=node.value("FITID"),
        transaction_code=node.value("TRNTYPE"),
        position=f"line {node.line}",
    )
