"""Customer pages: the list with credit positions, one customer's page, and the order check.

Every role may open customer pages; a collector sees only the customers assigned to them
(``visible_customer_ids``), and a customer outside that set is a 404, so its existence is not
revealed either.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import Engine, select

from receivables.credit.check import check_customer_order
from receivables.credit.limits import recommend
from receivables.credit.summary import credit_positions
from receivables.domain.credit.roles import Role
from receivables.domain.errors import ReceivablesError
from receivables.domain.money import Money
from receivables.service.dependencies import visible_customer_ids
from receivables.storage.models import CustomerRow
from receivables.web import access
from receivables.web.context import as_of, company_currency, credit_settings
from receivables.web.customer_view import load_customer_view
from receivables.web.guard import PageRoute, page_viewer
from receivables.web.rendering import render
from receivables.web.viewer import PageError, Viewer, field_error, is_htmx

router = APIRouter(route_class=PageRoute)
CustomerViewer = Annotated[Viewer, Depends(page_viewer(*access.CUSTOMERS))]
# Sales check customers before an order; collectors and viewers do not take orders.
ORDER_CHECK = frozenset({Role.ADMIN, Role.FINANCE_MANAGER, Role.CREDIT_MANAGER, Role.SALES})
PAGE_SIZE = 50


def visible_codes(engine: Engine, viewer: Viewer) -> set[str] | None:
    """Return the codes of the customers the user may see, or None for all of them."""
    with engine.connect() as connection:
        ids = visible_customer_ids(connection, viewer.principal)
        if ids is None:
            return None
        rows = connection.execute(select(CustomerRow.code).where(CustomerRow.id.in_(ids)))
        return {row.code for row in rows}


def check_visible(viewer: Viewer, code: str) -> None:
    """Raise a 404 page when the user may not see customer ``code``."""
    codes = visible_codes(viewer.engine, viewer)
    if codes is not None and code not in codes:
        raise PageError(404, f"customer {code} not found among your assigned customers")


def page_number(request: Request) -> int:
    """Return the ``page`` query value, 1 by default; raise when it is not a whole number from 1."""
    text = request.query_params.get("page", "1")
    if not text.isdigit() or int(text) < 1:
        raise field_error("page", f"{text!r} is not a page number")
    return int(text)


@router.get("/customers", include_in_schema=False)
def customer_list(request: Request, viewer: CustomerViewer) -> HTMLResponse:
    query = request.query_params.get("q", "").strip()[:100]
    page = page_number(request)
    currency = company_currency(request, viewer.engine)
    frame = credit_positions(viewer.engine, as_of(request), currency)
    codes = visible_codes(viewer.engine, viewer)
    rows = [
        row
        for row in frame.iter_rows(named=True)
        if (codes is None or row["customer_code"] in codes)
        and (not query or query.lower() in f"{row['customer_code']} {row['name']}".lower())
    ]
    shown = rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    for row in shown:
        for name in ("limit_minor", "exposure_minor", "available_minor"):
            minor = row[name]
            row[name.removesuffix("_minor")] = (
                None if minor is None else Money.from_minor(minor, currency).amount
            )
    return render(
        request,
        "customers.html",
        viewer,
        title="Customers",
        rows=shown,
        total=len(rows),
        page=page,
        pages=max(1, -(-len(rows) // PAGE_SIZE)),
        query=query,
        currency=currency.code,
    )


@router.get("/customers/{code:path}", include_in_schema=False)
def customer_page(request: Request, code: str, viewer: CustomerViewer) -> HTMLResponse:
    check_visible(viewer, code)
    currency = company_currency(request, viewer.engine)
    settings = credit_settings(request)
    view = load_customer_view(viewer.engine, code, as_of(request), currency, settings)
    may_set_limit = viewer.role in access.APPROVE_LIMIT
    recommendation, unavailable = None, ""
    if may_set_limit:
        try:
            _evaluation, recommendation = recommend(viewer.engine, code, as_of(request), currency, settings)
        except ReceivablesError as error:
            # A missing exchange rate of a statement must not hide the rest of the page.
            unavailable = str(error)
    return render(
        request,
        "customer.html",
        viewer,
        title=f"{code} {view.customer['name']}",
        view=view,
        currency=currency.code,
        as_of=as_of(request),
        may_check=viewer.role in ORDER_CHECK,
        may_release=viewer.role in access.RELEASE_HOLD,
        may_set_limit=may_set_limit,
        recommendation=recommendation,
        recommendation_unavailable=unavailable,
    )


@router.get("/order-check", include_in_schema=False)
def order_check(
    request: Request, viewer: Annotated[Viewer, Depends(page_viewer(*ORDER_CHECK))]
) -> HTMLResponse:
    """Decide on an order amount for a customer, as the ERP's order check would, and show why."""
    code = request.query_params.get("customer", "").strip()
    amount_text = request.query_params.get("amount", "").strip().replace(",", "")
    if not code:
        raise field_error("customer", "is required")
    currency = company_currency(request, viewer.engine)
    try:
        order = Money.of(amount_text, currency.code)
    except ReceivablesError as error:
        raise field_error("amount", f"{amount_text!r} is not an amount; write it like 1250.00") from error
    if order.amount <= 0 or not order.is_rounded():
        raise field_error(
            "amount", f"{amount_text!r} must be more than zero, in {currency.code}'s minor unit"
        )
    with viewer.engine.connect() as connection:
        check = check_customer_order(
            connection, code, order, as_of(request), currency, credit_settings(request).policy
        )
    template = "_order_check.html" if is_htmx(request) else "order_check.html"
    return render(
        request, template, viewer, title=f"Order check of {code}", check=check, currency=currency.code
    )
