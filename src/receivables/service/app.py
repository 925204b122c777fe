"""The FastAPI application: the API under ``/api``, the web app at ``/``, one error shape."""

from __future__ import annotations

import importlib
import importlib.util
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from receivables import __version__
from receivables.auth import record_action
from receivables.service.dependencies import READ_ONLY, SAFE_METHODS
from receivables.service.errors import ApiError
from receivables.service.sender import WebhookSender
from receivables.service.settings import ServiceSettings
from receivables.storage.database import connect

log = logging.getLogger(__name__)

API_PREFIX = "/api"
REQUEST_PARTS = ("body", "query", "path", "header", "cookie")
STATUS_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid_input",
    429: "too_many_requests",
}


def create_app(settings: ServiceSettings, engine: Engine | None = None) -> FastAPI:
    """Build the application on ``engine``, or on a new engine for the settings' database URL."""
    app = FastAPI(
        lifespan=_lifespan,
        title="Receivables",
        version=__version__,
        description="Accounts receivable for finance teams: ledger, credit, collections, cash application.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
    )
    app.state.service_settings = settings
    app.state.engine = engine if engine is not None else connect(settings.database_url, keep_connections=True)
    _add_error_handlers(app)
    _add_security_headers(app, settings)
    from receivables.api.idempotency import IdempotencyMiddleware

    app.add_middleware(IdempotencyMiddleware, engine=app.state.engine, prefix=API_PREFIX)

    from receivables.api import router as api_router

    app.include_router(api_router, prefix=API_PREFIX)
    _include_web(app)
    return app


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Run the webhook sender while the server runs, when a secret key makes signing possible."""
    settings: ServiceSettings = app.state.service_settings
    sender = None
    if settings.secret_key and settings.webhook_interval > 0:
        sender = WebhookSender(app.state.engine, settings.secret_key, settings.webhook_interval)
        sender.start()
    elif not settings.secret_key:
        log.warning("no secret key is set (RECEIVABLES_SECRET_KEY): webhooks are not sent")
    try:
        yield
    finally:
        if sender is not None:
            sender.stop()


def _include_web(app: FastAPI) -> None:
    """Mount the web app's router and static files, when ``receivables.web`` exists."""
    try:
        web = importlib.import_module("receivables.web")
    except ModuleNotFoundError as error:
        if error.name != "receivables.web":
            raise
        log.info("receivables.web is not installed; serving the API only")
        return
    router = getattr(web, "router", None)
    if router is None and importlib.util.find_spec("receivables.web.routes") is not None:
        router = importlib.import_module("receivables.web.routes").router
    if router is None:
        log.warning("receivables.web has no router yet; serving the API only")
        return
    static_dir = Path(getattr(web, "static_dir", None) or Path(str(web.__file__)).parent / "static")
    if Path(static_dir).is_dir():
        app.mount("/static", StaticFiles(directory=static_dir), name="static")
    app.include_router(router)


def _add_security_headers(app: FastAPI, settings: ServiceSettings) -> None:
    headers = [
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy", b"same-origin"),
    ]
    if settings.secure_cookies:
        headers.append((b"strict-transport-security", b"max-age=31536000"))
    app.add_middleware(SecurityHeaders, headers=headers)
    app.add_middleware(AuditMiddleware)


class SecurityHeaders:
    """Add the security headers to every HTTP response that does not set them itself."""

    def __init__(self, app: ASGIApp, headers: list[tuple[bytes, bytes]]) -> None:
        self.app = app
        self.headers = headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(name, value) for name, value in self.headers if name not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class AuditMiddleware:
    """Write each signed-in request that may have changed something to the service audit."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        status = 500

        async def send_recording(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_recording)
        finally:
            request = Request(scope)
            # Decided here on the event loop, so requests with nothing to record skip the thread hop.
            if _is_audited(request):
                await run_in_threadpool(_audit, request, status)


def _is_audited(request: Request) -> bool:
    """Return whether the request is recorded in the service audit.

    Requests nobody signed in for are left out: they changed nothing and may be guesses. So are
    operations marked read-only (``openapi_extra={READ_ONLY: True}``), such as the order check.
    """
    principal = getattr(request.state, "principal", None)
    route = request.scope.get("route")
    return principal is not None and not (getattr(route, "openapi_extra", None) or {}).get(READ_ONLY)


def _audit(request: Request, status: int) -> None:
    """Record a request that may have changed something, with who sent it and how it ended."""
    principal = request.state.principal
    route = request.scope.get("route")
    action = getattr(route, "operation_id", None) or getattr(route, "path", None) or request.url.path
    key = request.headers.get("idempotency-key")
    with request.app.state.engine.begin() as connection:
        record_action(
            connection,
            principal,
            f"{request.method} {action}",
            target=request.url.path,
            status_code=status,
            detail=f"idempotency key {key}" if key else None,
        )


def wants_html(request: Request) -> bool:
    """Whether the request is a browser's page request outside the API."""
    return not request.url.path.startswith(API_PREFIX) and "text/html" in request.headers.get("accept", "")


def error_response(request: Request, error: ApiError) -> Response:
    """The error as JSON; a browser's page request that is not signed in goes to the sign-in page."""
    if error.status == 401 and wants_html(request):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
    return JSONResponse(error.body(), status_code=error.status, headers=error.headers)


def _field_of(location: tuple[Any, ...]) -> str:
    """``("body", "lines", 0, "amount")`` becomes ``lines[0].amount``; the part name is dropped."""
    parts = list(location[1:] if location and location[0] in REQUEST_PARTS else location)
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or str(location[0] if location else "body")


def validation_error(error: RequestValidationError) -> ApiError:
    problems = [
        {"field": _field_of(tuple(item.get("loc", ()))), "message": str(item.get("msg", "invalid"))}
        for item in error.errors()
    ]
    first = problems[0] if problems else {"field": "body", "message": "invalid"}
    message = f"{first['field']}: {first['message']}"
    if len(problems) > 1:
        message += f" (and {len(problems) - 1} more problems)"
    return ApiError(422, "invalid_input", message, first["field"], problems)


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(request: Request, error: ApiError) -> Response:
        return error_response(request, error)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> Response:
        return error_response(request, validation_error(error))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        code = STATUS_CODES.get(error.status_code, "error")
        message = error.detail if isinstance(error.detail, str) else code.replace("_", " ")
        headers = dict(error.headers) if error.headers else None
        return error_response(request, ApiError(error.status_code, code, message, headers=headers))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> Response:
        log.exception("request %s %s failed", request.method, request.url.path)
        return JSONResponse(
            ApiError(500, "internal_error", "the server failed; the error is in its log").body(),
            status_code=500,
        )

    from receivables.api.errors import register_domain_errors

    register_domain_errors(app)
