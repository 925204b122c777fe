"""Allocation totals per document, summed by integer scatter-adds rather than a grouped join.

A ledger of 10 million invoices has about 19 million documents and 12 million allocations.
Grouping them by document id in a Polars hash table and joining the result back took about 20
seconds there, measured on two cores shared with other work. Adding each allocation into an array
indexed by its document's row position (``numpy.add.at``, and ``minimum.at`` and ``maximum.at`` for
the first and last allocation day) does the same work exactly in integers, vectorized, in about
two seconds on the same machine.

An allocation counts on both of its documents: its target (an open item, whose open amount it
reduces) and its source (a credit document, whose unapplied credit it uses up).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from receivables.analytics.errors import InvalidLedgerDataError

NO_FIRST = np.iinfo(np.int32).max
NO_LAST = np.iinfo(np.int32).min
# Ids up to this multiple of the document count index a lookup array directly. Sparser ids are
# found by binary search instead, so a few very large ids never allocate a huge array.
DENSE_FACTOR = 4

MOVEMENT_SCHEMA = {
    "document_id": pl.Int64, "row": pl.Int64, "allocation_date": pl.Date, "amount_minor": pl.Int64,
    "first_allocation": pl.Date, "last_allocation": pl.Date,
}  # fmt: skip


@dataclass(frozen=True)
class AllocationTotals:
    """Allocation totals per document row, and the movements of multi-day documents.

    Per row: minor units allocated in total, and the first and last allocation day in days since
    1970-01-01 (``NO_FIRST``/``NO_LAST`` without allocations). ``movements`` has one row per
    document allocated on two or more days and per day, sorted by row and day. ``target_rows`` and
    ``source_rows`` are the rows of each allocation's two documents.
    """

    allocated_minor: np.ndarray
    first_day: np.ndarray
    last_day: np.ndarray
    movements: pl.DataFrame
    target_rows: np.ndarray
    source_rows: np.ndarray


def document_rows(document_ids: np.ndarray, referenced: np.ndarray) -> np.ndarray:
    """Find the row of each id of ``referenced`` in ``document_ids``; raise if an id is not there."""
    count = len(document_ids)
    if count and document_ids.min() >= 0 and document_ids.max() <= DENSE_FACTOR * count + 1_000:
        lookup = np.full(int(document_ids.max()) + 1, -1, dtype=np.int64)
        lookup[document_ids] = np.arange(count, dtype=np.int64)
        inside = (referenced >= 0) & (referenced < len(lookup))
        rows = np.where(inside, lookup[np.where(inside, referenced, 0)], -1)
    else:
        order = np.argsort(document_ids, kind="stable")
        ordered = document_ids[order]
        at = np.minimum(np.searchsorted(ordered, referenced), max(count - 1, 0))
        found = (ordered[at] == referenced) if count else np.zeros(len(referenced), dtype=bool)
        rows = np.where(found, order[at] if count else -1, -1)
    missing = rows < 0
    if missing.any():
        raise InvalidLedgerDataError(
            f"{int(missing.sum())} allocations refer to documents that are not in the ledger, "
            f"such as document id {int(referenced[missing][0])}"
        )
    return rows


def allocation_totals(document_ids: np.ndarray, allocations: pl.DataFrame) -> AllocationTotals:
    """Sum ``allocations`` (source_id, target_id, allocation_date, amount_minor) onto the documents."""
    count = len(document_ids)
    targets = document_rows(document_ids, allocations["target_id"].to_numpy())
    sources = document_rows(document_ids, allocations["source_id"].to_numpy())
    rows = np.concatenate([targets, sources])
    amounts = np.tile(allocations["amount_minor"].to_numpy().astype(np.int64), 2)
    days = np.tile(allocations["allocation_date"].cast(pl.Int32).to_numpy().astype(np.int32), 2)
    allocated = np.zeros(count, dtype=np.int64)
    np.add.at(allocated, rows, amounts)
    first = np.full(count, NO_FIRST, dtype=np.int32)
    np.minimum.at(first, rows, days)
    last = np.full(count, NO_LAST, dtype=np.int32)
    np.maximum.at(last, rows, days)
    multi = first[rows] != last[rows]
    return AllocationTotals(
        allocated,
        first,
        last,
        _movements(document_ids, rows[multi], days[multi], amounts[multi], first, last),
        targets,
        sources,
    )


def _movements(
    document_ids: np.ndarray,
    rows: np.ndarray,
    days: np.ndarray,
    amounts: np.ndarray,
    first: np.ndarray,
    last: np.ndarray,
) -> pl.DataFrame:
    """Sum same-day allocations into one row per document and day, sorted by row and day."""
    steps = (
        pl.DataFrame({"row": rows, "day": days, "amount_minor": amounts})
        .group_by("row", "day")
        .agg(pl.col("amount_minor").sum())
        .sort("row", "day")
    )
    step_rows = steps["row"].to_numpy()
    return pl.DataFrame(
        {
            "document_id": document_ids[step_rows],
            "row": step_rows,
            "allocation_date": steps["day"],
            "amount_minor": steps["amount_minor"],
            "first_allocation": first[step_rows],
            "last_allocation": last[step_rows],
        }
    ).cast(MOVEMENT_SCHEMA)  # type: ignore[arg-type]


def day_column(days: np.ndarray, name: str, sentinel: int) -> pl.Series:
    """Days since 1970-01-01 as a date column, null where the sentinel marks no allocation."""
    values = pl.Series(name, days, dtype=pl.Int32)
    return pl.select(pl.when(values != sentinel).then(values).cast(pl.Date).alias(name)).to_series()
