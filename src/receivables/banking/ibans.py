"""IBAN checks for bank transactions and learned customer accounts (via ``schwifty``)."""

from __future__ import annotations

from schwifty import IBAN
from schwifty.exceptions import SchwiftyException


def valid_iban(text: str | None) -> str | None:
    """The compact IBAN when ``text`` is a valid one (country, length, check digits), else None."""
    if not text:
        return None
    candidate = "".join(text.split()).upper()
    if len(candidate) < 15 or not candidate[:2].isalpha():
        return None
    try:
        return str(IBAN(candidate).compact)
    except SchwiftyException:
        return None
