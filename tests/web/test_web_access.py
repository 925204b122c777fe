"""Signing in and out, and which roles reach which page, over real HTTP."""

from __future__ import annotations

import pytest
from web_client import hidden_field, new_client, page_text, sign_in
from web_scenario import ROLE_USER
from web_server import Site

# Which roles may open each page; every other role gets a 403 page.
PAGES = {
    "/dashboard": {"admin", "finance_manager", "credit_manager", "viewer"},
    "/customers": {"admin", "finance_manager", "credit_manager", "collector", "sales", "viewer"},
    "/worklist": {"admin", "finance_manager", "credit_manager", "collector"},
    "/notices": {"admin", "finance_manager", "credit_manager", "collector"},
    "/matches": {"admin", "finance_manager"},
    "/credit": {"admin", "credit_manager"},
}
CASES = [(path, role) for path in PAGES for role in ROLE_USER]


@pytest.mark.parametrize(("path", "role"), CASES)
def test_page_role_access(site: Site, path: str, role: str) -> None:
    user = sign_in(site.base_url, ROLE_USER[role])
    response = user.get(path)
    expected = 200 if role in PAGES[path] else 403
    assert response.status_code == expected, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    if expected == 403:
        assert "Not allowed" in page_text(response)
        assert role in page_text(response)


@pytest.mark.parametrize("path", [*PAGES, "/customers/C000001", "/order-check"])
def test_page_without_session_redirects(site: Site, path: str) -> None:
    response = new_client(site.base_url).get(path)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=%2F")


def test_htmx_request_without_session(site: Site) -> None:
    response = new_client(site.base_url).get("/worklist", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.headers["HX-Redirect"].startswith("/login?next=")


def test_sign_in_wrong_password(site: Site) -> None:
    client = new_client(site.base_url)
    token = hidden_field(client.get("/login").text, "login_token")
    response = client.post(
        "/login", data={"name": "ada", "password": "not-the-password", "login_token": token, "next": ""}
    )
    assert response.status_code == 401
    assert "user name or password is wrong" in page_text(response)
    assert "receivables_session" not in response.cookies


def test_sign_in_without_form_token(site: Site) -> None:
    response = new_client(site.base_url).post("/login", data={"name": "ada", "password": "x"})
    assert response.status_code == 403
    assert "sign-in form has expired" in page_text(response)


def test_sign_in_missing_name(site: Site) -> None:
    client = new_client(site.base_url)
    token = hidden_field(client.get("/login").text, "login_token")
    response = client.post("/login", data={"name": " ", "password": "x", "login_token": token})
    assert response.status_code == 400
    assert "name: is required" in page_text(response)


@pytest.mark.parametrize(
    ("next_path", "landing"),
    [("/credit", "/credit"), ("//elsewhere.example/x", "/dashboard"), ("https://x.example", "/dashboard")],
)
def test_sign_in_next_stays_local(site: Site, next_path: str, landing: str) -> None:
    client = new_client(site.base_url)
    token = hidden_field(client.get("/login").text, "login_token")
    response = client.post(
        "/login",
        data={"name": "ada", "password": "web-pages-password", "login_token": token, "next": next_path},
    )
    assert response.status_code == 303
    assert response.headers["location"] == landing


@pytest.mark.parametrize(
    ("role", "landing"),
    [("admin", "/dashboard"), ("collector", "/worklist"), ("sales", "/customers"), ("viewer", "/dashboard")],
)
def test_start_page_by_role(site: Site, role: str, landing: str) -> None:
    user = sign_in(site.base_url, ROLE_USER[role])
    response = user.get("/")
    assert response.status_code == 303
    assert response.headers["location"] == landing


def test_sign_out_ends_session(site: Site) -> None:
    user = sign_in(site.base_url, "vera")
    cookie = user.client.cookies["receivables_session"]
    response = user.post("/logout", {}, htmx=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login"
    replay = new_client(site.base_url)
    replay.cookies.set("receivables_session", cookie)
    assert replay.get("/dashboard").status_code == 303


def test_sign_out_needs_csrf(site: Site) -> None:
    user = sign_in(site.base_url, "vera")
    response = user.post("/logout", {}, htmx=False, csrf=False)
    assert response.status_code == 403
    assert user.get("/dashboard").status_code == 200


def test_static_files_served(site: Site) -> None:
    client = new_client(site.base_url)
    script = client.get("/static/htmx.min.js")
    assert script.status_code == 200
    assert "htmx" in script.text[:200]
    assert client.get("/static/app.css").status_code == 200
    assert client.get("/static/htmx.LICENSE").status_code == 200
