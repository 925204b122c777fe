"""An HTTP client that signs in through the sign-in form, as a browser without scripts does."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import httpx
from web_scenario import PASSWORD

TOKEN_FIELD = re.compile(r'name="(login_token|csrf_token)" value="([^"]*)"')


def hidden_field(page: str, name: str) -> str:
    """Return the value of the first hidden field ``name`` of an HTML page."""
    for field, value in TOKEN_FIELD.findall(page):
        if field == name:
            return value
    raise AssertionError(f"the page has no field {name}")


@dataclass
class SignedIn:
    """A client with the session cookie of ``user``, and the session's CSRF token."""

    client: httpx.Client
    user: str
    csrf_token: str

    def get(self, path: str, **kwargs: object) -> httpx.Response:
        return self.client.get(path, **kwargs)  # type: ignore[arg-type]

    def post(
        self, path: str, data: dict[str, str], *, htmx: bool = True, csrf: bool = True
    ) -> httpx.Response:
        """Post a form as htmx sends it, with the session's CSRF token unless ``csrf`` is False."""
        fields = {**data, "csrf_token": self.csrf_token} if csrf else data
        headers = {"HX-Request": "true"} if htmx else {}
        return self.client.post(path, data=fields, headers=headers)


def page_text(response: httpx.Response) -> str:
    """Return the body with HTML entities decoded, so messages read as they show."""
    return html.unescape(response.text)


def new_client(base_url: str) -> httpx.Client:
    return httpx.Client(base_url=base_url, headers={"Accept": "text/html"}, timeout=120)


def sign_in(base_url: str, user: str, password: str = PASSWORD) -> SignedIn:
    """Sign in through the form and return the signed-in client."""
    client = new_client(base_url)
    form = client.get("/login")
    token = hidden_field(form.text, "login_token")
    response = client.post(
        "/login", data={"name": user, "password": password, "login_token": token, "next": ""}
    )
    assert response.status_code == 303, response.text
    landing = client.get(response.headers["location"])
    return SignedIn(client, user, hidden_field(landing.text, "csrf_token"))
