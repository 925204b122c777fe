"""Who may see a page, and how refusals and failed actions reach the browser as pages.

Pages use the service's own dependencies (``require_roles``, ``verify_csrf``), which raise
:class:`ApiError`. :class:`PageRoute` turns those errors, and the rule errors the capabilities
raise (mapped to a status by ``api_error_of``, as in the API), into what a browser expects:
a redirect to the sign-in page when nobody is signed in, and an HTML page (or an HTMX fragment)
with the message otherwise. The API keeps its JSON errors.

No ``from __future__ import annotations`` here: FastAPI must see the dependency objects in the
``Annotated`` hints of the closures below, not strings it cannot resolve.
"""

import logging
from collections.abc import Callable, Coroutine
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Request, Response
from fastapi.responses import RedirectResponse
from fastapi.routing import APIRoute

from receivables.api.errors import api_error_of
from receivables.auth import BrowserSession, Principal
from receivables.domain.credit.roles import Role
from receivables.domain.errors import ReceivablesError
from receivables.service.dependencies import get_engine, require_roles, verify_csrf
from receivables.service.errors import ApiError
from receivables.web.rendering import error_response
from receivables.web.viewer import PageError, Viewer, is_htmx

log = logging.getLogger(__name__)


def _sign_in_redirect(request: Request) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    location = f"/login?next={quote(target, safe='')}"
    if is_htmx(request):
        # htmx follows a redirect inside the XHR; HX-Redirect makes it load the page instead.
        return Response(status_code=200, headers={"HX-Redirect": location})
    return RedirectResponse(location, status_code=303)


class PageRoute(APIRoute):
    """A route whose sign-in, role and rule errors become redirects and HTML error pages."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            try:
                return await handler(request)
            except ApiError as error:
                if error.status == 401:
                    return _sign_in_redirect(request)
                return error_response(request, error.status, error.message, error.field)
            except PageError as error:
                return error_response(request, error.status, error.message, error.field)
            except (ReceivablesError, ValueError, LookupError, PermissionError) as error:
                log.info("web action %s %s rejected: %s", request.method, request.url.path, error)
                mapped = api_error_of(error)
                return error_response(request, mapped.status, mapped.message, mapped.field)

        return guarded


def _viewer(request: Request, principal: Principal) -> Viewer:
    browser_session: BrowserSession | None = getattr(request.state, "browser_session", None)
    if browser_session is None:
        # Signed in by an API token: there is no session, and verify_csrf requires no token then.
        return Viewer(principal, "", get_engine(request))
    return Viewer(principal, browser_session.csrf_token, get_engine(request))


def page_viewer(*roles: Role) -> Callable[..., Viewer]:
    """Build the dependency of a page that users of ``roles`` may see."""
    check = require_roles(*roles)

    def dependency(request: Request, principal: Annotated[Principal, Depends(check)]) -> Viewer:
        return _viewer(request, principal)

    return dependency


def form_viewer(*roles: Role) -> Callable[..., Viewer]:
    """Build the dependency of a form post by users of ``roles``; it also checks the CSRF token."""
    check = require_roles(*roles)

    def dependency(
        request: Request,
        principal: Annotated[Principal, Depends(check)],
        _csrf: Annotated[None, Depends(verify_csrf)],
    ) -> Viewer:
        return _viewer(request, principal)

    return dependency
