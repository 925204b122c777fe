"""User and token administration by the admin, and the sign-in commands of the CLI."""

from __future__ import annotations

import json

from api_helpers import Api, error_of
from typer.testing import CliRunner

from receivables.auth import authenticate
from receivables.cli.main import app as cli
from receivables.domain.credit.roles import Role


def test_admin_adds_user_who_signs_in(api: Api) -> None:
    body = {"name": "nina", "role": "collector", "password": "nina-collects-1"}
    response = api.post(Role.ADMIN, "/api/users", json=body)
    assert response.status_code == 201
    assert response.json() == {"name": "nina", "role": "collector", "can_sign_in": True}
    principal = authenticate(api.engine, "nina", "nina-collects-1")
    assert principal is not None
    assert principal.role is Role.COLLECTOR


def test_add_user_short_password(api: Api) -> None:
    response = api.post(
        Role.ADMIN, "/api/users", json={"name": "nina", "role": "viewer", "password": "short"}
    )
    assert response.status_code == 422
    assert "at least 10" in error_of(response)["message"]
    assert [u["name"] for u in api.get(Role.ADMIN, "/api/users").json()].count("nina") == 0


def test_add_user_bad_role(api: Api) -> None:
    response = api.post(Role.ADMIN, "/api/users", json={"name": "nina", "role": "boss"})
    assert response.status_code == 422
    assert error_of(response)["field"] == "role"


def test_add_user_twice(api: Api) -> None:
    response = api.post(Role.ADMIN, "/api/users", json={"name": "vic", "role": "viewer"})
    assert response.status_code in (409, 422)
    assert "already exists" in error_of(response)["message"]


def test_set_password_and_disable(api: Api) -> None:
    assert (
        api.post(Role.ADMIN, "/api/users/vic/password", json={"password": "viewer-pass-22"}).status_code
        == 204
    )
    assert authenticate(api.engine, "vic", "viewer-pass-22") is not None
    assert api.post(Role.ADMIN, "/api/users/vic/disable").status_code == 204
    assert authenticate(api.engine, "vic", "viewer-pass-22") is None
    assert api.get(Role.VIEWER, "/api/me").status_code == 401


def test_set_password_unknown_user(api: Api) -> None:
    response = api.post(Role.ADMIN, "/api/users/ghost/password", json={"password": "long enough 1"})
    assert response.status_code == 404


def test_token_shown_once_then_revoked(api: Api) -> None:
    created = api.post(Role.ADMIN, "/api/tokens", json={"user": "sam", "label": "erp", "valid_days": 30})
    assert created.status_code == 201
    token = created.json()
    assert token["token"].startswith("rcv_")
    assert api.client.get("/api/me", headers={"Authorization": f"Bearer {token['token']}"}).status_code == 200
    listed = api.get(Role.ADMIN, "/api/tokens?user=sam").json()
    assert all("token" not in item for item in listed)
    assert api.call(Role.ADMIN, "DELETE", f"/api/tokens/{token['id']}").status_code == 204
    assert api.client.get("/api/me", headers={"Authorization": f"Bearer {token['token']}"}).status_code == 401


def test_token_for_unknown_user(api: Api) -> None:
    response = api.post(Role.ADMIN, "/api/tokens", json={"user": "ghost", "label": "erp"})
    assert response.status_code == 404


def test_token_bad_days(api: Api) -> None:
    response = api.post(Role.ADMIN, "/api/tokens", json={"user": "sam", "label": "erp", "valid_days": 0})
    assert response.status_code == 422
    assert error_of(response)["field"] == "valid_days"


def test_revoke_unknown_token(api: Api) -> None:
    assert api.call(Role.ADMIN, "DELETE", "/api/tokens/999").status_code == 404


def test_cli_password_and_tokens(database_url: str) -> None:
    runner = CliRunner()
    base = ["--database", database_url]
    assert runner.invoke(cli, [*base, "user", "add", "ada", "--role", "admin"]).exit_code == 0
    done = runner.invoke(
        cli, [*base, "user", "set-password", "ada", "--password-stdin"], input="ada-secret-pw\n"
    )
    assert done.exit_code == 0, done.output
    short = runner.invoke(cli, [*base, "user", "set-password", "ada", "--password-stdin"], input="tiny\n")
    assert short.exit_code == 1
    assert "at least 10" in short.output
    created = runner.invoke(cli, [*base, "token", "create", "ada", "--label", "erp-sync"])
    assert created.exit_code == 0
    assert created.stdout.strip().splitlines()[-1].startswith("rcv_")
    listed = json.loads(runner.invoke(cli, [*base, "token", "list"]).stdout)
    assert [(item["user"], item["label"]) for item in listed] == [("ada", "erp-sync")]
    assert runner.invoke(cli, [*base, "token", "revoke", str(listed[0]["id"])]).exit_code == 0
    assert runner.invoke(cli, [*base, "token", "revoke", "999"]).exit_code == 1
    assert runner.invoke(cli, [*base, "user", "disable", "ada"]).exit_code == 0
