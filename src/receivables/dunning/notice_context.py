"""The variables of a notice template: plain strings, numbers, lists and dicts.

Top-level names: ``company``, ``customer``, ``notice``, ``items``, ``totals``, ``fee``,
``interest_regime``, ``offer``, ``discount_offers``, ``payment_reference``, ``message`` and
``labels``. Amounts are already formatted for the notice's language (``1.234,50 €`` in German);
``docs/collections.md`` lists every key. Only data goes in, never objects with methods, so a
template cannot call into the application.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal
from typing import Any

from receivables.banking.rules.references import format_reference
from receivables.domain.dunning.policy import DunningPolicy
from receivables.domain.money import Money
from receivables.dunning.config import CollectionSettings
from receivables.dunning.formatting import date_text, money_text, money_text_of
from receivables.dunning.notice_view import ItemView, NoticeView

CONTACT_KEYS = ("contact_name", "street", "postal_code", "city", "country", "email", "phone")


def _item(item: ItemView, interest: Money | None, language: str) -> dict[str, Any]:
    number = item.number if item.instalment == 1 else f"{item.number}/{item.instalment}"
    return {
        "number": number,
        "kind": item.kind,
        "document_date": date_text(item.document_date, language),
        "due_date": date_text(item.due_date, language),
        "days_past_due": item.days_past_due,
        "currency": item.currency,
        "amount": money_text(item.amount_minor, item.currency, language),
        "open": money_text(item.open_minor, item.currency, language),
        "paid": money_text(item.amount_minor - item.open_minor, item.currency, language),
        "partly_paid": item.open_minor < item.amount_minor,
        "interest": money_text_of(interest.amount, item.currency, language) if interest else None,
        "reference": item.reference,
        "reference_print": format_reference(item.reference),
    }


def _totals(view: NoticeView, interest: dict[int, Money]) -> list[dict[str, Any]]:
    open_by: dict[str, int] = defaultdict(int)
    interest_by: dict[str, int] = defaultdict(int)
    for item in view.items:
        open_by[item.currency] += item.open_minor
        if item.document_id in interest:
            interest_by[item.currency] += interest[item.document_id].minor_units()
    fee = view.fee_minor
    rows = []
    for currency in sorted(open_by):
        fee_here = fee if currency == view.currency else 0
        due = open_by[currency] + interest_by[currency] + fee_here
        rows.append(
            {
                "currency": currency,
                "open": money_text(open_by[currency], currency, view.language),
                "interest": money_text(interest_by[currency], currency, view.language)
                if interest_by[currency]
                else None,
                "fee": money_text(fee_here, currency, view.language) if fee_here else None,
                "due": money_text(due, currency, view.language),
            }
        )
    return rows


def _offer(view: NoticeView, policy: DunningPolicy | None) -> dict[str, Any] | None:
    """Return the level's settlement offer, when it has one and every item is in one currency.

    Paid in full by the deadline, the customer owes the open total less ``percent`` of it
    (rounded half-up to the minor unit), and the dunning fee is waived.
    """
    if policy is None or not 1 <= view.level <= policy.top:
        return None
    offer = policy.level(view.level).offer
    if offer is None or any(item.currency != view.currency for item in view.items):
        return None
    total = Money.from_minor(view.total_minor, view.currency)
    discount = Money(total.amount * offer.percent / 100, total.currency).rounded()
    saving = discount + Money.from_minor(view.fee_minor, view.currency)
    return {
        "percent": str(offer.percent.normalize()),
        "deadline": date_text(view.notice_date + timedelta(days=offer.days), view.language),
        "discount": money_text_of(saving.amount, view.currency, view.language),
        "pay": money_text_of((total - discount).amount, view.currency, view.language),
    }


def _discount_offers(view: NoticeView) -> list[dict[str, Any]]:
    """Return the invoices' own early-payment discounts whose deadline has not passed."""
    offers = []
    for item in view.items:
        if not item.discount_offers:
            continue
        for values in json.loads(item.discount_offers):
            deadline = values.get("deadline", "")
            if deadline and deadline >= view.notice_date.isoformat():
                offers.append(
                    {
                        "number": item.number,
                        "percent": values.get("percent"),
                        "deadline": deadline,
                        "discount": money_text_of(
                            Decimal(values.get("amount", "0")), item.currency, view.language
                        ),
                    }
                )
    return offers


def notice_context(
    view: NoticeView,
    settings: CollectionSettings,
    labels: dict[str, str],
    interest: dict[int, Money],
    regime: str | None,
) -> dict[str, Any]:
    """Return the template variables of ``view``."""
    company = settings.company
    language = view.language
    policy = settings.book.policies.get(view.policy)
    items = [_item(item, interest.get(item.document_id), language) for item in view.items]
    return {
        "company": {
            "name": company.name,
            "address": list(company.address),
            "email": company.email,
            "phone": company.phone,
            "iban": company.iban,
            "bic": company.bic,
        },
        "customer": {
            "code": view.customer_code,
            "name": view.customer_name,
            **{key: view.contact.get(key) or "" for key in CONTACT_KEYS},
        },
        "notice": {
            "id": view.id,
            "level": view.level,
            "level_name": view.level_name,
            "date": date_text(view.notice_date, language),
            "iso_date": view.notice_date.isoformat(),
            "language": language,
            "channel": view.channel,
            "currency": view.currency,
            "total": money_text(view.total_minor, view.currency, language),
        },
        "items": items,
        "totals": _totals(view, interest),
        "fee": money_text(view.fee_minor, view.currency, language) if view.fee_minor else None,
        "interest_regime": regime,
        "offer": _offer(view, policy),
        "discount_offers": _discount_offers(view),
        "payment_reference": items[0]["reference_print"] if len(items) == 1 else None,
        "message": view.message_override,
        "subject_override": view.subject_override,
        "labels": labels,
    }
