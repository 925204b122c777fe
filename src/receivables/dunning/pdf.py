"""HTML to PDF with WeasyPrint (it lays out with Pango, which the system provides)."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)

# WeasyPrint logs every CSS property it ignores at WARNING; those are layout details, not errors.
logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)


def html_to_pdf(html: str) -> bytes:
    """Lay out ``html`` (with its own CSS, no external resources) as a PDF document."""
    from weasyprint import HTML

    document: bytes = HTML(string=html, base_url=None).write_pdf()
    return document
