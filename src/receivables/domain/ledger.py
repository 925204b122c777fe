"""The open-item ledger: what was open, paid and unapplied on any date.

Every answer takes an ``as_of`` date and uses only documents dated on or before it and allocations
dated on or before it, so the aging of a past date stays exact even for items paid later. A payment
or allocation dated on the as-of date counts as received that day.

Rules kept by :meth:`Ledger.allocate`, so no open item ever shows a negative balance:

- the source is a credit document, the target a debit document, of the same customer and currency;
- the allocation is dated on or after both documents;
- the amount is positive, in the currency's minor unit, and at most what is still open on the
  target and unapplied on the source, counting every allocation whatever its date.

What a credit document does not settle stays as unapplied credit on the customer.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from receivables.domain.documents import Allocation, Document, DocumentKey
from receivables.domain.errors import InvalidAllocationError, OverAllocationError
from receivables.domain.money import Money, total


class ItemStatus(StrEnum):
    """The state of a document on an as-of date."""

    NOT_ISSUED = "not_issued"
    OPEN = "open"
    PARTIALLY_SETTLED = "partially_settled"
    SETTLED = "settled"


@dataclass(frozen=True, slots=True)
class CustomerBalance:
    """A customer's position in one currency on an as-of date.

    ``balance`` is ``open_items - unapplied_credit``: positive when the customer owes us.
    """

    customer_code: str
    as_of: date
    open_items: Money
    unapplied_credit: Money

    @property
    def balance(self) -> Money:
        return self.open_items - self.unapplied_credit


class Ledger:
    """Documents and their allocations, with the as-of rules for open amounts."""

    def __init__(self, documents: Iterable[Document] = (), allocations: Iterable[Allocation] = ()) -> None:
        self._documents: dict[DocumentKey, Document] = {}
        self._by_target: dict[DocumentKey, list[Allocation]] = defaultdict(list)
        self._by_source: dict[DocumentKey, list[Allocation]] = defaultdict(list)
        for document in documents:
            self.add(document)
        for allocation in allocations:
            self.allocate(allocation)

    def add(self, document: Document) -> Document:
        """Add a document; a second document with the same kind and number replaces the first."""
        self._documents[document.key] = document
        return document

    def document(self, key: DocumentKey) -> Document:
        return self._documents[key]

    @property
    def documents(self) -> list[Document]:
        return list(self._documents.values())

    def allocations(self) -> list[Allocation]:
        return [allocation for items in self._by_target.values() for allocation in items]

    def allocate(self, allocation: Allocation) -> Allocation:
        """Apply a credit document to an open item; raise if any ledger rule would break."""
        source = self._documents.get(allocation.source)
        target = self._documents.get(allocation.target)
        names = str(allocation.source), str(allocation.target)
        if source is None or target is None:
            missing = allocation.source if source is None else allocation.target
            raise InvalidAllocationError(*names, f"document {missing} is not in the ledger")
        if source.is_debit or not target.is_debit:
            raise InvalidAllocationError(
                *names, "the source must be a credit document and the target an open item"
            )
        if source.customer_code != target.customer_code:
            raise InvalidAllocationError(
                *names, f"customers differ ({source.customer_code} and {target.customer_code})"
            )
        if (
            allocation.amount.currency != target.amount.currency
            or source.amount.currency != target.amount.currency
        ):
            raise InvalidAllocationError(
                *names,
                f"currencies differ ({source.amount.currency}, {target.amount.currency}, "
                f"{allocation.amount.currency})",
            )
        if allocation.amount.amount <= 0 or not allocation.amount.is_rounded():
            raise InvalidAllocationError(*names, f"amount {allocation.amount} must be positive and rounded")
        latest = max(source.document_date, target.document_date)
        if allocation.allocation_date < latest:
            raise InvalidAllocationError(*names, f"dated {allocation.allocation_date}, before {latest}")
        open_amount = target.amount - self._allocated(target, self._by_target[target.key])
        if allocation.amount > open_amount:
            raise OverAllocationError(*names, f"{allocation.amount} exceeds the {open_amount} still open")
        unapplied = source.amount - self._allocated(source, self._by_source[source.key])
        if allocation.amount > unapplied:
            raise OverAllocationError(*names, f"{allocation.amount} exceeds the {unapplied} still unapplied")
        self._by_target[target.key].append(allocation)
        self._by_source[source.key].append(allocation)
        return allocation

    @staticmethod
    def _allocated(document: Document, allocations: Iterable[Allocation], as_of: date | None = None) -> Money:
        amounts = (a.amount for a in allocations if as_of is None or a.allocation_date <= as_of)
        return total(amounts, document.amount.currency)

    def _applied(self, document: Document, as_of: date) -> Money:
        index = self._by_target if document.is_debit else self._by_source
        return self._allocated(document, index[document.key], as_of)

    def open_amount(self, key: DocumentKey, as_of: date) -> Money:
        """Return what is open on a debit document, or unapplied on a credit one, at the end of ``as_of``.

        A document dated after ``as_of`` did not exist yet and shows zero.
        """
        document = self._documents[key]
        if document.document_date > as_of:
            return Money.zero(document.amount.currency)
        return document.amount - self._applied(document, as_of)

    def status(self, key: DocumentKey, as_of: date) -> ItemStatus:
        document = self._documents[key]
        if document.document_date > as_of:
            return ItemStatus.NOT_ISSUED
        remaining = self.open_amount(key, as_of)
        if remaining.amount == 0:
            return ItemStatus.SETTLED
        if remaining == document.amount:
            return ItemStatus.OPEN
        return ItemStatus.PARTIALLY_SETTLED

    def open_items(self, as_of: date, customer_code: str | None = None) -> list[tuple[Document, Money]]:
        """The debit documents with an open amount at the end of ``as_of``, with that amount."""
        result = []
        for document in self._documents.values():
            if not document.is_debit or (
                customer_code is not None and document.customer_code != customer_code
            ):
                continue
            remaining = self.open_amount(document.key, as_of)
            if remaining.amount > 0:
                result.append((document, remaining))
        return result

    def customer_balances(self, customer_code: str, as_of: date) -> list[CustomerBalance]:
        """The customer's open items and unapplied credit at the end of ``as_of``, one entry per currency."""
        open_by_currency: dict[str, Money] = {}
        credit_by_currency: dict[str, Money] = {}
        for document in self._documents.values():
            if document.customer_code != customer_code or document.document_date > as_of:
                continue
            remaining = self.open_amount(document.key, as_of)
            bucket = open_by_currency if document.is_debit else credit_by_currency
            code = remaining.currency.code
            bucket[code] = bucket.get(code, Money.zero(code)) + remaining
        codes = sorted(set(open_by_currency) | set(credit_by_currency))
        return [
            CustomerBalance(
                customer_code,
                as_of,
                open_by_currency.get(code, Money.zero(code)),
                credit_by_currency.get(code, Money.zero(code)),
            )
            for code in codes
        ]
