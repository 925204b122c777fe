"""Writing the accepted records through the bulk upserts, one file at a time, in dependency order.

Everything runs on the caller's connection, inside its one transaction: exchange rates, then
customers, then documents, then allocations, then one ``import_runs`` row per file and, on the
first import, the company currency.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime

import polars as pl
from sqlalchemy import Connection, insert, text

from receivables.importers.allocation_rules import KEY as ALLOCATION_KEY
from receivables.importers.batch import Outcome, Records
from receivables.importers.layout import WRITE_ORDER, RecordType
from receivables.importers.result import FileResult
from receivables.importers.state import StoredState
from receivables.services.context import COMPANY_CURRENCY
from receivables.storage import bulk
from receivables.storage.models import CompanySetting, ImportRunRow

log = logging.getLogger(__name__)

Writer = Callable[[Connection, pl.DataFrame], bulk.WriteCounts]

def _with_optional(
    schema: dict[str, pl.DataType], optional: dict[str, tuple[pl.DataType, object]]
) -> dict[str, pl.DataType]:
    return schema | {name: dtype for name, (dtype, _) in optional.items()}


WRITERS: dict[RecordType, tuple[Writer, list[str], dict[str, pl.DataType]]] = {
    RecordType.EXCHANGE_RATES: (
        bulk.write_exchange_rates,
        ["currency", "rate_date"],
        bulk.EXCHANGE_RATE_SCHEMA,
    ),
    RecordType.CUSTOMERS: (
        bulk.write_customers,
        ["code"],
        _with_optional(bulk.CUSTOMER_SCHEMA, bulk.CUSTOMER_TERM_COLUMNS),
    ),
    RecordType.DOCUMENTS: (
        bulk.write_documents,
        ["kind", "number", "instalment"],
        _with_optional(bulk.DOCUMENT_SCHEMA, bulk.DOCUMENT_TERM_COLUMNS),
    ),
    RecordType.ALLOCATIONS: (
        bulk.write_allocations,
        ALLOCATION_KEY,
        _with_optional(bulk.ALLOCATION_SCHEMA, bulk.ALLOCATION_INSTALMENT_COLUMNS),
    ),
}


def _first_row_customers(accepted: Records) -> pl.DataFrame:
    """Customers taken from document rows, each from its first row in file and row order.

    Codes of an imported customers file are left out: that file describes them.
    """
    first = accepted.row_customers.sort("_file", "_row").unique("code", keep="first", maintain_order=True)
    return first.filter(~pl.col("code").is_in(accepted.customers.get_column("code").implode()))


def new_row_customers(accepted: Records, state: StoredState) -> pl.DataFrame:
    """Customers from document rows that are not stored yet; stored ones are left as they are."""
    return _first_row_customers(accepted).filter(~pl.col("code").is_in(state.customer_codes.implode()))


def _count_stored_row_customers(accepted: Records, state: StoredState, results: Sequence[FileResult]) -> None:
    stored = _first_row_customers(accepted).filter(pl.col("code").is_in(state.customer_codes.implode()))
    for (file_index,), part in stored.partition_by("_file", as_dict=True).items():
        result = results[int(file_index)]
        previous = result.written.get(RecordType.CUSTOMERS.value, bulk.WriteCounts(0, 0, 0))
        result.written[RecordType.CUSTOMERS.value] = previous + bulk.WriteCounts(0, 0, part.height)


def _frames_by_type(accepted: Records, state: StoredState) -> dict[RecordType, list[pl.DataFrame]]:
    return {
        RecordType.EXCHANGE_RATES: [accepted.rates],
        RecordType.CUSTOMERS: [accepted.customers, new_row_customers(accepted, state)],
        RecordType.DOCUMENTS: [accepted.documents.sort("_file", "_row", "_order")],
        RecordType.ALLOCATIONS: [accepted.allocations.sort("_file", "_row", "_order")],
    }


def write_records(
    connection: Connection, outcome: Outcome, state: StoredState, results: Sequence[FileResult]
) -> None:
    """Write every accepted record; add each writer's counts to the result of the file it came from."""
    frames = _frames_by_type(outcome.accepted, state)
    had_later = _has_later_instalments(connection)
    for record_type in WRITE_ORDER:
        writer, key, schema = WRITERS[record_type]
        stacked = pl.concat(
            [frame for frame in frames[record_type] if not frame.is_empty()] or [frames[record_type][0]],
            how="diagonal_relaxed",
        )
        for (file_index,), part in stacked.partition_by("_file", as_dict=True, maintain_order=True).items():
            rows = part.unique(key, keep="first", maintain_order=True).select(list(schema))
            counts = writer(connection, rows)
            result = results[int(file_index)]
            result.written[record_type.value] = (
                result.written.get(record_type.value, bulk.WriteCounts(0, 0, 0)) + counts
            )
        if record_type is RecordType.DOCUMENTS and not stacked.is_empty():
            _drop_left_out_instalments(connection, stacked, had_later)
    _count_stored_row_customers(outcome.accepted, state, results)
    for result in results:
        result.written = {
            kind.value: result.written[kind.value] for kind in WRITE_ORDER if kind.value in result.written
        }
    if outcome.company.is_new and outcome.company.code:
        connection.execute(insert(CompanySetting).values(key=COMPANY_CURRENCY, value=outcome.company.code))


def _has_later_instalments(connection: Connection) -> bool:
    found = connection.execute(text("SELECT 1 FROM documents WHERE instalment > 1 LIMIT 1")).scalar()
    return found is not None


def _drop_left_out_instalments(connection: Connection, documents: pl.DataFrame, had_later: bool) -> None:
    """Delete stored instalments of the imported documents that the import left out.

    Only rows that describe a whole document replace its instalments; a row that names its
    instalment leaves the others alone. The allocation checks rejected every document that would
    leave out an instalment with an allocation, so the rows deleted here have none. The delete is
    skipped when it cannot find anything: before the write no stored document had a later
    instalment (``had_later``), and every whole document imported has its instalment 1.
    """
    whole = documents.filter(~pl.col("_one_instalment")).select("kind", "number").unique()
    keys = (
        documents.join(whole, on=["kind", "number"], how="semi")
        .select("kind", "number", "instalment")
        .unique()
    )
    firsts = keys.filter(pl.col("instalment") == 1).height
    if keys.is_empty() or (not had_later and firsts == whole.height):
        return
    deleted = bulk.delete_dropped_instalments(connection, keys)
    if deleted:
        log.info("deleted %d stored instalments that the imported documents leave out", deleted)


def record_runs(
    connection: Connection, results: Sequence[FileResult], started: datetime, finished: datetime
) -> None:
    """Add one ``import_runs`` row per file, for the audit trail."""
    rows = [
        {
            "file_name": result.file[-500:],
            "sha256": result.sha256 or "",
            "profile": result.profile,
            "record_type": result.record_type or "unknown",
            "rows_read": result.rows_read,
            "rows_written": result.rows_read - result.rows_rejected,
            "rows_rejected": result.rows_rejected,
            "started_at": started,
            "finished_at": finished,
        }
        for result in results
    ]
    if rows:
        connection.execute(insert(ImportRunRow), rows)
