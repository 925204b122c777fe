"""The ``:86:`` information to account owner of an MT940 statement line.

Three layouts are common and read here:

- German banks (DFÜ agreement, annex 3): a three-digit business transaction code, then
  subfields ``?00`` posting text, ``?10`` primanota, ``?20``-``?29`` and ``?60``-``?63`` purpose,
  ``?30`` bank code or BIC, ``?31`` account or IBAN, ``?32``-``?33`` name. The purpose holds SEPA
  keywords: ``EREF+`` end-to-end id, ``SVWZ+`` remittance text, ``ABWA+`` ultimate debtor,
  ``KREF+``, ``MREF+``, ``CRED+``.
- Dutch and other banks: ``/KEY/value`` pairs such as ``/EREF/``, ``/IBAN/``, ``/NAME/``,
  ``/REMI/``, ``/BENM//NAME/``.
- Free text, kept as it is.

Subfield values may wrap across lines; the line breaks are removed before the values are read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

GERMAN = re.compile(r"^(?P<code>\d{3})\?")
SUBFIELD = re.compile(r"\?(\d{2})")
SEPA_KEYWORD = re.compile(r"(EREF|KREF|MREF|CRED|DEBT|SVWZ|ABWA|ABWE|IBAN|BIC|COAM|OAMT)\+")
SLASH_KEYS = ("TRTP", "IBAN", "BIC", "NAME", "REMI", "EREF", "CSID", "MARF", "ISDT", "BENM", "ORDP")
SLASH_KEY = re.compile(r"/(" + "|".join(SLASH_KEYS) + r")/")


@dataclass(frozen=True)
class Details:
    """What an ``:86:`` field says about the counterparty and the purpose of a payment."""

    purpose: str = ""
    name: str | None = None
    account: str | None = None
    bic: str | None = None
    end_to_end_id: str | None = None
    creditor_reference: str | None = None
    code: str | None = None


def parse_details(text: str) -> Details:
    if not text.strip():
        return Details()
    match = GERMAN.match(text.strip())
    if match:
        return _german(text.strip(), match.group("code"))
    flat = " ".join(unwrap(text).split())
    if SLASH_KEY.search(flat):
        return _slash_keys(flat)
    return Details(purpose=flat)


def unwrap(text: str, width: int = 65) -> str:
    """Join the lines of a field: a line filled to ``width`` characters was wrapped mid-word.

    The first line also held the four characters of the tag (``:86:``), so it is full sooner.
    """
    lines = text.split("\n")
    joined = lines[0]
    for index, line in enumerate(lines[1:]):
        full = width - (4 if index == 0 else 0)
        joined += ("" if len(lines[index]) >= full else " ") + line
    return joined


def _joined_subfields(values: list[str], width: int = 27) -> str:
    """Join name subfields ``?32``/``?33``: a subfield filled to 27 characters continues a word."""
    joined = ""
    for value in values:
        separator = "" if not joined or len(joined) % width == 0 else " "
        joined += separator + value
    return " ".join(joined.split())


def _german(text: str, code: str) -> Details:
    joined = text.replace("\n", "")
    fields: dict[str, list[str]] = {}
    pieces = SUBFIELD.split(joined[3:])
    for index in range(1, len(pieces) - 1, 2):
        fields.setdefault(pieces[index], []).append(pieces[index + 1])
    purpose_keys = [f"{number:02d}" for number in (*range(20, 30), *range(60, 64))]
    purpose = "".join(value for key in purpose_keys for value in fields.get(key, []))
    sepa = _sepa_parts(purpose)
    name = _joined_subfields([value for key in ("32", "33") for value in fields.get(key, [])])
    remittance = sepa.get("SVWZ", purpose if not sepa else "")
    posting = " ".join(fields.get("00", [""])).strip()
    texts = [remittance.strip()]
    if "ABWA" in sepa:
        texts.append(f"ultimate debtor: {sepa['ABWA'].strip()}")
    return Details(
        purpose=" ".join(text for text in texts if text),
        name=name or None,
        account=(" ".join(fields.get("31", [""])).strip() or None),
        bic=(" ".join(fields.get("30", [""])).strip() or None),
        end_to_end_id=_clean_reference(sepa.get("EREF")),
        creditor_reference=None,
        code=f"{code} {posting}".strip(),
    )


def _sepa_parts(purpose: str) -> dict[str, str]:
    parts: dict[str, str] = {}
    pieces = SEPA_KEYWORD.split(purpose)
    for index in range(1, len(pieces) - 1, 2):
        parts.setdefault(pieces[index], pieces[index + 1].strip())
    return parts


def _slash_keys(flat: str) -> Details:
    values: dict[str, str] = {}
    pieces = SLASH_KEY.split(flat)
    for index in range(1, len(pieces) - 1, 2):
        value = pieces[index + 1].strip().strip("/").strip()
        values.setdefault(pieces[index], value)
    purpose = values.get("REMI", "")
    if not purpose:
        purpose = SLASH_KEY.sub(" ", flat).strip()
    return Details(
        purpose=" ".join(purpose.split()),
        name=values.get("NAME") or None,
        account=values.get("IBAN") or None,
        bic=values.get("BIC") or None,
        end_to_end_id=_clean_reference(values.get("EREF")),
        code=values.get("TRTP") or None,
    )


def _clean_reference(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return None if not value or value.upper() == "NOTPROVIDED" else value[:64]
