"""ISO 20022 cash management messages: camt.052 reports, camt.053 statements, camt.054 notices.

:func:`read_camt_records` returns the records and entries as the file has them (used by tests
that compare with other parsers); :func:`read_camt` turns them into :class:`BankStatement`.

An entry (``Ntry``) is one booking. A batch booking lists its single payments as several
``TxDtls``; each becomes its own transaction when every detail carries an amount in the entry's
currency and the details add up to the entry, so each customer's payment can be matched on its
own. Otherwise the entry stays one transaction with the remittance texts of all its details.
Entries that are not booked (``PDNG``, ``INFO``) are skipped and counted in the notes.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

from receivables.banking.errors import StatementError
from receivables.banking.ibans import valid_iban
from receivables.banking.readers.camt_parts import (
    CamtDetail,
    CamtEntry,
    CamtParty,
    CamtRecord,
    Reader,
    tag_of,
)
from receivables.banking.readers.camt_transactions import record_to_statement
from receivables.banking.readers.xmlsafe import XmlDocument, namespace
from receivables.banking.statements import BankStatement

# Message element -> (message type, record element)
MESSAGES = {
    "BkToCstmrStmt": ("camt.053", "Stmt"),
    "BkToCstmrDbtCdtNtfctn": ("camt.054", "Ntfctn"),
    "BkToCstmrAcctRpt": ("camt.052", "Rpt"),
}
NOT_PROVIDED = "NOTPROVIDED"


def is_camt(document: XmlDocument) -> bool:
    return "camt.05" in namespace(document.root.tag) or _message_element(document) is not None


def _message_element(document: XmlDocument) -> tuple[ElementTree.Element, str, str] | None:
    for child in document.root:
        name = tag_of(child)
        for message, (kind, record) in MESSAGES.items():
            if name == message or name == f"{message}V01":
                return child, kind, record
    return None


def read_camt_records(document: XmlDocument) -> list[CamtRecord]:
    """Read every statement, report or notification of a camt message; raise if it is malformed."""
    if tag_of(document.root) != "Document":
        raise document.error(
            document.root, "/" + tag_of(document.root), "the root element must be Document"
        )
    found = _message_element(document)
    if found is None:
        raise document.error(
            document.root,
            "/Document",
            "no camt.052, camt.053 or camt.054 message "
            "(BkToCstmrStmt, BkToCstmrDbtCdtNtfctn, BkToCstmrAcctRpt)",
        )
    message, kind, record_tag = found
    reader = Reader(document, namespace(document.root.tag))
    base = f"/Document/{tag_of(message)}"
    records = reader.findall(message, record_tag)
    if not records:
        raise document.error(message, base, f"the {kind} message has no {record_tag} element")
    return [
        _record(reader, element, kind, f"{base}/{record_tag}[{index}]")
        for index, element in enumerate(records, start=1)
    ]


def read_camt(document: XmlDocument) -> list[BankStatement]:
    return [record_to_statement(record, document.file) for record in read_camt_records(document)]


def _record(reader: Reader, element: ElementTree.Element, kind: str, where: str) -> CamtRecord:
    record_id = reader.text(element, "Id")
    if record_id is None:
        raise reader.document.error(element, f"{where}/Id", "missing statement identification Id")
    account_element = reader.find(element, "Acct")
    account = reader.first_text(
        account_element, "Id/IBAN", "Id/Othr/Id", "Id/PrtryAcct/Id", "Id/BBAN", "Id/UPIC"
    )
    if account_element is None or account is None:
        raise reader.document.error(
            element, f"{where}/Acct", "missing account identification Acct/Id"
        )
    opening, closing = _balances(reader, element, where)
    period = reader.find(element, "FrToDt")
    from_date = reader.datetime(period, "FrDtTm", f"{where}/FrToDt")
    to_date = reader.datetime(period, "ToDtTm", f"{where}/FrToDt")
    entries = tuple(
        _entry(reader, entry, f"{where}/Ntry[{index}]")
        for index, entry in enumerate(reader.findall(element, "Ntry"), start=1)
    )
    return CamtRecord(
        message=kind,
        record_id=record_id,
        account=valid_iban(account) or account,
        currency=reader.text(account_element, "Ccy"),
        created_at=reader.datetime(element, "CreDtTm", where),
        from_date=from_date.date() if from_date else None,
        to_date=to_date.date() if to_date else None,
        opening_balance=opening,
        closing_balance=closing,
        entries=entries,
        position=reader.document.position(element, where),
    )


def _balances(reader: Reader, element: ElementTree.Element, where: str):  # type: ignore[no-untyped-def]
    """The opening (OPBD, PRCD) and closing (CLBD) booked balances, when the record has them."""
    opening = closing = None
    for index, balance in enumerate(reader.findall(element, "Bal"), start=1):
        code = reader.first_text(balance, "Tp/CdOrPrtry/Cd", "Tp/CdOrPrtry/Prtry")
        amount = reader.find(balance, "Amt")
        if amount is None:
            raise reader.document.error(balance, f"{where}/Bal[{index}]", "balance without Amt")
        place = f"{where}/Bal[{index}]/Amt"
        value = reader.amount(amount, place, reader.sign(balance, f"{where}/Bal[{index}]"))
        if code in ("OPBD", "PRCD") and opening is None:
            opening = value
        elif code == "CLBD":
            closing = value
    return opening, closing


def _entry(reader: Reader, element: ElementTree.Element, where: str) -> CamtEntry:
    amount_element = reader.find(element, "Amt")
    if amount_element is None:
        raise reader.document.error(element, f"{where}/Amt", "missing entry amount Amt")
    sign = reader.sign(element, where)
    amount = reader.amount(amount_element, f"{where}/Amt", sign)
    status = reader.first_text(element, "Sts/Cd", "Sts/Prtry", "Sts") or "BOOK"
    reversal = (reader.text(element, "RvslInd") or "false").lower() == "true"
    details = []
    for batch_index, detail_list in enumerate(reader.findall(element, "NtryDtls"), start=1):
        for index, detail in enumerate(reader.findall(detail_list, "TxDtls"), start=1):
            place = f"{where}/NtryDtls[{batch_index}]/TxDtls[{index}]"
            details.append(_detail(reader, detail, place, sign))
    return CamtEntry(
        amount=amount,
        status=status,
        reversal=reversal,
        booking_date=reader.date(reader.find(element, "BookgDt"), f"{where}/BookgDt"),
        value_date=reader.date(reader.find(element, "ValDt"), f"{where}/ValDt"),
        account_servicer_reference=reader.text(element, "AcctSvcrRef"),
        entry_reference=reader.text(element, "NtryRef"),
        transaction_code=_transaction_code(reader, element),
        additional_info=reader.text(element, "AddtlNtryInf") or "",
        details=tuple(details),
        position=reader.document.position(element, where),
    )


def _transaction_code(reader: Reader, element: ElementTree.Element) -> str | None:
    code = reader.find(element, "BkTxCd")
    if code is None:
        return None
    parts = [
        reader.text(code, "Domn/Cd"),
        reader.text(code, "Domn/Fmly/Cd"),
        reader.text(code, "Domn/Fmly/SubFmlyCd"),
    ]
    domain = "/".join(part for part in parts if part)
    return domain or reader.text(code, "Prtry/Cd")


def _detail(
    reader: Reader, element: ElementTree.Element, where: str, entry_sign: int
) -> CamtDetail:
    amount_element = reader.find(element, "Amt")
    if amount_element is None:
        amount_element = reader.find(element, "AmtDtls/TxAmt/Amt")
    amount = None
    if amount_element is not None:
        # A detail is a part of its entry, so it takes the entry's credit/debit side; a
        # contradicting detail CdtDbtInd (seen in published samples) is not trusted.
        amount = reader.amount(amount_element, f"{where}/Amt", entry_sign)
    end_to_end = reader.text(element, "Refs/EndToEndId")
    remittance = reader.find(element, "RmtInf")
    creditor_reference, reference_type = _creditor_reference(reader, remittance)
    parties = reader.find(element, "RltdPties")
    agents = reader.find(element, "RltdAgts")
    debtor = reader.party(parties, "Dbtr")
    creditor = reader.party(parties, "Cdtr")
    return CamtDetail(
        amount=amount,
        end_to_end_id=None if end_to_end in (None, NOT_PROVIDED) else end_to_end,
        account_servicer_reference=reader.text(element, "Refs/AcctSvcrRef"),
        creditor_reference=creditor_reference,
        creditor_reference_type=reference_type,
        unstructured=tuple(_texts(reader, remittance, "Ustrd")),
        additional=tuple(
            [
                *_texts(reader, remittance, "Strd/AddtlRmtInf"),
                *_texts(reader, element, "AddtlTxInf"),
            ]
        ),
        debtor=_with_bic(debtor, reader.agent_bic(agents, "DbtrAgt")),
        creditor=_with_bic(creditor, reader.agent_bic(agents, "CdtrAgt")),
        ultimate_debtor=reader.first_text(parties, "UltmtDbtr/Pty/Nm", "UltmtDbtr/Nm")
        if parties is not None
        else None,
        position=reader.document.position(element, where),
    )


def _with_bic(party: CamtParty, bic: str | None) -> CamtParty:
    return CamtParty(name=party.name, account=party.account, iban=party.iban, bic=bic)


def _creditor_reference(
    reader: Reader, remittance: ElementTree.Element | None
) -> tuple[str | None, str | None]:
    if remittance is None:
        return None, None
    for structured in reader.findall(remittance, "Strd"):
        reference = reader.text(structured, "CdtrRefInf/Ref")
        if reference:
            kind = reader.first_text(
                structured, "CdtrRefInf/Tp/CdOrPrtry/Cd", "CdtrRefInf/Tp/CdOrPrtry/Prtry"
            )
            return reference, kind
    return None, None


def _texts(reader: Reader, element: ElementTree.Element | None, path: str) -> list[str]:
    if element is None:
        return []
    values = (" ".join((found.text or "").split()) for found in reader.findall(element, path))
    return [value for value in values if value]


def require_camt(document: XmlDocument) -> None:
    if not is_camt(document):
        raise StatementError(
            document.file,
            "line 1",
            f"not an ISO 20022 camt message: <{tag_of(document.root)}> holds no BkToCstmrStmt, "
            "BkToCstmrDbtCdtNtfctn or BkToCstmrAcctRpt",
        )
