"""Credit approvals: releasing holds and changing limits, by the roles the credit rules allow.

The page lists the holds in force and the customers whose limit needs a decision: over their
limit, or past the review date. The actions call ``credit.holds.release_hold`` and
``credit.limits.approve_limit``, which check the role again and write the credit audit trail.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import text

from receivables.auth import record_action
from receivables.credit.holds import release_hold
from receivables.credit.limits import approve_limit
from receivables.credit.summary import credit_positions
from receivables.domain.money import Money
from receivables.web import access
from receivables.web.context import as_of, company_currency, credit_settings
from receivables.web.forms import amount_field, optional_date, text_field
from receivables.web.guard import PageRoute, form_viewer, page_viewer
from receivables.web.rendering import render
from receivables.web.viewer import Viewer, field_error, is_htmx

router = APIRouter(route_class=PageRoute)

HOLDS_SQL = text(
    "SELECT c.code, c.name, h.placed_at, u.name AS placed_by, h.reason FROM credit_holds h "
    "JOIN customers c ON c.id = h.customer_id JOIN users u ON u.id = h.placed_by "
    "WHERE h.released_at IS NULL ORDER BY h.placed_at, c.code"
)
# usage_percent of credit_positions is in hundredths of a percent: 10000 is the whole limit.
FULL_USAGE = 10000


def _decisions(request: Request, viewer: Viewer) -> list[dict[str, Any]]:
    """Return the customers over their limit or past their review date, the most used first."""
    day = as_of(request)
    currency = company_currency(request, viewer.engine)
    frame = credit_positions(viewer.engine, day, currency)
    rows = []
    for row in frame.iter_rows(named=True):
        over = row["usage_percent"] is not None and row["usage_percent"] > FULL_USAGE
        review_due = row["review_date"] is not None and row["review_date"] <= day
        if not (over or review_due):
            continue
        rows.append(
            {
                **row,
                "over_limit": over,
                "review_due": review_due,
                "limit": Money.from_minor(row["limit_minor"] or 0, currency).amount,
                "exposure": Money.from_minor(row["exposure_minor"], currency).amount,
                "usage": None if row["usage_percent"] is None else row["usage_percent"] / 100,
            }
        )
    return sorted(rows, key=lambda row: -(row["usage_percent"] or 0))


@router.get("/credit", include_in_schema=False)
def credit_page(
    request: Request, viewer: Annotated[Viewer, Depends(page_viewer(*access.CREDIT))]
) -> HTMLResponse:
    with viewer.engine.connect() as connection:
        holds = [dict(row._mapping) for row in connection.execute(HOLDS_SQL)]
    currency = company_currency(request, viewer.engine)
    return render(
        request,
        "credit.html",
        viewer,
        title="Credit approvals",
        holds=holds,
        decisions=_decisions(request, viewer),
        currency=currency.code,
        as_of=as_of(request),
        may_release=viewer.role in access.RELEASE_HOLD,
        may_set_limit=viewer.role in access.APPROVE_LIMIT,
    )


def _done(request: Request, viewer: Viewer, code: str, message: str) -> Response:
    """Return a notice for HTMX, else a redirect back to the customer's page."""
    if is_htmx(request):
        return render(request, "_notice.html", viewer, message=message)
    return RedirectResponse(f"/customers/{code}", status_code=303)


@router.post("/credit/release", include_in_schema=False)
async def release(
    request: Request, viewer: Annotated[Viewer, Depends(form_viewer(*access.RELEASE_HOLD))]
) -> Response:
    form = await request.form()
    code = text_field(form, "customer", limit=64)
    reason = text_field(form, "reason")
    hold = release_hold(viewer.engine, code, reason, viewer.name)
    with viewer.engine.begin() as connection:
        record_action(connection, viewer.principal, "web.release_hold", target=code, detail=reason)
    return _done(
        request,
        viewer,
        code,
        f"Hold on {code} released by {hold.released_by}; it had been placed by {hold.placed_by}.",
    )


@router.post("/credit/limit", include_in_schema=False)
async def set_limit(
    request: Request, viewer: Annotated[Viewer, Depends(form_viewer(*access.APPROVE_LIMIT))]
) -> Response:
    form = await request.form()
    code = text_field(form, "customer", limit=64)
    amount = amount_field(form, "amount")
    reason = text_field(form, "reason")
    review = optional_date(form, "review_date")

    currency = company_currency(request, viewer.engine)
    given = Money.of(amount, currency)
    if not given.is_rounded():
        raise field_error("amount", f"{amount} has more decimals than {currency.code} allows")
    limit = Money.from_minor(given.minor_units(), currency)

    change = approve_limit(
        viewer.engine,
        code,
        limit,
        reason,
        viewer.name,
        as_of(request),
        currency,
        credit_settings(request),
        review,
    )
    with viewer.engine.begin() as connection:
        record_action(
            connection, viewer.principal, "web.approve_limit", target=code, detail=f"{limit}: {reason}"
        )
    return _done(
        request,
        viewer,
        code,
        f"Limit of {code} set to {change.amount} from {change.effective_date}, "
        f"review on {change.review_date}.",
    )
