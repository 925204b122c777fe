"""``receivables credit import``: statements, bureau records, orders and sales figures from files.

The record type of each file comes from its header (or is given):

- ``statements``: has ``fiscal_year`` or ``total_assets``;
- ``bureau``: has ``provider``;
- ``orders``: has ``order_number``;
- ``sales``: has ``month``.

All files of one call are written in one transaction, so a call imports its good rows from every
file or nothing at all (when a file cannot be read). Rows with problems are left out and listed;
the others are upserted by their natural keys, so importing the same files twice changes nothing.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path

import polars as pl
from sqlalchemy import Connection, Engine

from receivables.credit.bureau_import import import_bureau
from receivables.credit.errors import NoCompanyCurrencyError
from receivables.credit.order_import import import_orders
from receivables.credit.reading import CreditFileError, FileReport, read_text_frame
from receivables.credit.sales_import import import_sales
from receivables.credit.statement_import import import_statements
from receivables.domain.credit.settings import CreditSettings
from receivables.domain.money import Currency

log = logging.getLogger(__name__)


class CreditRecordType(StrEnum):
    STATEMENTS = "statements"
    BUREAU = "bureau"
    ORDERS = "orders"
    SALES = "sales"


def detect_type(columns: Sequence[str]) -> CreditRecordType | None:
    """The record type a header names, or ``None`` when it fits none."""
    present = set(columns)
    if present & {"fiscal_year", "total_assets"}:
        return CreditRecordType.STATEMENTS
    if "provider" in present:
        return CreditRecordType.BUREAU
    if "order_number" in present:
        return CreditRecordType.ORDERS
    if "month" in present:
        return CreditRecordType.SALES
    return None


def _run(
    kind: CreditRecordType,
    connection: Connection,
    frame: pl.DataFrame,
    report: FileReport,
    settings: CreditSettings,
    company: Currency | None,
) -> None:
    if kind is CreditRecordType.STATEMENTS:
        import_statements(connection, frame, report)
    elif kind is CreditRecordType.BUREAU:
        import_bureau(connection, frame, report, settings)
    elif kind is CreditRecordType.ORDERS:
        import_orders(connection, frame, report)
    else:
        if company is None:
            raise NoCompanyCurrencyError()
        import_sales(connection, frame, report, company)


def import_credit_files(
    engine: Engine,
    paths: Sequence[Path],
    settings: CreditSettings,
    company: Currency | None,
    record_type: CreditRecordType | None = None,
) -> list[FileReport]:
    """Import ``paths`` in one transaction; raise :class:`CreditFileError` for an unreadable file.

    ``company`` is the company currency, needed by sales files only.
    """
    reports = []
    with tempfile.TemporaryDirectory(prefix="receivables-credit-") as scratch:
        frames = []
        for path in paths:
            frame = read_text_frame(path, Path(scratch))
            chosen = record_type or detect_type(frame.columns)
            if chosen is None:
                raise CreditFileError(
                    path.name,
                    "the header fits no credit record type; expected fiscal_year (statements), "
                    "provider (bureau), order_number (orders) or month (sales), or give --type",
                )
            frames.append((path, frame, chosen))
        with engine.begin() as connection:
            for path, frame, chosen in frames:
                report = FileReport(path.name, chosen.value)
                _run(chosen, connection, frame, report, settings, company)
                reports.append(report)
                log.info(
                    "credit import of %s (%s): %d rows read, %d written, %d rejected",
                    path.name,
                    chosen.value,
                    report.rows_read,
                    report.rows_written,
                    report.rows_rejected,
                )
    return reports
