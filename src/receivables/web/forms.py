"""Reading form fields: each parser names the field and the value it rejects.

A browser sends every field as text. These parsers turn it into the types the capabilities take
and raise a 400 :class:`PageError` whose message starts with the field's label.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from starlette.datastructures import FormData

from receivables.web.viewer import field_error

MAX_TEXT = 500


def text_field(form: FormData, name: str, *, required: bool = True, limit: int = MAX_TEXT) -> str:
    """Return the stripped text of field ``name``; raise when it is required and blank."""
    value = form.get(name)
    content = value.strip() if isinstance(value, str) else ""
    if required and not content:
        raise field_error(name, "is required")
    if len(content) > limit:
        raise field_error(name, f"is {len(content)} characters long; the limit is {limit}")
    return content


def optional_text(form: FormData, name: str) -> str | None:
    return text_field(form, name, required=False) or None


def date_field(form: FormData, name: str) -> date:
    content = text_field(form, name)
    try:
        return date.fromisoformat(content)
    except ValueError:
        raise field_error(name, f"{content!r} is not a date; use YYYY-MM-DD") from None


def optional_date(form: FormData, name: str) -> date | None:
    return date_field(form, name) if text_field(form, name, required=False) else None


def amount_field(form: FormData, name: str) -> Decimal:
    """Return a finite, non-negative amount such as ``1250.00``; thousands commas are allowed."""
    content = text_field(form, name).replace(",", "")
    try:
        value = Decimal(content)
    except InvalidOperation:
        raise field_error(name, f"{content!r} is not an amount; write it like 1250.00") from None
    if not value.is_finite() or value < 0:
        raise field_error(name, f"{content!r} must be an amount of zero or more, like 1250.00")
    return value


def optional_amount(form: FormData, name: str) -> Decimal | None:
    return amount_field(form, name) if text_field(form, name, required=False) else None


def choice_field(form: FormData, name: str, choices: tuple[str, ...]) -> str:
    content = text_field(form, name)
    if content not in choices:
        raise field_error(name, f"{content!r} is not one of {', '.join(choices)}")
    return content


def id_field(form: FormData, name: str) -> int:
    content = text_field(form, name)
    if not content.isdigit():
        raise field_error(name, f"{content!r} is not an id")
    return int(content)
