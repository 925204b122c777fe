"""Import of bank statement files into the bank tables, all files in one transaction.

Every file is read before anything is written: one malformed file means nothing is imported,
and the result lists each problem with its file and position. A statement already imported
(same account, format, key and content) changes nothing. A transaction already stored from an
overlapping statement (same fingerprint) is skipped and counted as a duplicate, and statements
of the same account whose periods overlap are reported.

Credits become ``unmatched`` transactions waiting for the matching run; debits and reversals are
stored as ``ignored``: they are not customer payments.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, insert, select
from sqlalchemy.orm import Session

from receivables.banking.errors import StatementError
from receivables.banking.readers import BankCsvProfile, read_statement_file
from receivables.banking.statements import BankStatement, BankTransaction
from receivables.banking.transitions import TransactionStatus
from receivables.storage.banking_models import BankStatementRow, BankTransactionRow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StatementResult:
    """The outcome of importing one statement of one file."""

    file: str
    account: str
    format: str
    statement_key: str
    period: tuple[date, date] | None
    transactions_read: int
    transactions_new: int
    duplicates: int
    already_imported: bool
    overlaps: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass
class BankImportResult:
    """The outcome of one import call: per-statement results, or the problems that stopped it."""

    statements: list[StatementResult] = field(default_factory=list)
    problems: list[StatementError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def transactions_new(self) -> int:
        return sum(item.transactions_new for item in self.statements)


def read_files(
    paths: Sequence[Path | str],
    file_format: str | None = None,
    profile: BankCsvProfile | None = None,
) -> tuple[list[tuple[BankStatement, str]], list[StatementError]]:
    """Read every file; return the statements with each file's SHA-256, and every problem found."""
    statements: list[tuple[BankStatement, str]] = []
    problems: list[StatementError] = []
    for path in paths:
        try:
            found = read_statement_file(path, file_format, profile=profile)
        except StatementError as error:
            problems.append(error)
            continue
        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        statements.extend((statement, digest) for statement in found)
    return statements, problems


def import_statements(
    engine: Engine,
    paths: Sequence[Path | str],
    file_format: str | None = None,
    profile: BankCsvProfile | None = None,
) -> BankImportResult:
    """Read and store the statements of ``paths``; store nothing if any file is malformed."""
    statements, problems = read_files(paths, file_format, profile)
    if problems:
        return BankImportResult(problems=problems)
    result = BankImportResult()
    now = datetime.now(UTC)
    with Session(engine) as session, session.begin():
        for statement, digest in statements:
            result.statements.append(_store(session, statement, digest, now))
    log.info(
        "bank import: %d statements from %d files, %d new transactions",
        len(result.statements),
        len(paths),
        result.transactions_new,
    )
    return result


def _store(
    session: Session, statement: BankStatement, digest: str, now: datetime
) -> StatementResult:
    content = statement.content_sha256()
    period = statement.period
    existing = session.scalar(
        select(BankStatementRow.id).where(
            BankStatementRow.account == statement.account,
            BankStatementRow.format == statement.format.value,
            BankStatementRow.statement_key == statement.statement_key[:140],
            BankStatementRow.content_sha256 == content,
        )
    )
    base: dict[str, Any] = dict(
        file=statement.file,
        account=statement.account,
        format=statement.format.value,
        statement_key=statement.statement_key,
        period=period,
        transactions_read=len(statement.transactions),
        notes=statement.notes,
    )
    if existing is not None:
        return StatementResult(
            **base,
            transactions_new=0,
            duplicates=len(statement.transactions),
            already_imported=True,
        )
    overlaps = _overlaps(session, statement)
    fingerprints = statement.fingerprints()
    known = (
        set(
            session.scalars(
                select(BankTransactionRow.fingerprint).where(
                    BankTransactionRow.fingerprint.in_(fingerprints)
                )
            )
        )
        if fingerprints
        else set()
    )
    new = [
        (t, f) for t, f in zip(statement.transactions, fingerprints, strict=True) if f not in known
    ]
    row = BankStatementRow(
        account=statement.account,
        format=statement.format.value,
        statement_key=statement.statement_key[:140],
        content_sha256=content,
        currency=statement.currency,
        from_date=period[0] if period else None,
        to_date=period[1] if period else None,
        opening_minor=statement.opening_balance.minor_units()
        if statement.opening_balance
        else None,
        closing_minor=statement.closing_balance.minor_units()
        if statement.closing_balance
        else None,
        file_name=str(statement.file)[-500:],
        file_sha256=digest,
        transactions_read=len(statement.transactions),
        transactions_new=len(new),
        imported_at=now,
    )
    session.add(row)
    session.flush()
    if new:
        session.execute(
            insert(BankTransactionRow), [_transaction_row(row.id, t, f) for t, f in new]
        )
    return StatementResult(
        **base,
        transactions_new=len(new),
        duplicates=len(known),
        already_imported=False,
        overlaps=overlaps,
    )


def _overlaps(session: Session, statement: BankStatement) -> tuple[str, ...]:
    period = statement.period
    if period is None:
        return ()
    rows = session.execute(
        select(
            BankStatementRow.statement_key, BankStatementRow.from_date, BankStatementRow.to_date
        ).where(
            BankStatementRow.account == statement.account,
            BankStatementRow.from_date <= period[1],
            BankStatementRow.to_date >= period[0],
        )
    )
    return tuple(f"{key} ({start} to {end})" for key, start, end in rows)


def _transaction_row(
    statement_id: int, transaction: BankTransaction, fingerprint: str
) -> dict[str, Any]:
    receipt = transaction.is_credit and not transaction.reversal
    return {
        "statement_id": statement_id,
        "fingerprint": fingerprint,
        "sequence": transaction.sequence,
        "booking_date": transaction.booking_date,
        "value_date": transaction.value_date,
        "amount_minor": transaction.amount.minor_units(),
        "currency": transaction.amount.currency.code,
        "counterparty_name": (transaction.counterparty_name or None)
        and transaction.counterparty_name[:200],
        "counterparty_account": (transaction.counterparty_account or None)
        and transaction.counterparty_account[:64],
        "counterparty_iban": transaction.counterparty_iban,
        "counterparty_bic": (transaction.counterparty_bic or None)
        and transaction.counterparty_bic[:11],
        "remittance_text": transaction.remittance_text,
        "structured_reference": (transaction.structured_reference or None)
        and transaction.structured_reference[:64],
        "reference_kind": transaction.reference_kind.value if transaction.reference_kind else None,
        "end_to_end_id": (transaction.end_to_end_id or None) and transaction.end_to_end_id[:64],
        "bank_reference": (transaction.bank_reference or None) and transaction.bank_reference[:64],
        "transaction_code": (transaction.transaction_code or None)
        and transaction.transaction_code[:64],
        "reversal": transaction.reversal,
        "source_position": transaction.position[:300],
        "status": (TransactionStatus.UNMATCHED if receipt else TransactionStatus.IGNORED).value,
    }
