"""Safe XML parsing for bank files: no DTD, no entities, bounded size, and line numbers.

``defusedxml`` rejects any document type declaration, entity declaration or external reference,
which stops entity-expansion ("billion laughs") and external-entity attacks. The element tree
built here remembers the line each element starts on, so errors can point into the file.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from receivables.banking.errors import StatementError


@dataclass
class XmlDocument:
    """A parsed XML file with the start line of every element."""

    file: str
    root: ElementTree.Element
    lines: dict[int, int] = field(default_factory=dict)

    def line(self, element: ElementTree.Element) -> int | None:
        return self.lines.get(id(element))

    def position(self, element: ElementTree.Element, path: str) -> str:
        line = self.line(element)
        return f"line {line}, element {path}" if line else f"element {path}"

    def error(self, element: ElementTree.Element, path: str, reason: str) -> StatementError:
        return StatementError(self.file, self.position(element, path), reason)


class _LineTreeBuilder(ElementTree.TreeBuilder):
    def __init__(self, lines: dict[int, int]) -> None:
        super().__init__()
        self.lines = lines
        self.parser: DefusedXMLParser | None = None

    def start(self, tag, attrs):  # type: ignore[no-untyped-def]
        element = super().start(tag, attrs)
        if self.parser is not None:
            self.lines[id(element)] = self.parser.parser.CurrentLineNumber
        return element


def parse_xml(data: bytes, file: str) -> XmlDocument:
    """Parse ``data`` safely; raise :class:`StatementError` with the line and column on failure."""
    lines: dict[int, int] = {}
    builder = _LineTreeBuilder(lines)
    parser = DefusedXMLParser(
        target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True
    )
    builder.parser = parser
    try:
        parser.feed(data)
        root = parser.close()
    except ElementTree.ParseError as error:
        line, column = error.position
        reason = str(error).split(":")[0]
        raise StatementError(
            file, f"line {line}, column {column + 1}", f"invalid XML: {reason}"
        ) from None
    except DefusedXmlException as error:
        raise StatementError(
            file, "", f"rejected XML: {error}; DTDs and entities are not allowed in bank files"
        ) from None
    return XmlDocument(file, root, lines)


def local_name(tag: str) -> str:
    """The tag without its namespace: ``{urn:iso:...}Ntry`` becomes ``Ntry``."""
    return tag.rsplit("}", 1)[-1]


def namespace(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""
