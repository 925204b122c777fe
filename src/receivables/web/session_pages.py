"""Signing in and out, and the start page.

The sign-in form is protected against cross-site posts by a double-submit token: the page sets
a random value in a short-lived ``SameSite=Strict`` cookie and in a hidden field, and the post
must carry both, equal. After sign-in, every form carries the session's own CSRF token.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import RedirectResponse

from receivables.auth import Principal, authenticate, create_session, end_session, record_action
from receivables.service.dependencies import (
    SESSION_COOKIE,
    clear_session_cookie,
    get_engine,
    get_settings,
    optional_principal,
    set_session_cookie,
    verify_csrf,
)
from receivables.web.access import landing_page
from receivables.web.forms import text_field
from receivables.web.guard import PageRoute
from receivables.web.rendering import render
from receivables.web.viewer import PageError

log = logging.getLogger(__name__)

router = APIRouter(route_class=PageRoute)

LOGIN_COOKIE = "receivables_login"
LOGIN_COOKIE_SECONDS = 3600


def _local_path(target: str | None) -> str | None:
    """Return ``target`` when it is a path on this site, so sign-in never redirects elsewhere."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


def _login_page(
    request: Request, next_path: str, status: int = 200, message: str = "", name: str = ""
) -> Response:
    token = secrets.token_urlsafe(32)
    response = render(
        request,
        "login.html",
        None,
        status,
        title="Sign in",
        login_token=token,
        next=next_path,
        message=message,
        field=None,
        name=name,
    )
    response.set_cookie(
        LOGIN_COOKIE,
        token,
        max_age=LOGIN_COOKIE_SECONDS,
        httponly=True,
        samesite="strict",
        secure=get_settings(request).secure_cookies,
        path="/login",
    )
    return response


@router.get("/", include_in_schema=False)
def start_page(principal: Annotated[Principal | None, Depends(optional_principal)]) -> Response:
    """Send a signed-in user to the first page of their role, anyone else to the sign-in page."""
    target = landing_page(principal.role) if principal else "/login"
    return RedirectResponse(target, status_code=303)


@router.get("/login", include_in_schema=False)
def login_form(
    request: Request, principal: Annotated[Principal | None, Depends(optional_principal)]
) -> Response:
    next_path = _local_path(request.query_params.get("next")) or ""
    if principal is not None:
        return RedirectResponse(next_path or landing_page(principal.role), status_code=303)
    return _login_page(request, next_path)


@router.post("/login", include_in_schema=False)
async def login(request: Request) -> Response:
    form = await request.form()
    next_path = _local_path(text_field(form, "next", required=False)) or ""
    sent = text_field(form, "login_token", required=False)
    expected = request.cookies.get(LOGIN_COOKIE, "")
    if not sent or not expected or not hmac.compare_digest(sent, expected):
        raise PageError(403, "the sign-in form has expired; reload the page and sign in again")
    name = text_field(form, "name", limit=64)
    password = text_field(form, "password", limit=1024)
    engine = get_engine(request)
    principal = authenticate(engine, name, password)
    if principal is None:
        log.info("web sign-in of %r rejected", name)
        return _login_page(request, next_path, 401, "user name or password is wrong", name)
    browser_session = create_session(engine, principal)
    with engine.begin() as connection:
        record_action(connection, principal, "web.sign_in", target=principal.name)
    response = RedirectResponse(next_path or landing_page(principal.role), status_code=303)
    set_session_cookie(response, request, browser_session)
    response.delete_cookie(LOGIN_COOKIE, path="/login")
    return response


@router.post("/logout", include_in_schema=False)
async def logout(
    request: Request, principal: Annotated[Principal | None, Depends(optional_principal)]
) -> Response:
    """End the session: its cookie no longer signs anything in, here or in another tab."""
    cookie = request.cookies.get(SESSION_COOKIE)
    if principal is not None and cookie:
        await verify_csrf(request, principal)
        end_session(get_engine(request), cookie)
        with get_engine(request).begin() as connection:
            record_action(connection, principal, "web.sign_out", target=principal.name)
    response = RedirectResponse("/login", status_code=303)
    clear_session_cookie(response, request)
    return response
