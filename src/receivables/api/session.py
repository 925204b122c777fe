"""Who am I: the signed-in user and, for browser sessions, the CSRF token to send back."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel

from receivables import __version__
from receivables.auth import Principal
from receivables.service.dependencies import current_principal

router = APIRouter(tags=["session"])


class Me(BaseModel):
    user_id: int
    name: str
    role: str
    signed_in_by: str
    csrf_token: str | None


class Health(BaseModel):
    status: str
    version: str


@router.get("/health", operation_id="get_health", response_model=Health)
def health() -> Health:
    """Report that the service runs; needs no sign-in, for load balancers and monitoring."""
    return Health(status="ok", version=__version__)


@router.get("/me", operation_id="get_me", response_model=Me)
def me(request: Request, principal: Annotated[Principal, Depends(current_principal)]) -> Me:
    """Return the signed-in user and how they signed in."""
    browser_session = request.state.browser_session
    return Me(
        user_id=principal.user_id,
        name=principal.name,
        role=principal.role.value,
        signed_in_by=request.state.auth,
        csrf_token=browser_session.csrf_token if browser_session else None,
    )
