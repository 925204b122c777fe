"""The parts of an ISO 20022 camt message as read from XML, before they become transactions.

Every message version from ``.001.01`` to ``.001.10`` shares these parts; where versions differ
(``Dt`` or ``DtTm`` dates, a bare ``Sts`` or ``Sts/Cd``, parties with or without ``Pty``, ``BIC``
or ``BICFI``) the helpers here accept both forms.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from receivables.banking.readers.xmlsafe import XmlDocument, local_name
from receivables.domain.errors import ReceivablesError
from receivables.domain.money import Money


@dataclass(frozen=True)
class CamtParty:
    """A debtor or creditor of a transaction: name, account and bank."""

    name: str | None = None
    account: str | None = None
    iban: str | None = None
    bic: str | None = None


@dataclass(frozen=True)
class CamtDetail:
    """One ``TxDtls`` element: a single payment inside an entry."""

    amount: Money | None
    end_to_end_id: str | None
    account_servicer_reference: str | None
    creditor_reference: str | None
    creditor_reference_type: str | None
    unstructured: tuple[str, ...]
    additional: tuple[str, ...]
    debtor: CamtParty
    creditor: CamtParty
    ultimate_debtor: str | None
    position: str


@dataclass(frozen=True)
class CamtEntry:
    """One ``Ntry`` element: a booking on the account, possibly a batch of several payments."""

    amount: Money
    status: str
    reversal: bool
    booking_date: date | None
    value_date: date | None
    account_servicer_reference: str | None
    entry_reference: str | None
    transaction_code: str | None
    additional_info: str
    details: tuple[CamtDetail, ...]
    position: str


@dataclass(frozen=True)
class CamtRecord:
    """A ``Stmt``, ``Rpt`` or ``Ntfctn`` element: the bookings of one account."""

    message: str
    record_id: str
    account: str
    currency: str | None
    created_at: datetime | None
    from_date: date | None
    to_date: date | None
    opening_balance: Money | None
    closing_balance: Money | None
    entries: tuple[CamtEntry, ...]
    position: str


class Reader:
    """Namespace-aware lookups and typed values with positions for error messages."""

    def __init__(self, document: XmlDocument, namespace: str) -> None:
        self.document = document
        self.prefix = f"{{{namespace}}}" if namespace else ""

    def _path(self, path: str) -> str:
        return "/".join(self.prefix + part for part in path.split("/"))

    def find(self, element: ElementTree.Element, path: str) -> ElementTree.Element | None:
        return element.find(self._path(path))

    def findall(self, element: ElementTree.Element, path: str) -> list[ElementTree.Element]:
        return element.findall(self._path(path))

    def text(self, element: ElementTree.Element | None, path: str) -> str | None:
        if element is None:
            return None
        found = element.find(self._path(path))
        if found is None or found.text is None:
            return None
        value = " ".join(found.text.split())
        return value or None

    def first_text(self, element: ElementTree.Element | None, *paths: str) -> str | None:
        for path in paths:
            value = self.text(element, path)
            if value is not None:
                return value
        return None

    def amount(self, element: ElementTree.Element, where: str, sign: int) -> Money:
        """Read an ``Amt Ccy="EUR"`` element; raise with its position when it is invalid."""
        text = (element.text or "").strip()
        code = element.get("Ccy", "")
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise self.document.error(element, where, f"invalid amount {text!r}") from None
        if not value.is_finite() or value < 0:
            raise self.document.error(
                element, where, f"amount {text!r} must be a non-negative number"
            )
        try:
            money = Money.of(value * sign, code)
            money.minor_units()
        except ReceivablesError as error:
            raise self.document.error(
                element, where, f"invalid amount {text!r} {code}: {error}"
            ) from None
        return money

    def sign(self, element: ElementTree.Element, where: str, default: int | None = None) -> int:
        """Read ``CdtDbtInd``: +1 for ``CRDT``, -1 for ``DBIT``."""
        indicator = self.text(element, "CdtDbtInd")
        if indicator is None and default is not None:
            return default
        if indicator not in ("CRDT", "DBIT"):
            raise self.document.error(
                element,
                f"{where}/CdtDbtInd",
                f"credit/debit indicator {indicator!r} must be CRDT or DBIT",
            )
        return 1 if indicator == "CRDT" else -1

    def date(self, element: ElementTree.Element | None, where: str) -> date | None:
        """Read a ``Dt`` or ``DtTm`` child; a date-time keeps the date as written in the file."""
        if element is None:
            return None
        text = self.first_text(element, "Dt", "DtTm")
        if text is None:
            return None
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            raise self.document.error(element, where, f"invalid date {text!r}") from None

    def datetime(
        self, element: ElementTree.Element | None, path: str, where: str
    ) -> datetime | None:
        text = self.text(element, path)
        if text is None or element is None:
            return None
        cleaned = text.replace("Z", "+00:00")
        if "." in cleaned[19:]:
            head, tail = cleaned[:19], cleaned[20:]
            digits = "".join(character for character in tail if character.isdigit())
            cleaned = f"{head}.{digits[:6]}{tail[len(digits) :]}"
        try:
            return datetime.fromisoformat(cleaned)
        except ValueError:
            raise self.document.error(
                element, f"{where}/{path}", f"invalid date-time {text!r}"
            ) from None

    def party(self, parties: ElementTree.Element | None, role: str) -> CamtParty:
        """Read ``Dbtr``/``DbtrAcct`` (or ``Cdtr``/``CdtrAcct``) of a ``RltdPties`` element."""
        if parties is None:
            return CamtParty()
        party = self.find(parties, role)
        name = self.first_text(party, "Pty/Nm", "Nm") if party is not None else None
        account = self.find(parties, f"{role}Acct")
        iban = self.text(account, "Id/IBAN")
        other = self.text(account, "Id/Othr/Id")
        return CamtParty(name=name, account=iban or other, iban=iban)

    def agent_bic(self, agents: ElementTree.Element | None, role: str) -> str | None:
        if agents is None:
            return None
        return self.first_text(agents, f"{role}/FinInstnId/BICFI", f"{role}/FinInstnId/BIC")


def tag_of(element: ElementTree.Element) -> str:
    return local_name(element.tag)
