"""Bounded subset sum: which of a customer's open items add up to one payment.

The search runs over at most ``max_items`` items with at most ``max_size`` items per subset and
keeps at most ``max_states`` partial sums, dropping sums above the target; it returns up to two
subsets so the caller can tell a unique combination from an ambiguous one. Items are tried in
the given order (oldest due first), so the first subset found prefers older items.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

MAX_STATES = 2_000


def find_subsets(
    values: Sequence[int],
    low: int,
    high: int,
    max_size: int,
    max_states: int = MAX_STATES,
) -> list[tuple[int, ...]]:
    """Indices of up to two subsets whose sum lies in ``[low, high]``, fewest items first."""
    count = min(len(values), 62)
    if count == 0 or high <= 0:
        return []
    amounts = np.asarray(values[:count], dtype=np.int64)
    largest = np.sort(amounts)[::-1][:max_size]
    if int(largest.sum()) < low or int(amounts.min()) > high:
        return []
    sums = np.zeros(1, dtype=np.int64)
    masks = np.zeros(1, dtype=np.int64)
    sizes = np.zeros(1, dtype=np.int64)
    for index in range(count):
        grow = sizes < max_size
        new_sums = sums[grow] + amounts[index]
        keep = new_sums <= high
        sums = np.concatenate([sums, new_sums[keep]])
        masks = np.concatenate([masks, masks[grow][keep] | (np.int64(1) << index)])
        sizes = np.concatenate([sizes, sizes[grow][keep] + 1])
        if sums.size > max_states:
            # States made of earlier (older) items come first; the newest ones are dropped.
            sums, masks, sizes = sums[:max_states], masks[:max_states], sizes[:max_states]
    hits = np.nonzero((sums >= low) & (sums <= high) & (sizes > 0))[0]
    hits = hits[np.argsort(sizes[hits], kind="stable")][:2]
    return [tuple(i for i in range(count) if int(masks[hit]) >> i & 1) for hit in hits]
