"""Review of dunning notices: the drafts of the last run, a preview, approval and skipping.

Approval and skipping call ``dunning.review.approve`` and ``dunning.review.skip``, which check
the role again, allow only drafts and write the collections audit. A collector reviews the
notices of the customers assigned to them.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from receivables.auth import record_action
from receivables.domain.dunning.notices import NoticeStatus
from receivables.dunning.delivery import Sender
from receivables.dunning.notice_view import load_views
from receivables.dunning.review import approve, list_notices, skip
from receivables.web import access
from receivables.web.context import collection_settings
from receivables.web.customers import visible_codes
from receivables.web.forms import text_field
from receivables.web.guard import PageRoute, form_viewer, page_viewer
from receivables.web.rendering import render
from receivables.web.viewer import PageError, Viewer, field_error, is_htmx

router = APIRouter(route_class=PageRoute)
NoticeViewer = Annotated[Viewer, Depends(page_viewer(*access.NOTICES))]
NoticeForm = Annotated[Viewer, Depends(form_viewer(*access.NOTICES))]
STATUSES = tuple(status.value for status in NoticeStatus)


def _visible_notices(viewer: Viewer, status: str | None) -> list[dict[str, Any]]:
    rows = list_notices(viewer.engine, status)
    codes = visible_codes(viewer.engine, viewer)
    return rows if codes is None else [row for row in rows if row["customer_code"] in codes]


def _notice_of(viewer: Viewer, notice_id: int) -> dict[str, Any]:
    """Return the notice if the user may see it; otherwise the page is a 404."""
    for row in _visible_notices(viewer, None):
        if row["id"] == notice_id:
            return row
    raise PageError(404, f"notice {notice_id} not found")


@router.get("/notices", include_in_schema=False)
def notice_list(request: Request, viewer: NoticeViewer) -> HTMLResponse:
    status = request.query_params.get("status", NoticeStatus.DRAFT.value)
    if status not in (*STATUSES, "all"):
        raise field_error("status", f"{status!r} is not one of {', '.join(STATUSES)} or all")
    rows = _visible_notices(viewer, None if status == "all" else status)
    return render(
        request,
        "notices.html",
        viewer,
        title="Dunning notices",
        rows=rows,
        status=status,
        statuses=(*STATUSES, "all"),
    )


@router.get("/notices/{notice_id}", include_in_schema=False)
def notice_preview(request: Request, notice_id: int, viewer: NoticeViewer) -> HTMLResponse:
    """Show a notice as its recipient will read it, without sending it."""
    notice = _notice_of(viewer, notice_id)
    rendered = None
    if notice["channel"] in ("email", "letter"):
        views = load_views(viewer.engine, [notice_id])
        rendered = Sender(viewer.engine, collection_settings(request)).render(views[notice_id])
    return render(
        request, "notice.html", viewer, title=f"Notice {notice_id}", notice=notice, rendered=rendered
    )


def _selected_ids(form: Any, viewer: Viewer) -> list[int]:
    values = [value for value in form.getlist("notice") if isinstance(value, str)]
    if not values:
        raise field_error("notice", "choose at least one notice to approve")
    ids = []
    for value in values:
        if not value.isdigit():
            raise field_error("notice", f"{value!r} is not a notice id")
        ids.append(_notice_of(viewer, int(value))["id"])
    return ids


def _done(request: Request, viewer: Viewer, message: str) -> Response:
    if is_htmx(request):
        return render(request, "_notice.html", viewer, message=message)
    return RedirectResponse("/notices", status_code=303)


@router.post("/notices/approve", include_in_schema=False)
async def approve_notices(request: Request, viewer: NoticeForm) -> Response:
    ids = _selected_ids(await request.form(), viewer)
    approve(viewer.engine, ids, viewer.name)
    with viewer.engine.begin() as connection:
        record_action(connection, viewer.principal, "web.approve_notices", detail=", ".join(map(str, ids)))
    return _done(request, viewer, f"Approved {len(ids)} notices: {', '.join(map(str, ids))}.")


@router.post("/notices/skip", include_in_schema=False)
async def skip_notice(request: Request, viewer: NoticeForm) -> Response:
    form = await request.form()
    ids = _selected_ids(form, viewer)
    if len(ids) != 1:
        raise field_error("notice", "skip one notice at a time")
    reason = text_field(form, "reason")
    skip(viewer.engine, ids[0], viewer.name, reason)
    with viewer.engine.begin() as connection:
        record_action(connection, viewer.principal, "web.skip_notice", target=str(ids[0]), detail=reason)
    return _done(request, viewer, f"Skipped notice {ids[0]}: {reason}.")
