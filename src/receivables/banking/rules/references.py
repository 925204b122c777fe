"""Structured payment references: ISO 11649 creditor references and Swiss QR and ISR references.

An ISO 11649 reference is ``RF``, two check digits and a body of 1 to 21 letters and digits;
the check digits make a mistyped or transposed character fail (ISO 7064 MOD 97-10). Ours are
derived from the invoice number: its letters and digits, upper case, without separators, so
``INV-2024/0815`` gets the body ``INV20240815``. A number with more than 21 letters and digits
gets a body hashed from the full number instead (``H`` and 20 base-36 characters); that body
cannot be derived back, so such references must be stored when issued.

Swiss QR references (QRR) and ISR/ESR references are 27 digits with a recursive MOD 10 check
digit; both are checked with the same algorithm.
"""

from __future__ import annotations

import hashlib
import re

from stdnum import iso11649
from stdnum.ch import esr
from stdnum.iso7064 import mod_97_10

from receivables.banking.statements import ReferenceKind

MAX_RF_BODY = 21
_NOT_ALPHANUMERIC = re.compile(r"[^A-Z0-9]")
_BASE36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# An RF reference inside free text, printed compact or in groups of four ("RF18 5390 0754 7034").
RF_IN_TEXT = re.compile(r"(?<![A-Z0-9])RF\s?\d{2}(?:\s?[A-Z0-9]){1,21}(?![A-Z0-9])")


def compact(reference: str) -> str:
    """Upper case without spaces, the form references are compared in."""
    return "".join(reference.split()).upper()


def rf_body_for(number: str) -> str:
    """The body of the creditor reference of the invoice ``number``."""
    alphanumeric = _NOT_ALPHANUMERIC.sub("", number.upper())
    if 0 < len(alphanumeric) <= MAX_RF_BODY:
        return alphanumeric
    value = int.from_bytes(hashlib.sha256(number.encode("utf-8")).digest()[:16], "big")
    characters = []
    for _ in range(MAX_RF_BODY - 1):
        value, remainder = divmod(value, 36)
        characters.append(_BASE36[remainder])
    return "H" + "".join(characters)


def creditor_reference(number: str) -> str:
    """The ISO 11649 creditor reference of invoice ``number``, in compact form.

    >>> creditor_reference("539007547034")
    'RF18539007547034'
    """
    body = rf_body_for(number)
    return f"RF{mod_97_10.calc_check_digits(body + 'RF')}{body}"


def format_reference(reference: str) -> str:
    """The print form of a creditor reference: groups of four characters."""
    value = compact(reference)
    return " ".join(value[index : index + 4] for index in range(0, len(value), 4))


def is_valid_rf(reference: str) -> bool:
    """Whether ``reference`` is an ISO 11649 reference whose check digits hold."""
    value = compact(reference)
    return value.startswith("RF") and iso11649.is_valid(value)


def looks_like_rf(reference: str) -> bool:
    """Whether ``reference`` has the shape of an RF reference, whatever its check digits."""
    return RF_IN_TEXT.fullmatch(compact(reference)) is not None


def rf_body(reference: str) -> str:
    return compact(reference)[4:]


def is_valid_swiss_reference(reference: str) -> bool:
    """Whether ``reference`` is a 27-digit QR or ISR reference with a valid MOD 10 check digit."""
    value = compact(reference)
    return len(value) == 27 and value.isdigit() and esr.is_valid(value)


def classify(reference: str, declared_type: str | None = None) -> ReferenceKind:
    """The scheme of a structured reference, checked by its check digits where it has them.

    ``declared_type`` is what the bank file says (``SCOR``, ``QRR``, ``ISR Reference``). A
    reference whose check digits fail is ``other``, never ``rf``, ``qrr`` or ``isr``.
    """
    declared = (declared_type or "").upper()
    if is_valid_rf(reference):
        return ReferenceKind.RF
    if is_valid_swiss_reference(reference):
        return ReferenceKind.QRR if declared == "QRR" else ReferenceKind.ISR
    return ReferenceKind.OTHER


def references_in_text(text: str) -> list[str]:
    """The RF-shaped references in free text, compact, whether or not their check digits hold."""
    return [compact(match.group(0)) for match in RF_IN_TEXT.finditer(text.upper())]
