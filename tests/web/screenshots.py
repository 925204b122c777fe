"""Take the screenshots of docs/web.md from a demo database, in a real browser.

Run from the repository root::

    .venv/bin/python tests/web/screenshots.py docs/screenshots

It builds the demo company with the web scenario (users, a dunning run, holds) in a temporary
SQLite file, serves it with uvicorn on 127.0.0.1 and saves one PNG per main page, at a laptop
width and, for the worklist, at a tablet width.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Browser, Page

sys.path.insert(0, str(Path(__file__).resolve().parent))

from web_browser import chromium, sign_in
from web_scenario import PASSWORD, build_scenario
from web_server import live_server

LAPTOP = {"width": 1366, "height": 900}
TABLET = {"width": 820, "height": 1180}


SHOTS = [
    ("cara", "/worklist", "worklist.png", LAPTOP),
    ("cara", "/worklist", "worklist-tablet.png", TABLET),
    ("ada", "/notices", "notices.png", LAPTOP),
    ("fiona", "/matches", "matches.png", LAPTOP),
    ("cole", "/credit", "credit.png", LAPTOP),
]
FORECAST_WAIT_MS = 15 * 60 * 1000


def _shoot(browser: Browser, base: str, user: str, path: str, viewport: dict[str, int]) -> Page:
    page = browser.new_context(viewport=viewport).new_page()
    sign_in(page, base, user, PASSWORD)
    page.goto(base + path)
    return page


def take_screenshots(target: Path) -> list[Path]:
    """Save the screenshots into ``target`` and return their paths."""
    target.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'web.db'}"
        scenario = build_scenario(url, Path(folder), customers=60)
        with live_server(url, as_of=scenario.as_of) as base, chromium() as browser:
            dashboard = _shoot(browser, base, "ada", "/dashboard", LAPTOP)
            forecast = dashboard.get_by_role("button", name="Compute the cash forecast")
            has_forecast = forecast.count() > 0
            if has_forecast:
                forecast.click()
            shots = [*SHOTS, ("ada", f"/customers/{scenario.held[0]}", "customer.png", LAPTOP)]
            for user, path, name, viewport in shots:
                page = _shoot(browser, base, user, path, viewport)
                page.screenshot(path=str(target / name))
                written.append(target / name)
                page.context.close()
            if has_forecast:
                dashboard.get_by_text("Expected collections by week from").wait_for(timeout=FORECAST_WAIT_MS)
            dashboard.screenshot(path=str(target / "dashboard.png"), full_page=True)
            written.append(target / "dashboard.png")
    return written


if __name__ == "__main__":
    for path in take_screenshots(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")):
        print(f"wrote {path}")
