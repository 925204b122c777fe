"""Statement readers: camt.052/053/054, MT940/MT942, BAI2, OFX and CSV with a mapping profile.

:func:`read_statement_file` detects the format from the content (or takes it from the caller),
checks the file size and returns the statements of the file, or raises :class:`StatementError`
naming the file, the position (line, element) and the problem. A reader never returns part of a
malformed file.

May import ``domain``, ``banking.statements``, ``banking.rules.references``, defusedxml, mt-940
and schwifty. Must not import storage, services or the CLI.
"""

from __future__ import annotations

import re
from pathlib import Path

from receivables.banking.errors import StatementError
from receivables.banking.readers.bai2 import read_bai2
from receivables.banking.readers.camt import read_camt, require_camt
from receivables.banking.readers.csv_profile import BankCsvProfile, read_bank_csv
from receivables.banking.readers.mt940 import read_mt940
from receivables.banking.readers.ofx import read_ofx
from receivables.banking.readers.xmlsafe import parse_xml
from receivables.banking.statements import BankStatement

# Bank files of a day or a month stay far below this; larger files are refused before parsing.
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
FORMATS = ("camt", "mt940", "bai2", "ofx", "csv")


def detect_format(data: bytes) -> str | None:
    """Guess the format from the first bytes: XML camt, OFX, BAI2 or SWIFT MT940/MT942."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    upper = head.upper()
    if upper.startswith(b"OFXHEADER") or b"<OFX>" in upper:
        return "ofx"
    if head.startswith(b"<"):
        return "ofx" if b"<?OFX" in upper else "camt"
    if re.match(rb"\d{2},", head):
        return "bai2"
    if b":20:" in head or head.startswith(b"{1:") or re.match(rb":\d{2}[A-Z]?:", head):
        return "mt940"
    return None


def read_statement_file(
    path: Path | str,
    file_format: str | None = None,
    *,
    profile: BankCsvProfile | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> list[BankStatement]:
    """Read every statement of one file; raise :class:`StatementError` if any part is malformed."""
    path = Path(path)
    name = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise StatementError(
                name, "", f"file has {size:,} bytes, more than the limit of {max_bytes:,}"
            )
        data = path.read_bytes()
    except OSError as error:
        raise StatementError(name, "", f"cannot read the file: {error.strerror or error}") from None
    if file_format is None and profile is not None:
        file_format = "csv"
    chosen = file_format or detect_format(data)
    if chosen is None:
        raise StatementError(
            name, "line 1", "unknown statement format; give --statement-format camt, mt940, bai2, ofx or csv"
        )
    statements = _read(chosen, data, name, profile)
    if not statements:
        raise StatementError(name, "", "the file holds no statement")
    return statements


def _read(
    chosen: str, data: bytes, name: str, profile: BankCsvProfile | None
) -> list[BankStatement]:
    if chosen == "camt":
        document = parse_xml(data, name)
        require_camt(document)
        return read_camt(document)
    if chosen == "mt940":
        return read_mt940(data, name)
    if chosen == "bai2":
        return read_bai2(data, name)
    if chosen == "ofx":
        return read_ofx(data, name)
    if chosen == "csv":
        if profile is None:
            raise StatementError(name, "", "a CSV bank file needs a mapping profile (--profile)")
        return read_bank_csv(data, name, profile)
    raise StatementError(name, "", f"unknown format {chosen!r}; use one of {', '.join(FORMATS)}")


__all__ = [
    "DEFAULT_MAX_BYTES",
    "FORMATS",
    "BankCsvProfile",
    "StatementError",
    "detect_format",
    "read_statement_file",
]
