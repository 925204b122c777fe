"""Idempotency keys: a request repeated with the same ``Idempotency-Key`` gets the first response.

Any POST, PUT, PATCH or DELETE under ``/api`` may carry the header; the routes that move money or
send something require it. Keys are per user. The first request with a key stores its status and
body; a repeat with the same method, path and body gets them back with the header
``Idempotent-Replayed: true`` and changes nothing. A repeat with another body is rejected with
422, and one sent while the first is still running with 409. A response of 500 or more is not
kept, so the client may retry it with the same key. Keys are forgotten after ``KEEP`` days.
"""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import timedelta
from typing import Annotated, Any

from fastapi import Header
from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from receivables.auth import session_principal, token_principal
from receivables.auth.clock import utc_now
from receivables.service.errors import ApiError
from receivables.storage.service_models import IdempotencyKeyRow

log = logging.getLogger(__name__)

HEADER = "Idempotency-Key"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
MAX_KEY_LENGTH = 200
KEEP = timedelta(days=7)
SESSION_COOKIE = "receivables_session"


def require_idempotency_key(
    key: Annotated[
        str | None, Header(alias=HEADER, description="A unique key per operation, 1-200 characters.")
    ] = None,
) -> str:
    """A dependency for routes that move money or send something: they need the header."""
    if not key:
        raise ApiError(
            428,
            "idempotency_key_required",
            f"this request moves money or sends something: send a unique {HEADER} header, such as a UUID",
            HEADER,
        )
    return key


def _user_id(engine: Engine, headers: dict[str, str]) -> int | None:
    authorization = headers.get("authorization", "")
    if authorization.lower().startswith("bearer "):
        principal = token_principal(engine, authorization[7:].strip())
        return principal.user_id if principal else None
    for part in headers.get("cookie", "").split(";"):
        name, _, value = part.strip().partition("=")
        if name == SESSION_COOKIE and value:
            found = session_principal(engine, value)
            return found[0].user_id if found else None
    return None


def _json_response(status: int, body: dict[str, Any], extra: list[tuple[bytes, bytes]]) -> list[Message]:
    content = json.dumps(body).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(content)).encode()),
        *extra,
    ]
    return [
        {"type": "http.response.start", "status": status, "headers": headers},
        {"type": "http.response.body", "body": content},
    ]


class IdempotencyMiddleware:
    """ASGI middleware that stores and replays responses of requests carrying an idempotency key."""

    def __init__(self, app: ASGIApp, engine: Engine, prefix: str = "/api") -> None:
        self.app = app
        self.engine = engine
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] not in UNSAFE
            or not scope["path"].startswith(self.prefix)
        ):
            await self.app(scope, receive, send)
            return
        headers = {
            name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope["headers"]
        }
        key = headers.get(HEADER.lower())
        if key is None:
            await self.app(scope, receive, send)
            return
        if not 0 < len(key) <= MAX_KEY_LENGTH or not key.isprintable():
            error = ApiError(
                422, "invalid_input", f"{HEADER} must be 1-{MAX_KEY_LENGTH} printable characters", HEADER
            )
            for message in _json_response(422, error.body(), []):
                await send(message)
            return
        body = await _read_body(receive)
        user_id = _user_id(self.engine, headers)
        if user_id is None:
            await self.app(scope, _replay(body, receive), send)
            return
        digest = hashlib.sha256(
            f"{scope['method']} {scope['path']}?{scope.get('query_string', b'').decode()}\n".encode() + body
        ).hexdigest()
        stored = self._begin(user_id, key, digest)
        if stored is not None:
            for message in stored:
                await send(message)
            return
        await self._run(scope, _replay(body, receive), send, user_id, key)

    def _begin(self, user_id: int, key: str, digest: str) -> list[Message] | None:
        """Claim the key; return the messages to send instead when it was used before."""
        now = utc_now()
        try:
            with self.engine.begin() as connection:
                connection.execute(delete(IdempotencyKeyRow).where(IdempotencyKeyRow.created_at < now - KEEP))
                connection.execute(
                    insert(IdempotencyKeyRow).values(
                        user_id=user_id, key=key, request_hash=digest, created_at=now
                    )
                )
            return None
        except IntegrityError:
            pass
        with self.engine.connect() as connection:
            row = connection.execute(
                select(
                    IdempotencyKeyRow.request_hash,
                    IdempotencyKeyRow.status_code,
                    IdempotencyKeyRow.response_body,
                ).where(IdempotencyKeyRow.user_id == user_id, IdempotencyKeyRow.key == key)
            ).one()
        if row.request_hash != digest:
            error = ApiError(
                422,
                "idempotency_key_reused",
                f"{HEADER} {key!r} was used for another request; use a new key for a new operation",
                HEADER,
            )
            return _json_response(422, error.body(), [])
        if row.status_code is None:
            error = ApiError(
                409, "request_in_progress", f"the request with {HEADER} {key!r} is still running", HEADER
            )
            return _json_response(409, error.body(), [])
        log.info("replayed the response to idempotency key %r of user %d", key, user_id)
        return _json_response(
            row.status_code, json.loads(row.response_body or "null"), [(b"idempotent-replayed", b"true")]
        )

    async def _run(self, scope: Scope, receive: Receive, send: Send, user_id: int, key: str) -> None:
        status = 500
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, capture)
        finally:
            self._finish(user_id, key, status, b"".join(chunks))

    def _finish(self, user_id: int, key: str, status: int, content: bytes) -> None:
        where = (IdempotencyKeyRow.user_id == user_id, IdempotencyKeyRow.key == key)
        try:
            text = content.decode("utf-8")
            json.loads(text or "null")
        except ValueError:
            text = None
        with self.engine.begin() as connection:
            if status >= 500 or text is None:
                connection.execute(delete(IdempotencyKeyRow).where(*where))
                return
            connection.execute(
                update(IdempotencyKeyRow).where(*where).values(status_code=status, response_body=text)
            )


async def _read_body(receive: Receive) -> bytes:
    parts = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        parts.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(parts)


def _replay(body: bytes, original: Receive) -> Receive:
    """A ``receive`` that gives the body read already, then waits on the client like the original."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await original()

    return receive
