"""Tokenizer of SWIFT MT940/MT942 text: messages, tags and the line each tag starts on.

A tag starts a line with ``:NNa:`` (``:20:``, ``:28C:``, ``:61:``) or the non-standard ``:NS:``;
lines that follow until the next tag continue its value. A line starting with ``-`` ends a
message, and so does a new ``:20:``. SWIFT envelope blocks (``{1:...}{2:...}{4:``) are removed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from receivables.banking.errors import StatementError

TAG_LINE = re.compile(r"^:(\d{2}[A-Z]?|NS):(.*)$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Tag:
    """One field of a message: its name (``61``, ``60F``), its value and its first line."""

    name: str
    value: str
    line: int


@dataclass
class Message:
    """The tags of one MT940 statement or MT942 report, with the line it starts on."""

    line: int
    tags: list[Tag] = field(default_factory=list)

    def first(self, *names: str) -> Tag | None:
        return next((tag for tag in self.tags if tag.name in names), None)


def decode(data: bytes) -> str:
    """Decode UTF-8, else ISO-8859-1 (German and Dutch banks); control characters become spaces."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("iso-8859-1")
    return _CONTROL.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))


def _strip_envelope(line: str) -> str:
    if line.startswith("{"):
        block = line.rfind("{4:")
        line = line[block + 3 :] if block >= 0 else ""
    return line[:-1] if line.endswith("-}") else line


def split_messages(text: str, file: str) -> list[Message]:
    """Split the text into messages of tags; raise when a tag line sits outside any message."""
    messages: list[Message] = []
    current: Message | None = None
    pending: tuple[str, list[str], int] | None = None

    def close_tag() -> None:
        nonlocal pending
        if pending is not None and current is not None:
            name, parts, start = pending
            current.tags.append(Tag(name, "\n".join(parts).rstrip(), start))
        pending = None

    for number, raw in enumerate(text.split("\n"), start=1):
        line = _strip_envelope(raw.rstrip())
        match = TAG_LINE.match(line)
        if match:
            close_tag()
            if match.group(1) == "20" or current is None:
                current = Message(number)
                messages.append(current)
            pending = (match.group(1), [match.group(2)], number)
        elif line.startswith("-"):
            close_tag()
            current = None
        elif pending is not None:
            pending[1].append(line)
        elif line.strip() and messages and current is not None:
            raise StatementError(file, f"line {number}", f"text outside any tag: {line[:40]!r}")
    close_tag()
    return [message for message in messages if message.tags]
