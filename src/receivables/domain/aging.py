"""Aging: which bucket an open item falls in on an as-of date.

Days past due are ``as_of - due_date`` in calendar days, so an item due on the as-of date is 0 days
past due and still current. Aging by document date uses ``as_of - document_date`` instead.

Buckets are given by their upper edges. The default edges ``(0, 30, 60, 90)`` give the buckets
current (<= 0), 1-30, 31-60, 61-90 and 91+; an item falls into the first bucket whose upper edge
is >= its days, and into the last bucket when it is beyond every edge.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from receivables.domain.errors import ReceivablesError


class AgingBasis(StrEnum):
    DUE_DATE = "due_date"
    DOCUMENT_DATE = "document_date"


class InvalidBucketsError(ReceivablesError, ValueError):
    """Bucket edges that are not strictly increasing whole numbers."""


@dataclass(frozen=True, slots=True)
class AgingBuckets:
    """Aging buckets defined by strictly increasing upper edges in days."""

    edges: tuple[int, ...] = (0, 30, 60, 90)
    basis: AgingBasis = AgingBasis.DUE_DATE

    def __post_init__(self) -> None:
        if not self.edges or any(b <= a for a, b in zip(self.edges, self.edges[1:], strict=False)):
            raise InvalidBucketsError(f"bucket edges {list(self.edges)} must be strictly increasing")

    @staticmethod
    def parse(text: str, basis: AgingBasis | str = AgingBasis.DUE_DATE) -> AgingBuckets:
        """Read edges such as ``"0,30,60,90"``."""
        try:
            edges = tuple(int(part) for part in text.replace(";", ",").split(",") if part.strip())
        except ValueError as error:
            raise InvalidBucketsError(
                f"bucket edges {text!r} must be whole numbers separated by commas"
            ) from error
        return AgingBuckets(edges, AgingBasis(basis))

    @property
    def labels(self) -> list[str]:
        """The bucket labels in order, such as ``current, 1-30, 31-60, 61-90, 91+``."""
        first = self.edges[0]
        if self.basis is AgingBasis.DUE_DATE:
            labels = ["current" if first == 0 else f"up to {first}"]
        else:
            labels = [f"0-{first}"]
        labels += [f"{low + 1}-{high}" for low, high in zip(self.edges, self.edges[1:], strict=False)]
        labels.append(f"{self.edges[-1] + 1}+")
        return labels

    def index(self, days: Any) -> Any:
        """Return the bucket number for ``days``: the count of edges that ``days`` exceeds.

        Written with comparisons and additions only, so it accepts an ``int`` as well as a
        vectorized column expression; the analytics use this same rule for the whole ledger.
        """
        result: Any = 0
        for edge in self.edges:
            result = (days > edge) + result
        return result

    def label(self, days: int) -> str:
        return self.labels[int(self.index(days))]

    def days(self, as_of: date, document_date: date, due_date: date) -> int:
        """The age used for bucketing: days past due, or days since the document date."""
        reference = due_date if self.basis is AgingBasis.DUE_DATE else document_date
        return (as_of - reference).days


def days_past_due(as_of: date, due_date: date) -> int:
    """Calendar days from the due date to ``as_of``; zero or less means not overdue."""
    return (as_of - due_date).days


def edges_from(values: Sequence[int]) -> tuple[int, ...]:
    return tuple(int(value) for value in values)
