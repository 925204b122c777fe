"""What each page shows, what a collector may see, and how pages reject bad input."""

from __future__ import annotations

import importlib.util
import re

import pytest
from web_client import page_text, sign_in
from web_server import Site


def customer_codes(page: str) -> set[str]:
    return set(re.findall(r'href="/customers/([^"]+)"', page))


def test_dashboard_shows_figures(site: Site) -> None:
    page = sign_in(site.base_url, "fiona").get("/dashboard").text
    assert f"as of {site.scenario.as_of.isoformat()}" in page
    assert "Total open (AR)" in page
    assert "DSO (countback)" in page
    assert "Collection effectiveness (CEI)" in page
    assert "<svg" in page
    assert "Customers with the most overdue" in page


def test_customer_list_for_manager(site: Site) -> None:
    page = sign_in(site.base_url, "cole").get("/customers").text
    codes = customer_codes(page)
    assert set(site.scenario.assigned) <= codes
    assert set(site.scenario.held) <= codes


def test_customer_list_search(site: Site) -> None:
    code = site.scenario.held[2]
    page = sign_in(site.base_url, "sal").get("/customers", params={"q": code}).text
    assert customer_codes(page) == {code}


def test_customer_list_bad_page(site: Site) -> None:
    response = sign_in(site.base_url, "sal").get("/customers", params={"page": "zero"})
    assert response.status_code == 400
    assert "page: 'zero' is not a page number" in page_text(response)


def test_collector_sees_assigned_customers(site: Site) -> None:
    collector = sign_in(site.base_url, "cara")
    listed = customer_codes(collector.get("/customers").text)
    assert listed == set(site.scenario.assigned)
    worklist = customer_codes(collector.get("/worklist").text)
    assert worklist <= set(site.scenario.assigned)
    assert worklist


def test_collector_denied_other_customer(site: Site) -> None:
    other = site.scenario.unassigned[0]
    response = sign_in(site.base_url, "cara").get(f"/customers/{other}")
    assert response.status_code == 404
    assert "not found among your assigned customers" in page_text(response)


def test_collector_without_customers(site: Site) -> None:
    collector = sign_in(site.base_url, "carl")
    assert customer_codes(collector.get("/customers").text) == set()
    assert "Nothing to act on" in collector.get("/worklist").text


def test_customer_page_sections(site: Site) -> None:
    code = site.scenario.held[2]
    page = sign_in(site.base_url, "cole").get(f"/customers/{code}").text
    assert "On credit hold" in page
    assert "payments late; check with sales" in page
    assert "Release hold" in page
    assert "Recommended: " in page
    for heading in (
        "Open items",
        "Timeline of contacts",
        "Limit history",
        "Risk class history",
        "Disputes",
        "Promises to pay",
    ):
        assert heading in page


def test_customer_page_read_only_roles(site: Site) -> None:
    code = site.scenario.held[2]
    page = sign_in(site.base_url, "vera").get(f"/customers/{code}").text
    assert "On credit hold" in page
    assert "Release hold" not in page
    assert "Change the credit limit" not in page
    assert "Order check" not in page


def test_customer_page_unknown(site: Site) -> None:
    response = sign_in(site.base_url, "ada").get("/customers/NO-SUCH-CUSTOMER")
    assert response.status_code == 404
    assert "customer NO-SUCH-CUSTOMER not found" in page_text(response)


def test_timeline_lists_run_notices(site: Site) -> None:
    code = site.scenario.assigned[0]
    page = sign_in(site.base_url, "cara").get(f"/customers/{code}").text
    timeline = page.split("Timeline of contacts")[1].split("</section>")[0]
    assert "notice" in timeline or "task" in timeline


def test_order_check_for_sales(site: Site) -> None:
    code = site.scenario.held[2]
    response = sign_in(site.base_url, "sal").get(
        "/order-check", params={"customer": code, "amount": "100.00"}
    )
    assert response.status_code == 200
    assert "Hold" in page_text(response)
    assert "customer on hold" in page_text(response)
    assert f"Order check of {code}" in page_text(response)


def test_order_check_fragment_for_htmx(site: Site) -> None:
    code = site.scenario.held[2]
    response = sign_in(site.base_url, "sal").get(
        "/order-check", params={"customer": code, "amount": "100.00"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "customer on hold" in page_text(response)
    assert "<!doctype html>" not in response.text


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"customer": "C000001", "amount": "lots"}, "amount: 'lots' is not an amount"),
        ({"customer": "C000001", "amount": "-5"}, "amount: '-5' must be more than zero"),
        ({"customer": "C000001", "amount": "1.001"}, "amount: '1.001' must be more than zero"),
        ({"amount": "100"}, "customer: is required"),
    ],
)
def test_order_check_bad_input(site: Site, params: dict[str, str], message: str) -> None:
    response = sign_in(site.base_url, "sal").get("/order-check", params=params)
    assert response.status_code == 400
    assert message in page_text(response)


def test_order_check_unknown_customer(site: Site) -> None:
    response = sign_in(site.base_url, "sal").get("/order-check", params={"customer": "NOPE", "amount": "10"})
    assert response.status_code == 404
    assert "NOPE" in page_text(response)


def test_order_check_denied_collector(site: Site) -> None:
    response = sign_in(site.base_url, "cara").get(
        "/order-check", params={"customer": "C000001", "amount": "10"}
    )
    assert response.status_code == 403


def test_notice_list_bad_status(site: Site) -> None:
    response = sign_in(site.base_url, "ada").get("/notices", params={"status": "lost"})
    assert response.status_code == 400
    assert "status: 'lost' is not one of" in page_text(response)


def test_notice_preview(site: Site) -> None:
    admin = sign_in(site.base_url, "ada")
    listing = admin.get("/notices", params={"status": "all"}).text
    ids = re.findall(r'href="/notices/(\d+)"', listing)
    assert ids
    page = admin.get(f"/notices/{ids[0]}")
    assert page.status_code == 200
    assert f"Notice {ids[0]}" in page.text


def test_notice_preview_unknown(site: Site) -> None:
    response = sign_in(site.base_url, "ada").get("/notices/999999")
    assert response.status_code == 404


def test_matches_list_suggestions(site: Site) -> None:
    page = sign_in(site.base_url, "fiona").get("/matches").text
    assert "suggestions waiting for review" in page
    assert "Accept suggestion" in page


def test_credit_page_lists_holds(site: Site) -> None:
    page = sign_in(site.base_url, "cole").get("/credit").text
    assert "Holds in force" in page
    assert set(site.scenario.held) & customer_codes(page)
    assert "Limits to decide" in page


def test_worklist_filter_by_collector(site: Site) -> None:
    page = sign_in(site.base_url, "cole").get("/worklist", params={"collector": "cara"}).text
    assert customer_codes(page) <= set(site.scenario.assigned)


def test_worklist_bad_page(site: Site) -> None:
    response = sign_in(site.base_url, "cole").get("/worklist", params={"page": "0"})
    assert response.status_code == 400
    assert "page: '0' is not a page number" in page_text(response)


def test_worklist_page_past_end(site: Site) -> None:
    response = sign_in(site.base_url, "cole").get("/worklist", params={"page": "99"})
    assert response.status_code == 200
    assert "Nothing to act on" in response.text


def test_collector_notices_limited(site: Site) -> None:
    listing = sign_in(site.base_url, "ada").get("/notices", params={"status": "all"}).text
    rows = re.findall(r'href="/notices/(\d+)">\d+</a></td>\s*<td><a href="/customers/([^"]+)"', listing)
    others = [notice for notice, code in rows if code not in site.scenario.assigned]
    assert others
    collector = sign_in(site.base_url, "cara")
    assert customer_codes(collector.get("/notices", params={"status": "all"}).text) <= set(
        site.scenario.assigned
    )
    response = collector.get(f"/notices/{others[0]}")
    assert response.status_code == 404


def test_dashboard_forecast_section(site: Site) -> None:
    page = sign_in(site.base_url, "ada").get("/dashboard").text
    installed = importlib.util.find_spec("receivables.prediction.api") is not None
    assert ("Compute the cash forecast" in page) is installed


@pytest.mark.parametrize("user", ["cara", "sal"])
def test_dashboard_forecast_denied(site: Site, user: str) -> None:
    response = sign_in(site.base_url, user).get("/dashboard/forecast", headers={"HX-Request": "true"})
    assert response.status_code == 403
