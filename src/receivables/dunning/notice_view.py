"""Everything a notice shows, loaded for a batch of notices: customer, contact, items, totals.

Amounts are what was open on the notice date (stored with the notice), so a notice rendered
later still shows the figures it was planned with. Each item carries its payment reference:
the creditor reference issued for it (``payment_references``), else the one derived from its
number (:func:`receivables.banking.rules.references.creditor_reference`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection, Engine, select

from receivables.banking.rules.references import creditor_reference
from receivables.storage.banking_models import PaymentReferenceRow
from receivables.storage.dunning_models import (
    CustomerContactRow,
    DunningNoticeItemRow,
    DunningNoticeRow,
)
from receivables.storage.models import CustomerRow, DocumentRow

INSTALMENT = getattr(DocumentRow, "instalment", None)
DISCOUNT_OFFERS = getattr(DocumentRow, "discount_offers", None)


@dataclass(frozen=True)
class ItemView:
    document_id: int
    kind: str
    number: str
    instalment: int
    document_date: date
    due_date: date
    currency: str
    amount_minor: int
    open_minor: int
    open_company_minor: int
    days_past_due: int
    reference: str
    discount_offers: str | None = None


@dataclass(frozen=True)
class NoticeView:
    id: int
    customer_id: int
    customer_code: str
    customer_name: str
    level: int
    level_name: str
    policy: str
    notice_date: date
    channel: str
    template: str
    language: str
    status: str
    currency: str
    total_minor: int
    fee_minor: int
    recipient: str | None
    subject_override: str | None
    message_override: str | None
    contact: dict[str, Any] = field(default_factory=dict)
    items: list[ItemView] = field(default_factory=list)


def _notice_rows(connection: Connection, ids: Sequence[int]) -> list[Any]:
    notice = DunningNoticeRow
    contact = CustomerContactRow
    statement = (
        select(
            *notice.__table__.columns,
            CustomerRow.code,
            CustomerRow.name,
            contact.contact_name,
            contact.email,
            contact.phone,
            contact.street,
            contact.postal_code,
            contact.city,
            contact.country,
        )
        .join(CustomerRow, CustomerRow.id == notice.customer_id)
        .outerjoin(contact, contact.customer_id == notice.customer_id)
        .where(notice.id.in_(ids))
    )
    return list(connection.execute(statement))


def _item_rows(connection: Connection, ids: Sequence[int]) -> dict[int, list[ItemView]]:
    item = DunningNoticeItemRow
    document = DocumentRow
    extra = [column for column in (INSTALMENT, DISCOUNT_OFFERS) if column is not None]
    statement = (
        select(
            item.notice_id,
            item.document_id,
            item.open_minor,
            item.open_company_minor,
            item.days_past_due,
            document.kind,
            document.number,
            document.document_date,
            document.due_date,
            document.currency,
            document.amount_minor,
            PaymentReferenceRow.reference,
            *extra,
        )
        .join(document, document.id == item.document_id)
        .outerjoin(PaymentReferenceRow, PaymentReferenceRow.document_id == item.document_id)
        .where(item.notice_id.in_(ids))
        .order_by(item.notice_id, document.due_date, document.number)
    )
    items: dict[int, list[ItemView]] = defaultdict(list)
    for row in connection.execute(statement):
        values = row._mapping
        items[row.notice_id].append(
            ItemView(
                document_id=row.document_id,
                kind=row.kind,
                number=row.number,
                instalment=int(values.get("instalment", 1) or 1),
                document_date=row.document_date,
                due_date=row.due_date,
                currency=row.currency,
                amount_minor=row.amount_minor,
                open_minor=row.open_minor,
                open_company_minor=row.open_company_minor,
                days_past_due=row.days_past_due,
                reference=row.reference or creditor_reference(row.number),
                discount_offers=values.get("discount_offers"),
            )
        )
    return items


def load_views(engine: Engine, ids: Sequence[int]) -> dict[int, NoticeView]:
    """Return the notices with ``ids`` and their items, by notice id."""
    if not ids:
        return {}
    with engine.connect() as connection:
        rows = _notice_rows(connection, ids)
        items = _item_rows(connection, ids)
    views = {}
    for row in rows:
        notice = row
        contact = {
            "contact_name": row.contact_name,
            "email": row.email,
            "phone": row.phone,
            "street": row.street,
            "postal_code": row.postal_code,
            "city": row.city,
            "country": row.country,
        }
        views[notice.id] = NoticeView(
            id=notice.id,
            customer_id=notice.customer_id,
            customer_code=row.code,
            customer_name=row.name,
            level=notice.level,
            level_name=notice.level_name,
            policy=notice.policy,
            notice_date=notice.notice_date,
            channel=notice.channel,
            template=notice.template,
            language=notice.language,
            status=notice.status,
            currency=notice.currency,
            total_minor=notice.total_minor,
            fee_minor=notice.fee_minor,
            recipient=notice.recipient,
            subject_override=notice.subject_override,
            message_override=notice.message_override,
            contact=contact,
            items=items.get(notice.id, []),
        )
    return views
