"""Bounded subset sum: which of a customer's open items add up to one payment.

Meet in the middle: the items (at most ``MAX_ITEMS``, the first ones given, which the caller
orders oldest due first) are split into two halves; every subset of each half with at most
``max_size`` items is summed with NumPy, and the sums of one half are searched in the sorted sums
of the other. Two halves of 12 items give at most 4,096 subsets each, so one search costs well
under a millisecond. Up to two subsets are returned, fewest items first, so the caller can tell
a unique combination from an ambiguous one.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import numpy.typing as npt

MAX_ITEMS = 24


@lru_cache(maxsize=32)
def _bits(count: int) -> npt.NDArray[np.int64]:
    """Every subset of ``count`` items as a 0/1 matrix (one row per subset, mask order)."""
    masks = np.arange(1 << count, dtype=np.int64)
    return ((masks[:, None] >> np.arange(count, dtype=np.int64)) & 1).astype(np.int64)


def _half(values: npt.NDArray[np.int64], max_size: int) -> tuple[npt.NDArray[np.int64], ...]:
    bits = _bits(len(values))
    sizes = bits.sum(axis=1)
    keep = sizes <= max_size
    masks = np.nonzero(keep)[0].astype(np.int64)
    return bits[keep] @ values, sizes[keep], masks


def find_subsets(
    values: Sequence[int], low: int, high: int, max_size: int
) -> list[tuple[int, ...]]:
    """Find up to two non-empty subsets (as indices) summing into ``[low, high]``, fewest first."""
    count = min(len(values), MAX_ITEMS)
    if count == 0 or high <= 0:
        return []
    amounts = np.asarray(values[:count], dtype=np.int64)
    if int(np.sort(amounts)[::-1][:max_size].sum()) < low or int(amounts.min()) > high:
        return []
    split = count // 2
    left_sums, left_sizes, left_masks = _half(amounts[:split], max_size)
    right_sums, right_sizes, right_masks = _half(amounts[split:], max_size)
    order = np.argsort(right_sums, kind="stable")
    right_sums, right_sizes, right_masks = right_sums[order], right_sizes[order], right_masks[order]
    starts = np.searchsorted(right_sums, low - left_sums, side="left")
    ends = np.searchsorted(right_sums, high - left_sums, side="right")
    found: list[tuple[int, int, int]] = []
    for left in np.nonzero(ends > starts)[0]:
        for right in range(int(starts[left]), int(ends[left])):
            size = int(left_sizes[left] + right_sizes[right])
            if 0 < size <= max_size:
                found.append((size, int(left_masks[left]), int(right_masks[right])))
        if len(found) > 64:
            break
    found.sort()
    return [
        tuple(i for i in range(split) if mask_left >> i & 1)
        + tuple(split + i for i in range(count - split) if mask_right >> i & 1)
        for _, mask_left, mask_right in found[:2]
    ]
