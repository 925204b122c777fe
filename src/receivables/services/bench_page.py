"""The benchmarks page: each benchmark command writes its own ``## `` section of one Markdown file.

A section starts with its ``## `` heading line and runs to the next ``## `` heading or the end of
the page. Writing a section replaces the one with the same heading and keeps every other section
as it was. A section not yet on the page is appended, or put first under the page title.
"""

from __future__ import annotations

from pathlib import Path

PAGE_TITLE = "# Benchmarks"


def replace_section(text: str, section: str, *, first: bool = False) -> str:
    """Put ``section`` in place of the section of ``text`` with the same heading.

    A missing section goes after the page title when ``first``, else at the end.
    """
    heading = section.split("\n", 1)[0]
    if text.startswith(heading + "\n"):
        start = 0
    else:
        found = text.find("\n" + heading + "\n")
        start = found + 1 if found >= 0 else -1
    if start >= 0:
        end = text.find("\n## ", start + len(heading))
        tail = text[end + 1 :] if end >= 0 else ""
        return text[:start] + section + ("\n" + tail if tail else "")
    if not text.strip():
        return PAGE_TITLE + "\n\n" + section
    if not first:
        return text.rstrip("\n") + "\n\n" + section
    title_end = text.find("\n", text.find(PAGE_TITLE)) if PAGE_TITLE in text else -1
    head = text[: title_end + 1] if title_end >= 0 else PAGE_TITLE + "\n"
    rest = text[title_end + 1 :].lstrip("\n") if title_end >= 0 else text.lstrip("\n")
    return head + "\n" + section + ("\n" + rest if rest else "")


def write_section(path: Path, section: str, *, first: bool = False) -> Path:
    """Write ``section`` into the page at ``path``, creating the page when it does not exist."""
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(replace_section(text, section, first=first), encoding="utf-8")
    return path
