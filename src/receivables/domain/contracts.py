"""Customer contracts: agreed payment terms, discount base and late charges, with validity dates.

A customer may have several contracts over time, but on any one day at most one is valid: the
:class:`ContractBook` rejects overlapping validity. :func:`check_invoice_terms` compares what
each invoice states (its due dates and discounts) with what the contract valid on the invoice date
gives, and lists every difference; an invoice more generous than the contract is the usual
finding (a due date later than agreed, a discount not agreed).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from receivables.domain.discounts import DiscountBase, format_decimal
from receivables.domain.errors import ReceivablesError
from receivables.domain.late_charges import LateChargeClause
from receivables.domain.money import Money
from receivables.domain.schedules import PaymentSchedule
from receivables.domain.terms import PaymentTerm


class OverlappingContractsError(ReceivablesError, ValueError):
    """Two contracts of one customer are valid on the same day."""


@dataclass(frozen=True, slots=True)
class Contract:
    """The terms agreed with a customer from ``valid_from`` to ``valid_to`` (both included)."""

    customer_code: str
    reference: str
    valid_from: date
    valid_to: date | None
    term: PaymentTerm
    discount_base: DiscountBase = DiscountBase.GROSS
    late_charges: LateChargeClause = field(default_factory=LateChargeClause)

    def __post_init__(self) -> None:
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise OverlappingContractsError(
                f"contract {self.reference} ends on {self.valid_to}, before it starts on "
                f"{self.valid_from}"
            )

    def is_valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class ContractBook:
    """All contracts, with the one valid for a customer on a date."""

    def __init__(self, contracts: Iterable[Contract]) -> None:
        self._by_customer: dict[str, list[Contract]] = defaultdict(list)
        for contract in sorted(contracts, key=lambda c: (c.customer_code, c.valid_from)):
            previous = self._by_customer[contract.customer_code]
            if previous and (
                previous[-1].valid_to is None or previous[-1].valid_to >= contract.valid_from
            ):
                raise OverlappingContractsError(
                    f"contracts {previous[-1].reference} and {contract.reference} of customer "
                    f"{contract.customer_code} are both valid on {contract.valid_from}"
                )
            previous.append(contract)

    def contract_for(self, customer_code: str, day: date) -> Contract | None:
        for contract in self._by_customer.get(customer_code, []):
            if contract.is_valid_on(day):
                return contract
        return None

    def late_charge_clauses(self, day: date) -> dict[str, LateChargeClause]:
        """Return the late-charge clause of every customer with a contract valid on ``day``."""
        clauses = {}
        for customer, contracts in self._by_customer.items():
            valid = next((c for c in contracts if c.is_valid_on(day)), None)
            if valid is not None:
                clauses[customer] = valid.late_charges
        return clauses


@dataclass(frozen=True, slots=True)
class InvoiceTerms:
    """The terms printed on an invoice: a due date per instalment, discounts (deadline, percent)."""

    customer_code: str
    number: str
    invoice_date: date
    amount: Money
    tax: Money
    due_dates: tuple[date, ...]
    discounts: tuple[tuple[date, Decimal], ...] = ()


class DeviationKind(StrEnum):
    NO_CONTRACT = "no_contract"
    NOT_SCHEDULABLE = "not_schedulable"
    INSTALMENTS = "instalments"
    DUE_DATE = "due_date"
    DISCOUNT = "discount"


@dataclass(frozen=True, slots=True)
class TermDeviation:
    """One difference between an invoice and its contract."""

    customer_code: str
    number: str
    kind: DeviationKind
    contract: str | None
    expected: str
    actual: str
    message: str


def check_invoice_terms(
    invoices: Iterable[InvoiceTerms], book: ContractBook
) -> list[TermDeviation]:
    """List every invoice whose due dates or discounts differ from its contract's term."""
    deviations: list[TermDeviation] = []
    for invoice in invoices:
        contract = book.contract_for(invoice.customer_code, invoice.invoice_date)
        if contract is None:
            deviations.append(
                _deviation(
                    invoice,
                    DeviationKind.NO_CONTRACT,
                    None,
                    "",
                    "",
                    f"no contract valid on {invoice.invoice_date}",
                )
            )
            continue
        try:
            schedule = contract.term.schedule(
                invoice.invoice_date,
                invoice.amount,
                invoice.tax,
                discount_base=contract.discount_base,
            )
        except ReceivablesError as error:
            deviations.append(
                _deviation(invoice, DeviationKind.NOT_SCHEDULABLE, contract, "", "", str(error))
            )
            continue
        deviations.extend(_compare(invoice, contract, schedule))
    return deviations


def _compare(
    invoice: InvoiceTerms, contract: Contract, schedule: PaymentSchedule
) -> list[TermDeviation]:
    expected_dates = [instalment.due_date for instalment in schedule.instalments]
    found: list[TermDeviation] = []
    if len(expected_dates) != len(invoice.due_dates):
        found.append(
            _deviation(
                invoice,
                DeviationKind.INSTALMENTS,
                contract,
                str(len(expected_dates)),
                str(len(invoice.due_dates)),
                f"{len(invoice.due_dates)} due dates, the contract gives "
                f"{len(expected_dates)} instalments",
            )
        )
    else:
        for expected, actual in zip(expected_dates, invoice.due_dates, strict=True):
            if expected != actual:
                found.append(_due_date_deviation(invoice, contract, expected, actual))
    expected_discounts = _discount_pairs(
        (offer.deadline, offer.percent) for i in schedule.instalments for offer in i.offers
    )
    actual_discounts = _discount_pairs(invoice.discounts)
    if expected_discounts != actual_discounts:
        found.append(
            _deviation(
                invoice,
                DeviationKind.DISCOUNT,
                contract,
                _format_discounts(expected_discounts),
                _format_discounts(actual_discounts),
                f"discounts {_format_discounts(actual_discounts)}, the contract gives "
                f"{_format_discounts(expected_discounts)}",
            )
        )
    return found


def _due_date_deviation(
    invoice: InvoiceTerms, contract: Contract, expected: date, actual: date
) -> TermDeviation:
    shift = (actual - expected).days
    direction = "later" if shift > 0 else "earlier"
    return _deviation(
        invoice,
        DeviationKind.DUE_DATE,
        contract,
        expected.isoformat(),
        actual.isoformat(),
        f"due {actual}, {abs(shift)} days {direction} than {expected} under contract "
        f"{contract.reference} ({contract.term})",
    )


def _discount_pairs(pairs: Iterable[tuple[date, Decimal]]) -> list[tuple[date, Decimal]]:
    return sorted({(deadline, Decimal(percent).normalize()) for deadline, percent in pairs})


def _format_discounts(pairs: Sequence[tuple[date, Decimal]]) -> str:
    if not pairs:
        return "none"
    return ", ".join(f"{format_decimal(percent)}% by {deadline}" for deadline, percent in pairs)


def _deviation(
    invoice: InvoiceTerms,
    kind: DeviationKind,
    contract: Contract | None,
    expected: str,
    actual: str,
    message: str,
) -> TermDeviation:
    reference = None if contract is None else contract.reference
    return TermDeviation(
        invoice.customer_code, invoice.number, kind, reference, expected, actual, message
    )
