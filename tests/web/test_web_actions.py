"""Form actions over real HTTP: outcomes from the worklist, holds, limits, notices, matches.

Each test that changes data works on customers, notices or suggestions no other test touches.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from web_client import page_text, sign_in
from web_server import Site

from receivables.dunning.tasks import add_task, list_tasks
from receivables.storage.database import connect


def timeline_of(site: Site, code: str) -> str:
    page = page_text(sign_in(site.base_url, "ada").get(f"/customers/{code}"))
    return page.split("Timeline of contacts")[1].split("</section>")[0]


def test_call_logged_from_worklist(site: Site) -> None:
    code = site.scenario.assigned[0]
    collector = sign_in(site.base_url, "cara")
    response = collector.post(
        "/worklist/outcome", {"customer": code, "outcome": "reached", "note": "will pay Friday"}
    )
    assert response.status_code == 200, response.text
    assert f"{code}: reached recorded" in page_text(response)
    assert "reached (will pay Friday)" in timeline_of(site, code)


def test_call_keeps_other_task_open(site: Site) -> None:
    """A call logged against a customer's visit task records the call and leaves the visit open."""
    code = site.scenario.unassigned[-1]
    engine = connect(site.scenario.database_url)
    try:
        visit = add_task(engine, code, "visit", site.scenario.as_of, "ada", "ada", "meet the owner")
        fields = {"customer": code, "outcome": "reached", "task": str(visit)}

        response = sign_in(site.base_url, "ada").post("/worklist/outcome", fields)

        assert response.status_code == 200, response.text
        assert visit in {task["id"] for task in list_tasks(engine, "open")}
    finally:
        engine.dispose()


def test_no_answer_adds_follow_up(site: Site) -> None:
    code = site.scenario.assigned[1]
    response = sign_in(site.base_url, "cara").post(
        "/worklist/outcome", {"customer": code, "outcome": "no_answer"}
    )
    assert response.status_code == 200
    assert "next: call again" in page_text(response)
    assert "Follow-up task" in page_text(response)


def test_promise_from_worklist(site: Site) -> None:
    code = site.scenario.assigned[2]
    promised = (site.scenario.as_of + timedelta(days=7)).isoformat()
    response = sign_in(site.base_url, "cara").post(
        "/worklist/outcome",
        {"customer": code, "outcome": "promise_to_pay", "promised_date": promised, "amount": "1,000.00"},
    )
    assert response.status_code == 200, response.text
    assert re.search(r"Promise \d+ recorded", page_text(response))
    assert f"promise of 1000.00 {site.scenario.currency} by {promised}: open" in timeline_of(site, code)


def test_dispute_from_worklist(site: Site) -> None:
    code = site.scenario.assigned[3]
    collector = sign_in(site.base_url, "cara")
    fields = collector.get("/worklist/dispute-form", params={"customer": code, "key": "1"})
    assert fields.status_code == 200
    documents = re.findall(r'<option value="([^"]+)">', fields.text)
    assert documents
    response = collector.post(
        "/worklist/outcome",
        {"customer": code, "outcome": "dispute", "document": documents[0], "reason": "price"},
    )
    assert response.status_code == 200, response.text
    assert re.search(r"Dispute \d+ opened", page_text(response))
    assert f"dispute on {documents[0]} (price): open" in timeline_of(site, code)


def test_outcome_without_htmx_redirects(site: Site) -> None:
    code = site.scenario.assigned[4]
    response = sign_in(site.base_url, "cara").post(
        "/worklist/outcome", {"customer": code, "outcome": "reached"}, htmx=False
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/customers/{code}"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"outcome": "shouted"}, "outcome: 'shouted' is not one of"),
        ({"outcome": "promise_to_pay", "amount": "10"}, "promised_date: is required for a promise to pay"),
        (
            {"outcome": "promise_to_pay", "promised_date": "2025-02-30", "amount": "10"},
            "promised_date: '2025-02-30' is not a date",
        ),
        (
            {"outcome": "promise_to_pay", "promised_date": "2025-01-10", "amount": "ten"},
            "amount: 'ten' is not an amount",
        ),
        ({"outcome": "dispute", "reason": "price"}, "document: is required for a dispute"),
        ({"outcome": "dispute", "document": "INV-1", "reason": "mood"}, "reason: 'mood' is not one of"),
        ({"outcome": "reached", "task": "abc"}, "task: 'abc' is not a task id"),
    ],
)
def test_outcome_bad_input(site: Site, fields: dict[str, str], message: str) -> None:
    code = site.scenario.assigned[5]
    response = sign_in(site.base_url, "cara").post("/worklist/outcome", {"customer": code, **fields})
    assert response.status_code == 400
    assert message in page_text(response)
    assert response.headers["HX-Retarget"] == "find .form-result"


def test_outcome_for_unassigned_customer(site: Site) -> None:
    code = site.scenario.unassigned[0]
    response = sign_in(site.base_url, "cara").post(
        "/worklist/outcome", {"customer": code, "outcome": "reached"}
    )
    assert response.status_code == 404


def test_outcome_needs_csrf_token(site: Site) -> None:
    code = site.scenario.assigned[5]
    response = sign_in(site.base_url, "cara").post(
        "/worklist/outcome", {"customer": code, "outcome": "reached"}, csrf=False
    )
    assert response.status_code == 403
    assert "CSRF token is missing or wrong" in page_text(response)


@pytest.mark.parametrize("user", ["sal", "vera"])
def test_outcome_denied_roles(site: Site, user: str) -> None:
    code = site.scenario.assigned[5]
    response = sign_in(site.base_url, user).post(
        "/worklist/outcome", {"customer": code, "outcome": "reached"}
    )
    assert response.status_code == 403


def test_release_hold(site: Site) -> None:
    code = site.scenario.held[0]
    manager = sign_in(site.base_url, "cole")
    response = manager.post("/credit/release", {"customer": code, "reason": "paid in full"})
    assert response.status_code == 200, response.text
    assert f"Hold on {code} released by cole" in page_text(response)
    assert "On credit hold" not in page_text(manager.get(f"/customers/{code}"))
    again = manager.post("/credit/release", {"customer": code, "reason": "twice"})
    assert again.status_code == 409
    assert f"customer {code} is not on hold" in page_text(again)


def test_release_hold_without_htmx(site: Site) -> None:
    code = site.scenario.held[1]
    response = sign_in(site.base_url, "ada").post(
        "/credit/release", {"customer": code, "reason": "agreed plan"}, htmx=False
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/customers/{code}"


def test_release_hold_needs_reason(site: Site) -> None:
    response = sign_in(site.base_url, "cole").post(
        "/credit/release", {"customer": site.scenario.held[2], "reason": ""}
    )
    assert response.status_code == 400
    assert "reason: is required" in page_text(response)


@pytest.mark.parametrize("user", ["cara", "fiona", "sal", "vera"])
def test_release_hold_denied_roles(site: Site, user: str) -> None:
    code = site.scenario.held[2]
    response = sign_in(site.base_url, user).post("/credit/release", {"customer": code, "reason": "please"})
    assert response.status_code == 403
    assert "On credit hold" in page_text(sign_in(site.base_url, "cole").get(f"/customers/{code}"))


def test_set_limit(site: Site) -> None:
    code = site.scenario.unassigned[1]
    manager = sign_in(site.base_url, "cole")
    response = manager.post(
        "/credit/limit", {"customer": code, "amount": "25,000", "reason": "annual review"}
    )
    assert response.status_code == 200, response.text
    assert f"Limit of {code} set to 25000.00" in page_text(response)
    history = page_text(manager.get(f"/customers/{code}")).split("Limit history")[1]
    assert "25,000.00" in history
    assert "annual review" in history


@pytest.mark.parametrize(
    ("fields", "status", "message"),
    [
        ({"amount": "plenty", "reason": "x"}, 400, "amount: 'plenty' is not an amount"),
        ({"amount": "-1", "reason": "x"}, 400, "amount: '-1' must be an amount of zero or more"),
        ({"amount": "10.005", "reason": "x"}, 400, "amount: 10.005 has more decimals than"),
        ({"amount": "100", "reason": ""}, 400, "reason: is required"),
        (
            {"amount": "100", "reason": "x", "review_date": "2020-01-01"},
            422,
            "review date 2020-01-01 must be after",
        ),
    ],
)
def test_set_limit_bad_input(site: Site, fields: dict[str, str], status: int, message: str) -> None:
    code = site.scenario.unassigned[2]
    response = sign_in(site.base_url, "cole").post("/credit/limit", {"customer": code, **fields})
    assert response.status_code == status
    assert message in page_text(response)


def test_set_limit_denied_finance_manager(site: Site) -> None:
    code = site.scenario.unassigned[2]
    response = sign_in(site.base_url, "fiona").post(
        "/credit/limit", {"customer": code, "amount": "1", "reason": "x"}
    )
    assert response.status_code == 403


def _draft_ids(site: Site) -> list[str]:
    listing = sign_in(site.base_url, "ada").get("/notices", params={"status": "draft"}).text
    return re.findall(r'name="notice" value="(\d+)"', listing)


def test_skip_notice_needs_reason(site: Site) -> None:
    drafts = _draft_ids(site)
    assert drafts, "the scenario's dunning run left no draft"
    response = sign_in(site.base_url, "ada").post("/notices/skip", {"notice": drafts[-1], "reason": " "})
    assert response.status_code == 400
    assert "reason: is required" in page_text(response)


def test_approve_notice_once(site: Site) -> None:
    drafts = _draft_ids(site)
    assert len(drafts) >= 2, "the scenario's dunning run left fewer than two drafts"
    admin = sign_in(site.base_url, "ada")
    approved = admin.post("/notices/approve", {"notice": drafts[0]})
    assert approved.status_code == 200, approved.text
    assert f"Approved 1 notices: {drafts[0]}" in page_text(approved)
    again = admin.post("/notices/approve", {"notice": drafts[0]})
    assert again.status_code == 409


def test_skip_notice(site: Site) -> None:
    drafts = _draft_ids(site)
    assert drafts, "no draft is left to skip after the approval test"
    admin = sign_in(site.base_url, "ada")
    skipped = admin.post("/notices/skip", {"notice": drafts[-1], "reason": "customer paid yesterday"})
    assert skipped.status_code == 200
    assert f"Skipped notice {drafts[-1]}" in page_text(skipped)
    assert drafts[-1] not in _draft_ids(site)


def test_approve_notices_none_selected(site: Site) -> None:
    response = sign_in(site.base_url, "ada").post("/notices/approve", {})
    assert response.status_code == 400
    assert "notice: choose at least one notice" in page_text(response)


def _suggestion_ids(site: Site) -> list[str]:
    page = sign_in(site.base_url, "fiona").get("/matches").text
    return re.findall(r'name="suggestion" value="(\d+)"', page)


def test_accept_and_reject_matches(site: Site) -> None:
    ids = list(dict.fromkeys(_suggestion_ids(site)))
    assert len(ids) >= 2
    finance = sign_in(site.base_url, "fiona")
    accepted = finance.post("/matches/accept", {"suggestion": ids[0]})
    assert accepted.status_code == 200, accepted.text
    assert f"Suggestion {ids[0]} applied" in page_text(accepted)
    again = finance.post("/matches/accept", {"suggestion": ids[0]})
    assert again.status_code in (409, 422)
    rejected = finance.post("/matches/reject", {"suggestion": ids[-1]})
    assert rejected.status_code == 200
    assert f"Suggestion {ids[-1]} rejected" in page_text(rejected)


def test_match_bad_input(site: Site) -> None:
    response = sign_in(site.base_url, "fiona").post("/matches/accept", {"suggestion": "first"})
    assert response.status_code == 400
    assert "suggestion: 'first' is not an id" in page_text(response)


@pytest.mark.parametrize("user", ["cara", "cole", "sal", "vera"])
def test_match_denied_roles(site: Site, user: str) -> None:
    response = sign_in(site.base_url, user).post("/matches/reject", {"suggestion": "1"})
    assert response.status_code == 403


def test_dispute_on_other_customers_item(site: Site) -> None:
    admin = sign_in(site.base_url, "ada")
    other = site.scenario.unassigned[3]
    fields = admin.get("/worklist/dispute-form", params={"customer": other})
    foreign = re.findall(r'<option value="([^"]+)">', fields.text)
    assert foreign
    code = site.scenario.assigned[5]
    response = sign_in(site.base_url, "cara").post(
        "/worklist/outcome",
        {"customer": code, "outcome": "dispute", "document": foreign[0], "reason": "price"},
    )
    assert response.status_code == 400
    assert f"document: {foreign[0]} is not an open item of customer {code}" in page_text(response)


def test_promise_by_manager_on_any_customer(site: Site) -> None:
    admin = sign_in(site.base_url, "ada")
    code = next(
        code
        for code in site.scenario.unassigned[4:]
        if '<option value="">' not in admin.get("/worklist/dispute-form", params={"customer": code}).text
    )
    response = admin.post(
        "/worklist/outcome",
        {"customer": code, "outcome": "promise_to_pay", "promised_date": "2025-01-20", "amount": "250"},
    )
    assert response.status_code == 200, response.text
    assert re.search(r"Promise \d+ recorded", page_text(response))
    assert "promise of 250.00" in timeline_of(site, code)
