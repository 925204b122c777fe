"""Problems a batch run reports instead of raising: each names the customer and what it is about."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Problem:
    """Something the run could not do as planned; the rest of the run went on.

    ``subject`` names what the problem is about (a notice, a template, a document), ``reason``
    says what went wrong and what happened instead.
    """

    customer_code: str | None
    subject: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        customer = f"customer {self.customer_code}, " if self.customer_code else ""
        return f"{customer}{self.subject}: {self.reason}"
