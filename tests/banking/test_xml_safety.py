"""Bank XML is parsed without document types, entities or external references."""

from __future__ import annotations

from pathlib import Path

import pytest

from receivables.banking.errors import StatementError
from receivables.banking.readers import read_statement_file

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
<BkToCstmrStmt>&lol2;</BkToCstmrStmt></Document>
"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE doc [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
<BkToCstmrStmt>&secret;</BkToCstmrStmt></Document>
"""


@pytest.mark.parametrize(
    "content", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["expansion", "external"]
)
def test_entities_rejected(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "statement.xml"
    path.write_bytes(content)

    with pytest.raises(StatementError, match="DTDs and entities are not allowed"):
        read_statement_file(path)


def test_ofx_doctype_rejected(tmp_path: Path) -> None:
    path = tmp_path / "statement.ofx"
    path.write_bytes(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><OFX></OFX>')

    with pytest.raises(StatementError, match="not allowed"):
        read_statement_file(path)


def test_file_over_size_limit_rejected(tmp_path: Path) -> None:
    path = tmp_path / "big.xml"
    path.write_bytes(b"<Document>" + b" " * 2000 + b"</Document>")

    with pytest.raises(StatementError, match="more than the limit of 1,000"):
        read_statement_file(path, max_bytes=1000)


def test_broken_xml_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.xml"
    path.write_bytes(b"<?xml version='1.0'?>\n<Document>\n  <BkToCstmrStmt>\n</Document>\n")

    with pytest.raises(StatementError) as raised:
        read_statement_file(path)

    assert raised.value.position == "line 4, column 3"
