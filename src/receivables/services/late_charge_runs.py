"""Late-charge runs on the stored ledger: interest and compensation debit notes, never twice.

A run for a period reads the open items (each instalment on its own) that were late on a day of
the period, with the allocations to them as dated payments, and hands them to
:func:`receivables.domain.late_charges.plan_late_charges` with the keys of every charge stored
so far. It then writes, in one transaction, one ``debit_note`` per customer and currency and one
``late_charges`` row per charge line. The unique ``charge_key`` of that table is the database's
guard: a second run over the same days finds the keys and charges nothing, and a concurrent run
that slipped past the read fails on the insert and writes nothing.

A run considers the invoices and debit notes dated on or before the period's last day, due
before it and still open at the end of the day before the period starts. The late-charge notes
themselves are left out, because no interest is charged on interest. An item paid off before the
period bears nothing in that run, so consecutive periods charge each late day once.

The interest regime is the same statutory one for every customer (``eu``, ``uk`` or another of
the rates file), or ``contract``: each customer's late-charge clause from the contract valid on
the period's last day; customers without one are not charged.

Under ``contract``, the run also charges the dunning fee of the contract's fee schedule for each
notice of ``receivables collect`` dated in the period whose delivery was sent, once per notice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import polars as pl
from sqlalchemy import Connection, Engine, insert, text
from sqlalchemy.exc import IntegrityError

from receivables.domain.dunning.notices import DeliveryState
from receivables.domain.errors import ReceivablesError
from receivables.domain.interest import DatedPayment, InterestPeriod
from receivables.domain.late_charges import (
    ChargeKey,
    ChargeKind,
    ChargeLine,
    ChargePlan,
    DunningEvent,
    LateChargeClause,
    OverdueItem,
    PlannedDebitNote,
    plan_late_charges,
)
from receivables.domain.money import Money
from receivables.rates import load_rate_book
from receivables.services.contracts import load_contract_book
from receivables.storage.bulk import DOCUMENT_SCHEMA, write_documents
from receivables.storage.frames import read_frame
from receivables.storage.terms_models import LateChargeRow

log = logging.getLogger(__name__)

CONTRACT_REGIME = "contract"
NOTE_PREFIX = "LC"

ITEMS_SQL = (
    "SELECT d.id, c.code, d.kind, d.number, d.instalment, d.document_date, d.due_date, "
    "d.currency, d.amount_minor FROM documents d JOIN customers c ON c.id = d.customer_id "
    "WHERE d.kind IN ('invoice', 'debit_note') AND d.document_date <= '{last}' "
    "AND d.due_date < '{last}' AND NOT EXISTS "
    "(SELECT 1 FROM late_charges l WHERE l.debit_note_id = d.id)"
)
ITEMS_SCHEMA: dict[str, pl.DataType] = {
    "document_id": pl.Int64(), "customer_code": pl.String(), "kind": pl.String(),
    "number": pl.String(), "instalment": pl.Int64(), "document_date": pl.Date(),
    "due_date": pl.Date(), "currency": pl.String(), "amount_minor": pl.Int64(),
}  # fmt: skip
PAYMENTS_SQL = (
    "SELECT a.target_document_id, a.allocation_date, a.amount_minor FROM allocations a "
    "JOIN documents d ON d.id = a.target_document_id WHERE d.kind IN ('invoice', 'debit_note') "
    "AND d.due_date < '{last}' AND a.allocation_date <= '{as_of}'"
)
PAYMENTS_SCHEMA: dict[str, pl.DataType] = {
    "document_id": pl.Int64(),
    "allocation_date": pl.Date(),
    "amount_minor": pl.Int64(),
}


class LateChargeError(ReceivablesError, ValueError):
    """A late-charge run cannot start or cannot be written."""


@dataclass(frozen=True)
class WrittenNote:
    """A planned debit note with the number it got (None in a dry run or when not written)."""

    note: PlannedDebitNote
    number: str | None


@dataclass
class ChargeRun:
    """The outcome of a run: the notes, the waived lines and the problems (items not charged)."""

    as_of: date
    period: InterestPeriod
    regime: str
    dry_run: bool
    notes: list[WrittenNote] = field(default_factory=list)
    plan: ChargePlan | None = None
    skipped: list[tuple[str, str]] = field(default_factory=list)


def item_reference(kind: str, number: str, instalment: int) -> str:
    """Return the reference of an open item in charge keys: ``invoice/INV-1/2``."""
    return f"{kind}/{number}/{instalment}"


def overdue_items(
    engine: Engine, as_of: date, period: InterestPeriod
) -> tuple[list[OverdueItem], dict[str, int]]:
    """Return the items late on some day of ``period`` and each item's document id by reference."""
    last = period.last_day.isoformat()
    items = read_frame(engine, ITEMS_SQL.format(last=last), ITEMS_SCHEMA)
    payments = read_frame(engine, PAYMENTS_SQL.format(last=last, as_of=as_of.isoformat()), PAYMENTS_SCHEMA)
    eve = period.first_day - timedelta(days=1)
    paid_before = (
        payments.filter(pl.col("allocation_date") <= eve)
        .group_by("document_id")
        .agg(pl.col("amount_minor").sum().alias("paid"))
    )
    items = (
        items.join(paid_before, on="document_id", how="left")
        .filter(pl.col("amount_minor") > pl.col("paid").fill_null(0))
        .sort("customer_code", "kind", "number", "instalment")
    )
    return _overdue(items, payments)


def _overdue(items: pl.DataFrame, payments: pl.DataFrame) -> tuple[list[OverdueItem], dict[str, int]]:
    """Build the domain items, with their allocations as dated payments in date order."""
    by_item: dict[int, list[tuple[date, int]]] = {}
    relevant = payments.join(items.select("document_id"), on="document_id", how="semi")
    for document_id, day, amount in relevant.sort("allocation_date").iter_rows():
        by_item.setdefault(document_id, []).append((day, amount))

    result, ids = [], {}
    for row in items.iter_rows(named=True):
        reference = item_reference(row["kind"], row["number"], row["instalment"])
        invoice = f"{row['kind']}/{row['number']}"
        currency = row["currency"]
        result.append(
            OverdueItem(
                customer_code=row["customer_code"],
                reference=reference,
                due_date=row["due_date"],
                amount=Money.from_minor(row["amount_minor"], currency),
                payments=tuple(
                    DatedPayment(day, Money.from_minor(amount, currency))
                    for day, amount in by_item.get(row["document_id"], [])
                ),
                invoice=invoice,
            )
        )
        ids[reference] = row["document_id"]
        ids.setdefault(invoice, row["document_id"])  # the compensation points to its first item
    return result, ids


def _clauses(
    engine: Engine, regime: str, customers: set[str], day: date, rates_file: Path | None
) -> dict[str, LateChargeClause]:
    book = load_rate_book(rates_file)
    if regime == CONTRACT_REGIME:
        return load_contract_book(engine, book).late_charge_clauses(day)
    statutory = book.regime(regime)
    return {customer: LateChargeClause(interest=statutory) for customer in customers}


SENT_NOTICES_SQL = (
    "SELECT n.id, c.code, n.level, n.notice_date, n.currency FROM dunning_notices n "
    "JOIN customers c ON c.id = n.customer_id "
    "WHERE n.notice_date >= :first AND n.notice_date <= :last AND EXISTS ("
    "SELECT 1 FROM dunning_outbox o WHERE o.notice_id = n.id AND o.state = :sent) "
    "ORDER BY n.id"
)


def notice_reference(notice_id: int) -> str:
    """Return the reference of a dunning notice in a charge key: ``N`` and its id."""
    return f"N{notice_id}"


def sent_notices(engine: Engine, period: InterestPeriod) -> list[DunningEvent]:
    """Return the dunning notices dated in ``period`` whose delivery was sent, as fee events."""
    parameters = {"first": period.first_day, "last": period.last_day, "sent": DeliveryState.SENT.value}
    with engine.connect() as connection:
        rows = connection.execute(text(SENT_NOTICES_SQL), parameters).all()
    return [
        DunningEvent(
            customer_code=row.code,
            notice=notice_reference(row.id),
            level=row.level,
            notice_date=row.notice_date
            if isinstance(row.notice_date, date)
            else date.fromisoformat(row.notice_date),
            currency=row.currency,
        )
        for row in rows
    ]


def _as_date(value: date | str) -> date:
    """Return a date column read through ``text()`` as a date, because SQLite returns ISO text."""
    return value if isinstance(value, date) else date.fromisoformat(value)


def _stored_keys(engine: Engine) -> list[ChargeKey]:
    frame = read_frame(engine, "SELECT charge_key FROM late_charges", {"charge_key": pl.String()})
    return [ChargeKey.parse(key) for key in frame.get_column("charge_key").to_list()]


def run_late_charges(
    engine: Engine,
    *,
    as_of: date,
    period: InterestPeriod,
    regime: str,
    dry_run: bool = False,
    due_days: int = 0,
    customer: str | None = None,
    rates_file: Path | None = None,
) -> ChargeRun:
    """Plan the late charges of ``period`` and, unless ``dry_run``, write their debit notes.

    The notes are dated ``as_of`` and due ``due_days`` later. Raises :class:`LateChargeError`
    when the period ends after ``as_of`` or another run charged the same keys meanwhile.
    """
    if period.last_day > as_of:
        raise LateChargeError(
            f"the period ends on {period.last_day}, after the as-of date {as_of}; interest is "
            "charged only for days that have passed"
        )
    if due_days < 0:
        raise LateChargeError(f"due days {due_days} must be 0 or more")
    items, ids = overdue_items(engine, as_of, period)
    if customer is not None:
        items = [item for item in items if item.customer_code == customer]
    clauses = _clauses(engine, regime, {item.customer_code for item in items}, period.last_day, rates_file)
    notices = sent_notices(engine, period)
    if customer is not None:
        notices = [notice for notice in notices if notice.customer_code == customer]
    plan = plan_late_charges(items, period, clauses, _stored_keys(engine), notices)
    run = ChargeRun(as_of, period, regime, dry_run, plan=plan)
    if dry_run or not plan.notes:
        run.notes = [WrittenNote(note, None) for note in plan.notes]
        return run
    try:
        with engine.begin() as connection:
            _write_notes(connection, run, plan, ids, due_days)
    except IntegrityError as error:
        raise LateChargeError(
            "another late-charge run stored some of these charges meanwhile; nothing was "
            "written, run again to charge what is left"
        ) from error
    log.info(
        "late-charge run %s (%s) as of %s: %d notes, %d lines, %d waived, %d problems",
        period, regime, as_of, len(run.notes), sum(len(n.note.lines) for n in run.notes),
        len(plan.waived), len(plan.problems) + len(run.skipped),
    )  # fmt: skip
    return run


def _write_notes(
    connection: Connection, run: ChargeRun, plan: ChargePlan, ids: dict[str, int], due_days: int
) -> None:
    company = _company_currency(connection)
    created = datetime.now(UTC)  # audit time of the run, not an accounting date
    for note in plan.notes:
        rate = _rate(connection, note.currency, company, run.as_of)
        if rate is None:
            run.skipped.append(
                (
                    note.customer_code,
                    f"no exchange rate for {note.currency} on or before {run.as_of}",
                )
            )
            run.notes.append(WrittenNote(note, None))
            continue
        number = _note_number(connection, note, run.period)
        _write_note(connection, note, number, rate, run, due_days)
        note_id, customer_id = connection.execute(
            text(
                "SELECT id, customer_id FROM documents WHERE kind = 'debit_note' AND number = :n "
                "AND instalment = 1"
            ),
            {"n": number},
        ).one()
        connection.execute(
            insert(LateChargeRow),
            [_charge_row(line, note, ids, int(note_id), int(customer_id), created) for line in note.lines],
        )
        run.notes.append(WrittenNote(note, number))


def _charge_row(
    line: ChargeLine,
    note: PlannedDebitNote,
    ids: dict[str, int],
    note_id: int,
    customer_id: int,
    created: datetime,
) -> dict[str, object]:
    key = line.key
    regime = line.calculation.regime if line.calculation is not None else key.kind.value
    return {
        "charge_key": str(key),
        "kind": key.kind.value,
        "customer_id": customer_id,
        "item_document_id": ids.get(key.reference) if key.kind is not ChargeKind.DUNNING_FEE else None,
        "debit_note_id": note_id,
        "first_day": key.first_day,
        "last_day": key.last_day,
        "amount_minor": line.amount.minor_units(),
        "currency": note.currency,
        "regime": regime[:64],
        "created_at": created,
    }


def _company_currency(connection: Connection) -> str | None:
    value = connection.execute(
        text("SELECT value FROM company_settings WHERE key = 'company_currency'")
    ).scalar()
    return None if value is None else str(value)


def _rate(connection: Connection, currency: str, company: str | None, day: date) -> str | None:
    """Return the rate of a note dated ``day``: 1 in the company currency, else the stored one."""
    if company is None or currency == company:
        return "1"
    scaled = connection.execute(
        text(
            "SELECT CAST(ROUND(rate * 10000000000) AS BIGINT) FROM exchange_rates "
            "WHERE currency = :currency AND rate_date <= :day ORDER BY rate_date DESC LIMIT 1"
        ),
        {"currency": currency, "day": day},
    ).scalar()
    if scaled is None:
        return None
    return format((Decimal(int(scaled)) / 10_000_000_000).normalize(), "f")


def _note_number(connection: Connection, note: PlannedDebitNote, period: InterestPeriod) -> str:
    """Return ``LC-<last day>-<customer>-<currency>-<n>``, n one above the run's earlier notes."""
    prefix = f"{NOTE_PREFIX}-{period.last_day:%Y%m%d}-{note.customer_code}-{note.currency}-"
    if len(prefix) > 58:
        raise LateChargeError(f"customer code {note.customer_code} is too long for a late-charge note number")
    escaped = prefix.replace("!", "!!").replace("%", "!%").replace("_", "!_")
    numbers = connection.execute(
        text("SELECT number FROM documents WHERE kind = 'debit_note' AND number LIKE :pattern ESCAPE '!'"),
        {"pattern": escaped + "%"},
    ).scalars()
    used = [int(n[len(prefix) :]) for n in numbers if n.startswith(prefix) and n[len(prefix) :].isdigit()]
    return f"{prefix}{max(used, default=0) + 1}"


def _write_note(
    connection: Connection,
    note: PlannedDebitNote,
    number: str,
    rate: str,
    run: ChargeRun,
    due_days: int,
) -> None:
    kinds = sorted({line.key.kind.value for line in note.lines})
    reference = f"late charges {run.period.first_day} to {run.period.last_day}: {', '.join(kinds)}"
    row = {
        "customer_code": note.customer_code,
        "kind": "debit_note",
        "number": number,
        "document_date": run.as_of,
        "due_date": run.as_of + timedelta(days=due_days),
        "currency": note.currency,
        "amount_minor": note.total.minor_units(),
        "tax_minor": 0,
        "fx_rate": rate,
        "disputed": False,
        "reference": reference[:140],
    }
    write_documents(connection, pl.DataFrame([row], schema=DOCUMENT_SCHEMA))
