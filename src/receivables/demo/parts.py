"""Credit documents and allocations collected while the generator settles the open items.

Documents are kept per kind as parallel arrays and numbered only when the frames are built, so
each step can add a batch and refer to its documents by position.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

Ints = npt.NDArray[np.int64]

CREDIT_KINDS = ("credit_note", "payment", "write_off", "discount")

# Reference texts of credit documents, by reason code.
REASONS = (
    "return of goods",
    "price correction",
    "dispute settled",
    "cash discount 2%",
    "bank transfer",
    "bad debt: customer insolvent",
    "small balance written off",
)
REASON = {text: code for code, text in enumerate(REASONS)}


@dataclass
class CreditBatch:
    """Credit documents of one kind; ``first_item`` is the item a payment pays first."""

    customer: Ints
    day: Ints
    amount: Ints
    tax: Ints
    reason: Ints
    first_item: Ints


@dataclass
class LedgerParts:
    """The credit documents and allocations generated so far."""

    credits: dict[str, list[CreditBatch]] = field(default_factory=lambda: {kind: [] for kind in CREDIT_KINDS})
    sizes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CREDIT_KINDS, 0))
    allocations: list[tuple[str, Ints, Ints, Ints, Ints]] = field(default_factory=list)

    def add_credits(self, kind: str, batch: CreditBatch) -> int:
        """Append a batch of credit documents of ``kind``; return the position of its first one."""
        offset = self.sizes[kind]
        self.credits[kind].append(batch)
        self.sizes[kind] += int(batch.customer.shape[0])
        return offset

    def allocate(self, kind: str, source: Ints, target: Ints, day: Ints, amount: Ints) -> None:
        """Record allocations of credit documents of ``kind`` (by position) to items (by index)."""
        self.allocations.append((kind, source, target, day, amount))

    def allocated(self, item_count: int) -> Ints:
        """Return the total allocated to each item so far, whatever the allocation dates."""
        totals = np.zeros(item_count, dtype=np.int64)
        for _kind, _source, target, _day, amount in self.allocations:
            np.add.at(totals, target, amount)
        return totals

    def batch(self, kind: str) -> CreditBatch:
        """Return every credit document of ``kind`` as one batch, in the order they were added."""
        batches = self.credits[kind]
        if not batches:
            empty = np.zeros(0, dtype=np.int64)
            return CreditBatch(empty, empty, empty, empty, empty, empty)
        return CreditBatch(
            *(
                np.concatenate([getattr(b, name) for b in batches])
                for name in CreditBatch.__dataclass_fields__
            )
        )
