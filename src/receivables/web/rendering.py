"""Templates of the web app and the responses built from them.

Jinja2 escapes every value (autoescape on), and StrictUndefined turns a misspelt name into an
error instead of an empty cell. A page renders its full template; an HTMX request for the same
action renders only the fragment it swaps in.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import StrictUndefined

from receivables import __version__
from receivables.auth import Principal
from receivables.domain.money import Currency, Money
from receivables.reports import formatting
from receivables.service.dependencies import get_engine
from receivables.web.access import navigation
from receivables.web.viewer import Viewer, is_htmx

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
TEMPLATES.env.undefined = StrictUndefined
TEMPLATES.env.trim_blocks = True
TEMPLATES.env.lstrip_blocks = True


def money(value: Decimal | str | int | None, currency: str) -> str:
    """Format an amount with thousands separators and the currency's decimals: ``1,234.50``."""
    if value is None or value == "":
        return ""
    return formatting.amount(Decimal(str(value)), Currency.of(currency))


def minor(value: int | None, currency: str) -> str:
    """Format an amount in minor units of ``currency``: ``123450`` EUR gives ``1,234.50``."""
    if value is None:
        return ""
    return formatting.amount(Money.from_minor(int(value), currency).amount, Currency.of(currency))


def ratio(value: Decimal | str | None) -> str:
    return formatting.ratio(None if value is None else Decimal(str(value)))


def day(value: date | str | None) -> str:
    """Format a date, or the UTC date of an instant, as ``2024-12-31``."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(UTC).date().isoformat() if value.tzinfo else value.date().isoformat()
    return value.isoformat() if isinstance(value, date) else str(value)[:10]


def words(value: str | None) -> str:
    """Turn a stored code such as ``promise_to_pay`` into words: ``promise to pay``."""
    return "" if value is None else str(value).replace("_", " ")


TEMPLATES.env.filters.update(money=money, minor=minor, ratio=ratio, day=day, words=words)
TEMPLATES.env.globals["version"] = __version__


def render(
    request: Request, template: str, viewer: Viewer | None, status_code: int = 200, **context: Any
) -> HTMLResponse:
    """Render ``template`` with the user's menu, CSRF token and ``context``."""
    principal = viewer.principal if viewer else None
    values = {
        "viewer": viewer,
        "menu": navigation(principal.role) if principal else [],
        "current": request.url.path,
        "csrf_token": viewer.csrf_token if viewer else "",
        **context,
    }
    return TEMPLATES.TemplateResponse(request, template, values, status_code=status_code)


def error_response(request: Request, status: int, message: str, field: str | None) -> HTMLResponse:
    """Render an error as a full page, or as an alert fragment for an HTMX request."""
    if is_htmx(request):
        response = render(request, "_alert.html", None, status, message=message, field=field)
        if request.method == "POST":
            # Every HTMX form contains a .form-result box: the error shows there and the form stays.
            response.headers["HX-Retarget"] = "find .form-result"
            response.headers["HX-Reswap"] = "innerHTML"
        return response
    principal: Principal | None = getattr(request.state, "principal", None)
    session = getattr(request.state, "browser_session", None)
    viewer = None
    if principal is not None:
        viewer = Viewer(principal, session.csrf_token if session else "", get_engine(request))
    title = {401: "Sign-in needed", 403: "Not allowed", 404: "Not found"}.get(status, "Not done")
    return render(request, "error.html", viewer, status, title=title, message=message, field=field)
