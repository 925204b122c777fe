"""Bounded subset sum: which of a customer's open items add up to one payment.

Both searches meet in the middle and differ in what they split:

- by position, for few items or large sets: the items are cut into two halves, every subset of
  each half with at most ``max_size`` items is summed, and the sums of one half are looked up in
  the sorted sums of the other. Two halves of 12 items give at most 4,096 subsets each.
- by size, for many items and small sets: every set of up to ``ceil(max_size / 2)`` items is
  looked up in the sorted sums of the sets of up to ``floor(max_size / 2)`` items, and pairs that
  share an item are dropped. Sets of up to 5 of 60 items take 36,000 and 1,800 sums.

The cheaper of the two runs. Both use NumPy and find the same subsets. At most ``MAX_ITEMS`` items
are searched, the first ones given. Up to two subsets are returned, fewest items first, so the
caller can tell a unique combination from an ambiguous one.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from functools import lru_cache
from math import comb

import numpy as np
import numpy.typing as npt

# Subsets are kept as bit masks in 64-bit integers.
MAX_ITEMS = 62
# Pairs of partial sums examined before the search stops looking for more subsets.
MAX_PAIRS = 4_096
# Partial sums one search may compute; beyond it, the last items given are left out.
MAX_SUMS = 1 << 17

Int64Array = npt.NDArray[np.int64]


@lru_cache(maxsize=32)
def _bits(count: int) -> Int64Array:
    """Every subset of ``count`` items as a 0/1 matrix (one row per subset, mask order)."""
    masks = np.arange(1 << count, dtype=np.int64)
    return ((masks[:, None] >> np.arange(count, dtype=np.int64)) & 1).astype(np.int64)


@lru_cache(maxsize=8)
def _sets_of(size: int) -> tuple[Int64Array, Int64Array]:
    """List every set of ``size`` of ``MAX_ITEMS`` indices, one per row, with its mask.

    The rows are ordered by their largest index: then the sets drawn from the first ``n`` indices
    are the first ``comb(n, size)`` rows, so one table serves every item count.
    """
    if size == 0:
        return np.zeros((1, 0), dtype=np.int64), np.zeros(1, dtype=np.int64)
    rows = np.array(
        sorted(itertools.combinations(range(MAX_ITEMS), size), key=lambda row: row[::-1]),
        dtype=np.int64,
    )
    return rows, (np.int64(1) << rows).sum(axis=1, dtype=np.int64)


def _by_position(values: Int64Array, max_size: int) -> tuple[Int64Array, ...]:
    """Sums, sizes and masks of the subsets of each half of ``values``."""

    def half(part: Int64Array, offset: int) -> tuple[Int64Array, Int64Array, Int64Array]:
        bits = _bits(len(part))
        sizes = bits.sum(axis=1)
        keep = sizes <= max_size
        masks = np.nonzero(keep)[0].astype(np.int64) << offset
        return bits[keep] @ part, sizes[keep], masks

    split = len(values) // 2
    return (*half(values[:split], 0), *half(values[split:], split))


def _by_size(values: Int64Array, max_size: int) -> tuple[Int64Array, ...]:
    """Sums, sizes and masks of the sets of up to ``ceil(max_size / 2)`` and ``floor`` items."""
    count = len(values)

    def sets(low: int, high: int) -> tuple[Int64Array, Int64Array, Int64Array]:
        sums, sizes, masks = [], [], []
        for size in range(low, min(high, count) + 1):
            rows, row_masks = _sets_of(size)
            within = comb(count, size)  # the rows drawn from the first ``count`` indices
            sums.append(values[rows[:within]].sum(axis=1))
            sizes.append(np.full(within, size, dtype=np.int64))
            masks.append(row_masks[:within])
        return np.concatenate(sums), np.concatenate(sizes), np.concatenate(masks)

    return (*sets(1, (max_size + 1) // 2), *sets(0, max_size // 2))


def _cost_by_position(count: int) -> int:
    return 2 << ((count + 1) // 2)


def _cost_by_size(count: int, max_size: int) -> int:
    return sum(comb(count, size) for size in range(max_size + 1))


def find_subsets(values: Sequence[int], low: int, high: int, max_size: int) -> list[tuple[int, ...]]:
    """Find up to two non-empty subsets (as indices) summing into ``[low, high]``, fewest first."""
    count = min(len(values), MAX_ITEMS)
    while count > 0 and min(_cost_by_position(count), _cost_by_size(count, (max_size + 1) // 2)) > MAX_SUMS:
        count -= 1
    if count == 0 or high <= 0 or max_size <= 0:
        return []
    amounts = np.asarray(values[:count], dtype=np.int64)
    if int(np.sort(amounts)[::-1][:max_size].sum()) < low or int(amounts.min()) > high:
        return []
    max_size = min(max_size, count)
    if _cost_by_position(count) <= _cost_by_size(count, (max_size + 1) // 2):
        left_sums, left_sizes, left_masks, right_sums, right_sizes, right_masks = _by_position(
            amounts, max_size
        )
    else:
        left_sums, left_sizes, left_masks, right_sums, right_sizes, right_masks = _by_size(amounts, max_size)
    order = np.argsort(right_sums, kind="stable")
    right_sums, right_sizes, right_masks = right_sums[order], right_sizes[order], right_masks[order]
    starts = np.searchsorted(right_sums, low - left_sums, side="left")
    ends = np.searchsorted(right_sums, high - left_sums, side="right")
    hits = np.nonzero(ends > starts)[0]
    spans = (ends - starts)[hits]
    if spans.sum() > MAX_PAIRS:
        keep = np.cumsum(spans) <= MAX_PAIRS
        keep[0] = True
        hits, spans = hits[keep], spans[keep]
    left = np.repeat(hits, spans)
    right = np.repeat(starts[hits] - np.cumsum(spans) + spans, spans) + np.arange(int(spans.sum()))
    disjoint = (left_masks[left] & right_masks[right]) == 0
    sizes = left_sizes[left] + right_sizes[right]
    fits = disjoint & (sizes > 0) & (sizes <= max_size)
    masks = left_masks[left][fits] | right_masks[right][fits]
    # A set split across the halves in several ways appears once per split: keep it once.
    masks, first = np.unique(masks, return_index=True)
    sizes = sizes[fits][first]
    chosen = masks[np.lexsort((masks, sizes))][:2]
    return [tuple(i for i in range(count) if int(mask) >> i & 1) for mask in chosen]
