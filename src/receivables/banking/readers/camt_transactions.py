"""Turn camt records and entries into bank statements and transactions."""

from __future__ import annotations

from receivables.banking.errors import StatementError
from receivables.banking.ibans import valid_iban
from receivables.banking.readers.camt_parts import CamtDetail, CamtEntry, CamtParty, CamtRecord
from receivables.banking.rules.references import classify
from receivables.banking.statements import BankStatement, BankTransaction, StatementFormat
from receivables.domain.money import Money, total

BOOKED = "BOOK"


def record_to_statement(record: CamtRecord, file: str) -> BankStatement:
    transactions: list[BankTransaction] = []
    skipped = 0
    for entry in record.entries:
        if entry.status != BOOKED:
            skipped += 1
            continue
        for detail, amount in _split(entry):
            transactions.append(
                _transaction(record, entry, detail, amount, len(transactions) + 1, file)
            )
    notes = (
        (f"{skipped} entries not booked (pending or information only) were skipped",)
        if skipped
        else ()
    )
    return BankStatement(
        file=file,
        format=StatementFormat(record.message),
        statement_key=record.record_id,
        account=record.account,
        currency=record.currency,
        transactions=tuple(transactions),
        from_date=record.from_date,
        to_date=record.to_date,
        opening_balance=record.opening_balance,
        closing_balance=record.closing_balance,
        created_at=record.created_at,
        position=record.position,
        notes=notes,
    )


def _split(entry: CamtEntry) -> list[tuple[CamtDetail | None, Money]]:
    """One (detail, amount) per transaction: each detail of a batch that adds up, else the entry."""
    details = entry.details
    if len(details) > 1:
        amounts = [detail.amount for detail in details]
        currency = entry.amount.currency
        if all(amount is not None and amount.currency == currency for amount in amounts):
            parts = [amount for amount in amounts if amount is not None]
            if total(parts, currency) == entry.amount:
                return list(zip(details, parts, strict=True))
        return [(None, entry.amount)]
    return [(details[0] if details else None, entry.amount)]


def _transaction(
    record: CamtRecord,
    entry: CamtEntry,
    detail: CamtDetail | None,
    amount: Money,
    sequence: int,
    file: str,
) -> BankTransaction:
    booking_date = entry.booking_date or entry.value_date or record.to_date
    if booking_date is None and record.created_at is not None:
        booking_date = record.created_at.date()
    if booking_date is None:
        raise StatementError(
            file, entry.position, "entry has neither a booking date nor a value date"
        )
    details = [detail] if detail is not None else list(entry.details)
    reference, reference_type = _first_reference(details)
    party = _counterparty(details, amount)
    texts = [text for item in details for text in (*item.unstructured, *item.additional)]
    if detail is None and len(entry.details) > 1:
        texts += [f"{item.end_to_end_id}" for item in entry.details if item.end_to_end_id]
    if entry.additional_info:
        texts.append(entry.additional_info)
    ultimate = next((item.ultimate_debtor for item in details if item.ultimate_debtor), None)
    if ultimate:
        texts.append(f"ultimate debtor: {ultimate}")
    bank_reference = next(
        (item.account_servicer_reference for item in details if item.account_servicer_reference),
        entry.account_servicer_reference or entry.entry_reference,
    )
    return BankTransaction(
        sequence=sequence,
        amount=amount,
        booking_date=booking_date,
        value_date=entry.value_date,
        counterparty_name=party.name,
        counterparty_account=party.account,
        counterparty_iban=valid_iban(party.iban or party.account),
        counterparty_bic=party.bic,
        remittance_text=" ".join(texts),
        structured_reference=reference,
        reference_kind=classify(reference, reference_type) if reference else None,
        end_to_end_id=details[0].end_to_end_id if len(details) == 1 else None,
        bank_reference=bank_reference,
        transaction_code=entry.transaction_code,
        reversal=entry.reversal,
        position=detail.position if detail is not None else entry.position,
    )


def _first_reference(details: list[CamtDetail]) -> tuple[str | None, str | None]:
    for detail in details:
        if detail.creditor_reference:
            return detail.creditor_reference, detail.creditor_reference_type
    return None, None


def _counterparty(details: list[CamtDetail], amount: Money) -> CamtParty:
    """The payer of a credit (the debtor) or the payee of a debit (the creditor)."""
    for detail in details:
        party = detail.debtor if amount.amount >= 0 else detail.creditor
        if party.name or party.account:
            return party
    return CamtParty()
