"""Which open items a notice may chase, and the key that identifies a bundle of items.

An open item (an invoice, a debit note or one instalment of them) is eligible for dunning when
it is not disputed, not covered by a pending promise to pay and its customer is not on a dunning
hold. Its open amount is what remains after the allocations dated on or before the as-of date,
so a partly paid item is chased for its residual.

A notice bundles every eligible item of the customer that its level lists (see
:attr:`DunningLevel.bundle_from_days`). Its items key is a digest of the sorted document ids:
the database keeps one notice per customer, level and items key, which makes a planned notice
impossible to plan twice, whatever runs at the same time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from receivables.domain.dunning.formulas import flag, negate

ITEMS_KEY_LENGTH = 40


def eligible(disputed: Any, promised: Any, held: Any) -> Any:
    """Return 1 for an item dunning may chase; the arguments are 0/1 flags."""
    return negate(disputed) * negate(promised) * negate(held)


def in_bundle(days_past_due: Any, bundle_from_days: int) -> Any:
    """Return 1 for an item a notice listing items from ``bundle_from_days`` on includes."""
    return flag(days_past_due >= bundle_from_days)


def items_key(document_ids: Iterable[int]) -> str:
    """Return the digest of a bundle: the first 40 hex digits of SHA-256 over the sorted ids."""
    text = ",".join(str(number) for number in sorted(set(document_ids)))
    return hashlib.sha256(text.encode("ascii")).hexdigest()[:ITEMS_KEY_LENGTH]
