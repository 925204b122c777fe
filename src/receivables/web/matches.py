"""Review of match suggestions: bank transactions the matching run could not apply alone.

Accepting calls ``banking.review.accept``, which applies the suggestion to the ledger and learns
the payer; rejecting calls ``banking.review.reject``. Banking keeps no user on these actions, so
the service audit records who took them.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from receivables.auth import record_action
from receivables.banking.review import accept, list_suggestions, reject
from receivables.banking.settings import load_match_settings
from receivables.web import access
from receivables.web.context import company_currency
from receivables.web.forms import id_field
from receivables.web.guard import PageRoute, form_viewer, page_viewer
from receivables.web.rendering import render
from receivables.web.viewer import Viewer, is_htmx

router = APIRouter(route_class=PageRoute)
MatchForm = Annotated[Viewer, Depends(form_viewer(*access.MATCHES))]


@router.get("/matches", include_in_schema=False)
def match_list(
    request: Request, viewer: Annotated[Viewer, Depends(page_viewer(*access.MATCHES))]
) -> HTMLResponse:
    return render(
        request, "matches.html", viewer, title="Match suggestions", rows=list_suggestions(viewer.engine)
    )


def _done(request: Request, viewer: Viewer, message: str) -> Response:
    if is_htmx(request):
        return render(request, "_notice.html", viewer, message=message)
    return RedirectResponse("/matches", status_code=303)


@router.post("/matches/accept", include_in_schema=False)
async def accept_match(request: Request, viewer: MatchForm) -> Response:
    proposal = id_field(await request.form(), "suggestion")
    currency = company_currency(request, viewer.engine)
    learned = accept(viewer.engine, proposal, load_match_settings(), currency.code)
    with viewer.engine.begin() as connection:
        record_action(connection, viewer.principal, "web.accept_match", target=str(proposal))
    taught = f" Learned: {', '.join(learned)}." if learned else ""
    return _done(request, viewer, f"Suggestion {proposal} applied.{taught}")


@router.post("/matches/reject", include_in_schema=False)
async def reject_match(request: Request, viewer: MatchForm) -> Response:
    proposal = id_field(await request.form(), "suggestion")
    reject(viewer.engine, proposal)
    with viewer.engine.begin() as connection:
        record_action(connection, viewer.principal, "web.reject_match", target=str(proposal))
    return _done(request, viewer, f"Suggestion {proposal} rejected; it is not suggested again.")
