"""The legal hand-over: a case file for a collection agency or a lawyer, as CSV and PDF.

A case file holds the customer and its contact data, every open item on the as-of date with its
original amount, what is open and the payment reference, and the contact history: notices with
their delivery, tasks with their outcomes, promises to pay and disputes, oldest first. It is
written to ``case-<customer>-<as_of>/`` as ``items.csv``, ``history.csv`` and ``casefile.pdf``;
writing it again for the same day replaces the files. The hand-over is recorded in the audit log.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, text

from receivables.banking.rules.references import creditor_reference, format_reference
from receivables.domain.dunning.roles import Action
from receivables.domain.money import Currency, Money
from receivables.dunning.audit import record
from receivables.dunning.config import CollectionSettings
from receivables.dunning.open_amounts import OpenItem, customer_id_of, open_items_of
from receivables.dunning.pdf import html_to_pdf
from receivables.dunning.rendering import Renderer
from receivables.dunning.users import acting_user

NOTICE_EVENTS = (
    "SELECT n.notice_date AS day, 'notice' AS event, "
    "n.level_name || ' by ' || n.channel || ', ' || n.status "
    "|| COALESCE(', delivery ' || o.state, '') AS detail "
    "FROM dunning_notices n LEFT JOIN dunning_outbox o ON o.notice_id = n.id "
    "WHERE n.customer_id = :c"
)
TASK_EVENTS = (
    "SELECT COALESCE(done_on, due_date) AS day, 'task' AS event, kind || ', ' || status "
    "|| COALESCE(', outcome ' || outcome, '') || COALESCE(': ' || note, '') AS detail "
    "FROM dunning_tasks WHERE customer_id = :c"
)
PROMISE_EVENTS = (
    "SELECT made_on AS day, 'promise to pay' AS event, "
    "'promised for ' || CAST(promised_date AS TEXT) || ', ' || state AS detail "
    "FROM promises WHERE customer_id = :c"
)
DISPUTE_EVENTS = (
    "SELECT s.opened_on AS day, 'dispute' AS event, "
    "d.number || ': ' || s.reason || ', ' || s.status "
    "|| COALESCE(' (' || s.resolution || ')', '') AS detail "
    "FROM disputes s JOIN documents d ON d.id = s.document_id WHERE s.customer_id = :c"
)
HISTORY_SQL = (NOTICE_EVENTS, TASK_EVENTS, PROMISE_EVENTS, DISPUTE_EVENTS)

ITEM_COLUMNS = [
    "number",
    "kind",
    "document_date",
    "due_date",
    "days_past_due",
    "currency",
    "amount",
    "open",
    "disputed",
    "payment_reference",
]


@dataclass(frozen=True)
class CaseFile:
    folder: Path
    items: int
    events: int
    open_total: Money


def _history(connection: Connection, customer: int) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    for sql in HISTORY_SQL:
        events.extend(dict(row._mapping) for row in connection.execute(text(sql), {"c": customer}))
    return sorted(events, key=lambda event: (str(event["day"]), event["event"]))


def _item_row(item: OpenItem, as_of: date) -> dict[str, Any]:
    return {
        "number": item.number,
        "kind": item.kind,
        "document_date": item.document_date.isoformat(),
        "due_date": item.due_date.isoformat(),
        "days_past_due": (as_of - item.due_date).days,
        "currency": item.currency,
        "amount": str(Money.from_minor(item.amount_minor, item.currency).amount),
        "open": str(Money.from_minor(item.open_minor, item.currency).amount),
        "disputed": item.disputed,
        "payment_reference": format_reference(creditor_reference(item.number)),
    }


def _write_csv(path: Path, rows: list[dict[str, Any]], columns: list[str]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


def hand_over(
    engine: Engine,
    settings: CollectionSettings,
    company: Currency,
    code: str,
    as_of: date,
    folder: Path,
    user: str | None = None,
) -> CaseFile:
    """Write the case file of customer ``code`` and record the hand-over."""
    with engine.begin() as connection:
        name = acting_user(connection, user, Action.HAND_OVER)
        customer = customer_id_of(connection, code)
        head = connection.execute(
            text(
                "SELECT c.code, c.name, k.contact_name, k.email, k.phone, k.street, k.postal_code, "
                "k.city, k.country FROM customers c LEFT JOIN customer_contacts k "
                "ON k.customer_id = c.id WHERE c.id = :c"
            ),
            {"c": customer},
        ).one()
        open_items = open_items_of(connection, customer, as_of, company)
        items = [_item_row(item, as_of) for item in open_items]
        open_total = sum(item.open_company_minor for item in open_items)
        history = [{**event, "day": str(event["day"])} for event in _history(connection, customer)]
        target = folder / f"case-{code}-{as_of.isoformat()}"
        target.mkdir(parents=True, exist_ok=True)
        _write_csv(target / "items.csv", items, ITEM_COLUMNS)
        _write_csv(target / "history.csv", history, ["day", "event", "detail"])
        context = {
            "company": {"name": settings.company.name, "address": list(settings.company.address)},
            "customer": {key: value or "" for key, value in head._mapping.items()},
            "as_of": as_of.isoformat(),
            "items": items,
            "history": history,
            "open_total": str(Money.from_minor(open_total, company).amount),
            "currency": company.code,
        }
        html = Renderer(settings).render("layout/casefile.html.j2", context)
        (target / "casefile.pdf").write_bytes(html_to_pdf(html))
        detail = {"folder": str(target), "items": len(items), "open_total": context["open_total"]}
        record(connection, name, "handed_over", detail, customer_id=customer)
    return CaseFile(target, len(items), len(history), Money.from_minor(open_total, company))
