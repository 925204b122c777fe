"""Users, passwords, API tokens and the service audit (admin only)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field
from sqlalchemy import select

from receivables.api.common import EngineDep, PageDep
from receivables.auth import (
    Access,
    Principal,
    create_token,
    disable_user,
    list_tokens,
    revoke_token,
    set_password,
)
from receivables.auth.passwords import check_password_rules
from receivables.credit.users import add_user, list_users
from receivables.domain.credit.roles import Role
from receivables.service.dependencies import allow
from receivables.storage.service_models import ServiceAuditRow, UserPasswordRow

router = APIRouter(tags=["users"])
Admin = Annotated[Principal, Depends(allow(Access.MANAGE_USERS))]


class User(BaseModel):
    name: str
    role: Role
    can_sign_in: bool


class NewUser(BaseModel):
    name: str = Field(min_length=1, max_length=64, description="Letters, digits, '.', '_', '@' or '-'.")
    role: Role
    password: str | None = Field(
        None, description="At least 10 characters; without it the user cannot sign in yet."
    )


class PasswordRequest(BaseModel):
    password: str


@router.get("/users", operation_id="list_users", response_model=list[User])
def list_users_route(engine: EngineDep, principal: Admin) -> list[User]:
    """List the users with their role and whether they can sign in."""
    with engine.connect() as connection:
        enabled = set(
            connection.execute(
                select(UserPasswordRow.user_id).where(UserPasswordRow.disabled.is_(False))
            ).scalars()
        )
    return [
        User(name=user.name, role=user.role, can_sign_in=user.id in enabled) for user in list_users(engine)
    ]


@router.post("/users", operation_id="add_user", status_code=201, response_model=User)
def add_user_route(body: NewUser, engine: EngineDep, principal: Admin) -> User:
    """Add a user with a role and, optionally, a password."""
    if body.password is not None:
        check_password_rules(body.password)
    user = add_user(engine, body.name, body.role.value, principal.name)
    if body.password is not None:
        set_password(engine, user.name, body.password)
    return User(name=user.name, role=user.role, can_sign_in=body.password is not None)


@router.post("/users/{name}/password", operation_id="set_user_password", status_code=204)
def set_user_password(name: str, body: PasswordRequest, engine: EngineDep, principal: Admin) -> None:
    """Set a user's password; it enables them and ends their browser sessions."""
    set_password(engine, name, body.password)


@router.post("/users/{name}/disable", operation_id="disable_user", status_code=204)
def disable_user_route(name: str, engine: EngineDep, principal: Admin) -> None:
    """Stop a user from signing in and using API tokens; their history stays."""
    disable_user(engine, name)


class TokenRequest(BaseModel):
    user: str = Field(min_length=1, max_length=64)
    label: str = Field(min_length=1, max_length=100, description="Such as the name of the integration.")
    valid_days: int | None = Field(None, ge=1, le=3660, description="Without it the token does not expire.")


class Token(BaseModel):
    id: int
    user: str
    label: str
    prefix: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None


class NewToken(Token):
    token: str = Field(description="Send as 'Authorization: Bearer <token>'; shown only now.")


@router.post("/tokens", operation_id="create_token", status_code=201, response_model=NewToken)
def create_token_route(body: TokenRequest, engine: EngineDep, principal: Admin) -> NewToken:
    """Create an API token that acts as ``user``; the answer holds the token, which is not shown again."""
    valid_for = timedelta(days=body.valid_days) if body.valid_days else None
    secret, token = create_token(engine, body.user, body.label, valid_for)
    return NewToken(**_token(token).model_dump(), token=secret)


def _token(token: Any) -> Token:
    return Token(
        id=token.id,
        user=token.user_name,
        label=token.label,
        prefix=token.prefix,
        created_at=token.created_at,
        expires_at=token.expires_at,
        last_used_at=token.last_used_at,
        revoked_at=token.revoked_at,
    )


@router.get("/tokens", operation_id="list_tokens", response_model=list[Token])
def list_tokens_route(
    engine: EngineDep, principal: Admin, user: Annotated[str | None, Query(max_length=64)] = None
) -> list[Token]:
    """List API tokens, newest first; the tokens themselves are never shown again."""
    return [_token(token) for token in list_tokens(engine, user)]


@router.delete("/tokens/{token_id}", operation_id="revoke_token", status_code=204)
def revoke_token_route(token_id: int, engine: EngineDep, principal: Admin) -> None:
    """Revoke an API token at once."""
    revoke_token(engine, token_id)


@router.get("/audit", operation_id="list_audit")
def list_audit(
    engine: EngineDep,
    principal: Admin,
    page: PageDep,
    user: Annotated[str | None, Query(max_length=64)] = None,
) -> dict[str, Any]:
    """List the requests that changed something, newest first: who, what, on what, with what status."""
    query = select(
        ServiceAuditRow.at,
        ServiceAuditRow.user_name,
        ServiceAuditRow.action,
        ServiceAuditRow.target,
        ServiceAuditRow.status_code,
        ServiceAuditRow.detail,
    )
    if user:
        query = query.where(ServiceAuditRow.user_name == user)
    with engine.connect() as connection:
        rows = connection.execute(
            query.order_by(ServiceAuditRow.id.desc()).limit(page.limit).offset(page.offset)
        )
        items = [dict(row._mapping) for row in rows]
    return {"items": items, "limit": page.limit, "offset": page.offset}
