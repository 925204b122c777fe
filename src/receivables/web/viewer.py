"""The signed-in user of a page, and the error a page or a form action ends with."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request
from sqlalchemy import Engine

from receivables.auth import Principal
from receivables.domain.credit.roles import Role


@dataclass(frozen=True)
class Viewer:
    """The signed-in user of a page, the session's CSRF token for its forms, and the database."""

    principal: Principal
    csrf_token: str
    engine: Engine

    @property
    def name(self) -> str:
        return self.principal.name

    @property
    def role(self) -> Role:
        return self.principal.role


class PageError(Exception):
    """A page cannot be shown or an action failed: rendered with ``status`` and ``message``."""

    def __init__(self, status: int, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field


def field_error(field: str, message: str) -> PageError:
    """Build the error of an invalid form field: status 400, the message starting with its name."""
    return PageError(400, f"{field}: {message}", field)


def is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"
