"""Signing in: passwords, browser sessions with CSRF tokens, API tokens, and the one error shape."""

from __future__ import annotations

from datetime import timedelta

from api_helpers import Api, error_of
from sqlalchemy import Engine, select, update

from receivables.auth import (
    authenticate,
    create_session,
    create_token,
    disable_user,
    end_session,
    hash_password,
    revoke_token,
    session_principal,
    set_password,
    verify_password,
)
from receivables.auth.errors import InvalidPasswordError
from receivables.domain.credit.roles import Role
from receivables.service.dependencies import SESSION_COOKIE
from receivables.storage.service_models import BrowserSessionRow, ServiceAuditRow, UserPasswordRow


def test_password_hash_is_argon2id() -> None:
    hashed = hash_password("correct horse battery")
    assert hashed.startswith("$argon2id$")
    assert verify_password(hashed, "correct horse battery")
    assert not verify_password(hashed, "correct horse batterY")
    assert not verify_password("not a hash", "anything")


def test_authenticate_checks_password(api: Api) -> None:
    set_password(api.engine, "fay", "ledger-2024-ok")
    principal = authenticate(api.engine, "fay", "ledger-2024-ok")
    assert principal is not None
    assert principal.role is Role.FINANCE_MANAGER
    assert authenticate(api.engine, "fay", "ledger-2024-no") is None
    assert authenticate(api.engine, "nobody", "ledger-2024-ok") is None


def test_password_too_short_rejected(api: Api) -> None:
    try:
        set_password(api.engine, "fay", "short")
    except InvalidPasswordError as error:
        assert "at least 10" in str(error)
    else:
        raise AssertionError("a short password was accepted")


def test_password_stored_hashed(api: Api) -> None:
    set_password(api.engine, "fay", "ledger-2024-ok")
    with api.engine.connect() as connection:
        stored = connection.execute(select(UserPasswordRow.password_hash)).scalar_one()
    assert "ledger-2024-ok" not in stored


def test_disabled_user_cannot_sign_in(api: Api) -> None:
    set_password(api.engine, "vic", "viewer-pass-1")
    disable_user(api.engine, "vic")
    assert authenticate(api.engine, "vic", "viewer-pass-1") is None
    response = api.get(Role.VIEWER, "/api/me")
    assert response.status_code == 401


def _signed_in(api: Api, name: str, role: Role) -> str:
    set_password(api.engine, name, "a-long-password")
    principal = authenticate(api.engine, name, "a-long-password")
    assert principal is not None and principal.role is role
    browser_session = create_session(api.engine, principal)
    api.client.cookies.set(SESSION_COOKIE, browser_session.token)
    return browser_session.csrf_token


def test_session_cookie_signs_in(api: Api) -> None:
    csrf = _signed_in(api, "cora", Role.CREDIT_MANAGER)
    me = api.get(None, "/api/me").json()
    assert me["name"] == "cora"
    assert me["signed_in_by"] == "session"
    assert me["csrf_token"] == csrf


def test_session_post_needs_csrf(api: Api) -> None:
    csrf = _signed_in(api, "cora", Role.CREDIT_MANAGER)
    path = "/api/customers/A001/credit/hold"
    missing = api.client.post(path, json={"reason": "x"})
    assert missing.status_code == 403
    assert error_of(missing)["code"] == "csrf_failed"
    wrong = api.client.post(path, json={"reason": "x"}, headers={"X-CSRF-Token": "forged"})
    assert wrong.status_code == 403
    right = api.client.post(path, json={"reason": "x"}, headers={"X-CSRF-Token": csrf})
    assert right.status_code == 201


def test_bearer_post_needs_no_csrf(api: Api) -> None:
    response = api.post(Role.CREDIT_MANAGER, "/api/customers/A001/credit/hold", json={"reason": "x"})
    assert response.status_code == 201


def test_ended_session_signs_out(api: Api) -> None:
    set_password(api.engine, "cora", "a-long-password")
    principal = authenticate(api.engine, "cora", "a-long-password")
    assert principal is not None
    browser_session = create_session(api.engine, principal)
    end_session(api.engine, browser_session.token)
    assert session_principal(api.engine, browser_session.token) is None


def test_expired_session_is_refused(api: Api) -> None:
    set_password(api.engine, "cora", "a-long-password")
    principal = authenticate(api.engine, "cora", "a-long-password")
    assert principal is not None
    browser_session = create_session(api.engine, principal, lifetime=timedelta(seconds=-1))
    assert session_principal(api.engine, browser_session.token) is None
    with api.engine.connect() as connection:
        assert connection.execute(select(BrowserSessionRow.id)).first() is None


def test_idle_session_is_refused(api: Api) -> None:
    set_password(api.engine, "cora", "a-long-password")
    principal = authenticate(api.engine, "cora", "a-long-password")
    assert principal is not None
    browser_session = create_session(api.engine, principal)
    _age_sessions(api.engine, timedelta(hours=3))
    assert session_principal(api.engine, browser_session.token) is None


def _age_sessions(engine: Engine, age: timedelta) -> None:
    with engine.begin() as connection:
        rows = connection.execute(select(BrowserSessionRow.id, BrowserSessionRow.last_seen_at)).all()
        for row in rows:
            connection.execute(
                update(BrowserSessionRow)
                .where(BrowserSessionRow.id == row.id)
                .values(last_seen_at=row.last_seen_at - age)
            )


def test_revoked_token_is_refused(api: Api) -> None:
    secret, token = create_token(api.engine, "sam", "erp")
    headers = {"Authorization": f"Bearer {secret}"}
    assert api.client.get("/api/me", headers=headers).status_code == 200
    revoke_token(api.engine, token.id)
    response = api.client.get("/api/me", headers=headers)
    assert response.status_code == 401
    assert "revoked" in error_of(response)["message"]


def test_expired_token_is_refused(api: Api) -> None:
    secret, _ = create_token(api.engine, "sam", "erp", timedelta(seconds=-1))
    assert api.client.get("/api/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401


def test_malformed_authorization_is_401(api: Api) -> None:
    response = api.client.get("/api/me", headers={"Authorization": "Basic abc"})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_browser_page_redirects_to_login(api: Api) -> None:
    response = api.client.get("/dashboard", headers={"Accept": "text/html"}, follow_redirects=False)
    if response.status_code == 303:
        assert response.headers["location"].startswith("/login?next=")
    else:
        assert response.status_code in (200, 404)


def test_unknown_route_has_error_shape(api: Api) -> None:
    response = api.get(Role.VIEWER, "/api/nothing-here")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_health_needs_no_sign_in(api: Api) -> None:
    assert api.get(None, "/api/health").json()["status"] == "ok"


def test_changes_are_audited(api: Api) -> None:
    api.post(Role.COLLECTOR, "/api/customers/A001/credit/hold", json={"reason": "late"})
    api.post(Role.VIEWER, "/api/customers/A001/credit/hold", json={"reason": "late"})
    with api.engine.connect() as connection:
        rows = connection.execute(
            select(ServiceAuditRow.user_name, ServiceAuditRow.action, ServiceAuditRow.status_code).order_by(
                ServiceAuditRow.id
            )
        ).all()
    assert [tuple(row) for row in rows] == [
        ("colin", "POST place_credit_hold", 201),
        ("vic", "POST place_credit_hold", 403),
    ]
    listed = api.get(Role.ADMIN, "/api/audit?user=colin").json()["items"]
    assert [item["action"] for item in listed] == ["POST place_credit_hold"]


def test_read_only_and_anonymous_posts_not_audited(api: Api) -> None:
    check = {"customer": "B002", "amount": "1000.00"}
    assert api.post(Role.SALES, "/api/credit/order-checks", json=check).status_code == 200
    assert api.post(None, "/api/customers/A001/credit/hold", json={"reason": "late"}).status_code == 401
    with api.engine.connect() as connection:
        rows = connection.execute(select(ServiceAuditRow.action)).all()
    assert rows == []


def test_security_headers_set(api: Api) -> None:
    response = api.get(Role.VIEWER, "/api/me")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
