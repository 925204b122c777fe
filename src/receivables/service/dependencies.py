"""FastAPI dependencies the API and the web app share: the engine, the signed-in user, roles, CSRF.

A request is signed in by ``Authorization: Bearer <API token>`` or by the session cookie
``receivables_session``. A bearer token wins when both are sent. Requests signed in by cookie
must prove with the session's CSRF token that the page sending them is ours, whenever they can
change something (any method other than GET, HEAD and OPTIONS); a bearer token cannot be sent
by another site's page, so those requests need no CSRF token.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request, Response
from sqlalchemy import Connection, Engine, select

from receivables.auth import BrowserSession, Principal, session_principal, token_principal
from receivables.auth.access import Access, roles_for
from receivables.domain.credit import roles as credit_roles
from receivables.domain.credit.roles import Role
from receivables.domain.dunning import roles as dunning_roles
from receivables.service.errors import ApiError, forbidden, not_signed_in
from receivables.service.settings import ServiceSettings
from receivables.storage.dunning_models import DunningOverrideRow

SESSION_COOKIE = "receivables_session"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# The OpenAPI extension that marks a POST operation which changes nothing, so it is not audited.
READ_ONLY = "x-read-only"


def get_engine(request: Request) -> Engine:
    """The engine of the application's database."""
    engine: Engine = request.app.state.engine
    return engine


def get_settings(request: Request) -> ServiceSettings:
    settings: ServiceSettings = request.app.state.service_settings
    return settings


async def engine_dependency(request: Request) -> Engine:
    """``get_engine`` as an async dependency, which FastAPI runs without a thread hop."""
    return get_engine(request)


async def settings_dependency(request: Request) -> ServiceSettings:
    return get_settings(request)


SettingsDep = Annotated[ServiceSettings, Depends(settings_dependency)]


def _bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise not_signed_in("the Authorization header must be 'Bearer <token>'")
    return value.strip()


def optional_principal(request: Request) -> Principal | None:
    """The signed-in user, or None; sets ``request.state.auth`` to ``token`` or ``session``."""
    if hasattr(request.state, "principal"):
        principal: Principal | None = request.state.principal
        return principal
    engine = get_engine(request)
    principal = None
    request.state.auth = None
    request.state.browser_session = None
    token = _bearer_token(request)
    if token is not None:
        principal = token_principal(engine, token)
        if principal is None:
            raise not_signed_in("the API token is unknown, expired or revoked")
        request.state.auth = "token"
    elif cookie := request.cookies.get(SESSION_COOKIE):
        found = session_principal(engine, cookie)
        if found is not None:
            principal, request.state.browser_session = found
            request.state.auth = "session"
    request.state.principal = principal
    return principal


async def current_principal(principal: Annotated[Principal | None, Depends(optional_principal)]) -> Principal:
    """The signed-in user; 401 when the request is not signed in."""
    if principal is None:
        raise not_signed_in()
    return principal


async def current_session(
    request: Request, principal: Annotated[Principal, Depends(current_principal)]
) -> BrowserSession | None:
    """The browser session of the request, or None when it was signed in by an API token."""
    browser_session: BrowserSession | None = request.state.browser_session
    return browser_session


def require_roles(*roles: Role) -> Callable[..., Awaitable[Principal]]:
    """A dependency that returns the signed-in user if their role is one of ``roles``; else 403."""
    allowed = frozenset(roles)
    names = ", ".join(sorted(role.value for role in allowed))

    async def dependency(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
        if principal.role not in allowed:
            raise forbidden(
                f"user {principal.name} has role {principal.role.value}; this needs one of: {names}"
            )
        return principal

    return dependency


def allow(action: Access | credit_roles.Action | dunning_roles.Action) -> Callable[..., Awaitable[Principal]]:
    """``require_roles`` for the roles the role tables allow ``action``."""
    return require_roles(*roles_for(action))


async def verify_csrf(request: Request, principal: Annotated[Principal, Depends(current_principal)]) -> None:
    """Check the CSRF token of a cookie-signed request that may change something.

    The token comes from the header ``X-CSRF-Token`` or the form field ``csrf_token``. Requests
    signed in by an API token, and GET/HEAD/OPTIONS requests, pass without one.
    """
    await _check_csrf(request)


async def csrf_if_signed_in(
    request: Request, principal: Annotated[Principal | None, Depends(optional_principal)]
) -> None:
    """``verify_csrf`` for routers whose routes check sign-in themselves (the API router)."""
    if principal is not None:
        await _check_csrf(request)


async def _check_csrf(request: Request) -> None:
    browser_session: BrowserSession | None = request.state.browser_session
    if request.method in SAFE_METHODS or browser_session is None:
        return
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        value = (await request.form()).get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not sent or not hmac.compare_digest(sent, browser_session.csrf_token):
        raise ApiError(
            403, "csrf_failed", "the CSRF token is missing or wrong; reload the page and try again"
        )


def visible_customer_ids(connection: Connection, principal: Principal) -> set[int] | None:
    """The customers ``principal`` may see: None for all, or a collector's assigned customers."""
    if principal.role is not Role.COLLECTOR:
        return None
    rows = connection.execute(
        select(DunningOverrideRow.customer_id).where(DunningOverrideRow.collector == principal.name)
    )
    return {row.customer_id for row in rows}


def set_session_cookie(response: Response, request: Request, browser_session: BrowserSession) -> None:
    """Put the session cookie on ``response``: HttpOnly, SameSite=Lax, Secure when configured."""
    response.set_cookie(
        SESSION_COOKIE,
        browser_session.token,
        expires=browser_session.expires_at,
        httponly=True,
        samesite="lax",
        secure=get_settings(request).secure_cookies,
        path="/",
    )


def clear_session_cookie(response: Response, request: Request) -> None:
    response.delete_cookie(
        SESSION_COOKIE, httponly=True, samesite="lax", secure=get_settings(request).secure_cookies, path="/"
    )
