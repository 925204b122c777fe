"""End-to-end in Debian's chromium: signing in, the worklist, logging a call, releasing a hold.

The browser runs the real pages against uvicorn on 127.0.0.1, with htmx doing the swaps, and
checks what a person sees: messages, focus and layout at a tablet's width.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from web_browser import chromium, sign_in
from web_scenario import PASSWORD
from web_server import Site

pytestmark = pytest.mark.parametrize("site", ["sqlite"], indirect=True)
TABLET = {"width": 820, "height": 1180}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as running:
        yield running


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def test_sign_in_by_keyboard(site: Site, page: Page) -> None:
    page.goto(f"{site.base_url}/login")
    expect(page.get_by_label("User name")).to_be_focused()
    page.keyboard.type("cara")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{site.base_url}/worklist")
    expect(page.get_by_role("heading", name="Worklist")).to_be_visible()
    expect(page.get_by_role("link", name="Worklist")).to_have_attribute("aria-current", "page")


def test_sign_in_wrong_password(site: Site, page: Page) -> None:
    page.goto(f"{site.base_url}/login")
    page.get_by_label("User name").fill("cara")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("user name or password is wrong")


def test_collector_logs_call(site: Site, page: Page) -> None:
    code = site.scenario.assigned[6]
    sign_in(page, site.base_url, "cara", PASSWORD)
    row = page.get_by_role("row").filter(has_text=code)
    expect(row).to_have_count(1)
    row.get_by_label("Note").fill("reached the buyer, invoice approved")
    row.get_by_role("button", name="Call logged").click()
    expect(row.get_by_role("status")).to_contain_text(f"{code}: reached recorded")
    page.goto(f"{site.base_url}/customers/{code}")
    timeline = page.locator("ol.timeline")
    expect(timeline).to_contain_text("reached (reached the buyer, invoice approved)")


def test_collector_records_promise(site: Site, page: Page) -> None:
    code = site.scenario.assigned[7]
    sign_in(page, site.base_url, "cara", PASSWORD)
    row = page.get_by_role("row").filter(has_text=code)
    row.get_by_text("Promise to pay").click()
    row.get_by_label("Promised date").fill("2025-01-15")
    row.get_by_label(f"Amount ({site.scenario.currency})").fill("500.00")
    row.get_by_role("button", name="Record promise").click()
    expect(row.get_by_role("status")).to_contain_text("promise to pay recorded")


def test_credit_manager_releases_hold(site: Site, page: Page) -> None:
    code = site.scenario.held[3]
    sign_in(page, site.base_url, "cole", PASSWORD)
    page.get_by_role("link", name="Credit approvals").click()
    row = page.get_by_role("row").filter(has_text=code)
    row.get_by_label("Reason for the release").fill("cleared by the sales director")
    row.get_by_role("button", name="Release hold").click()
    expect(row.get_by_role("status")).to_contain_text(f"Hold on {code} released by cole")
    page.goto(f"{site.base_url}/customers/{code}")
    expect(page.get_by_role("heading", name="On credit hold")).to_have_count(0)


def test_release_error_keeps_form(site: Site, page: Page) -> None:
    sign_in(page, site.base_url, "cole", PASSWORD)
    page.goto(f"{site.base_url}/credit")
    form = page.locator("form[action='/credit/release']").first
    reason = form.get_by_label("Reason for the release")
    reason.evaluate("element => element.removeAttribute('required')")
    reason.fill("   ")
    form.get_by_role("button", name="Release hold").click()
    expect(form.get_by_role("alert")).to_have_text("reason: is required")
    expect(reason).to_be_visible()


def test_skip_link_and_visible_focus(site: Site, page: Page) -> None:
    sign_in(page, site.base_url, "cara", PASSWORD)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    outline = skip.evaluate("element => getComputedStyle(element).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_worklist_fits_tablet(site: Site, browser: Browser) -> None:
    context = browser.new_context(viewport=TABLET)
    page = context.new_page()
    sign_in(page, site.base_url, "cara", PASSWORD)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    button = page.get_by_role("button", name="Call logged").first
    box = button.bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= TABLET["width"]
    context.close()


def test_denied_page_in_browser(site: Site, page: Page) -> None:
    sign_in(page, site.base_url, "sal", PASSWORD)
    response = page.goto(f"{site.base_url}/credit")
    assert response is not None
    assert response.status == 403
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()
    expect(page.get_by_role("link", name="Credit approvals")).to_have_count(0)
