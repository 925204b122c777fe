"""Issued payment references: the ISO 11649 creditor reference of each open item.

The reference derives from the invoice number (:func:`creditor_reference`), so matching finds
an item from the reference even when it was never stored. Issuing stores it as well, so that
notices can print it, a hashed reference of a long number can be found again, and two numbers
that differ only by separators (``INV-1`` and ``INV1``) cannot silently share one reference.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, text

from receivables.banking.errors import ReviewError
from receivables.banking.rules.references import creditor_reference, format_reference

SCHEME = "rf"


@dataclass(frozen=True)
class IssuedReference:
    number: str
    reference: str
    created: bool

    @property
    def printed(self) -> str:
        return format_reference(self.reference)


def issue_reference(engine: Engine, number: str) -> IssuedReference:
    """Store and return the creditor reference of invoice or debit note ``number``."""
    reference = creditor_reference(number)
    with engine.begin() as connection:
        document = connection.execute(
            text(
                "SELECT id FROM documents WHERE number = :number AND kind IN ('invoice', "
                "'debit_note')"
            ),
            {"number": number},
        ).scalar()
        if document is None:
            raise ReviewError(f"invoice or debit note {number} not found")
        owner = connection.execute(
            text("SELECT document_id FROM payment_references WHERE reference = :reference"),
            {"reference": reference},
        ).scalar()
        if owner is not None and owner != document:
            raise ReviewError(
                f"reference {reference} of {number} is already issued for another document "
                f"(id {owner}); their numbers differ only in separators or case"
            )
        if owner == document:
            return IssuedReference(number, reference, created=False)
        connection.execute(
            text(
                "INSERT INTO payment_references (document_id, scheme, reference) VALUES (:d, :s, "
                ":r)"
            ),
            {"d": document, "s": SCHEME, "r": reference},
        )
    return IssuedReference(number, reference, created=True)
