"""The JSON, HTML and terminal renderings of a report."""

import json
import re

import pytest
from report_book import ReportBook, report_of
from rich.console import Console

from receivables.reports import render_html, render_json, render_table

JSON_KEYS = [
    "as_of", "currency", "customer", "aging_basis", "bucket_edges", "period_start", "period_days", "aging",
    "total_open", "current_ar", "overdue", "disputed_amount", "unapplied_credit", "net_balance",
    "credit_sales", "ar_start", "open_items", "settled_items", "dso_simple", "dso_countback",
    "best_possible_dso", "average_days_delinquent", "turnover", "turnover_days", "cei",
    "average_days_to_pay", "average_days_late", "disputed_share", "trend", "top_customers", "discounts",
]  # fmt: skip


@pytest.fixture
def report():
    book = ReportBook()
    book.invoice("INV-1", "C1", "2024-01-10", due="2024-02-09", amount="4000.00")
    book.payment("PAY-1", "C1", "2024-02-19", amount="4000.00")
    book.allocate("PAY-1", "INV-1", "2024-02-19", "4000.00")
    book.invoice("INV-2", "C2", "2024-02-20", due="2024-03-21", amount="5000.00", disputed=True)
    book.invoice("INV-3", "C3", "2024-03-01", due="2024-03-11", amount="120.50")
    book.names["C2"] = "<b>Brick & Mortar</b>"
    return report_of(book, "2024-03-31", trend=True)


def test_json_keys_in_documented_order(report):
    assert list(json.loads(render_json(report))) == JSON_KEYS


def test_json_amounts_are_fixed_point_strings(report):
    values = json.loads(render_json(report))

    assert values["total_open"] == "5120.50"
    assert values["aging"] == {
        "current": "0.00",
        "1-30": "5120.50",
        "31-60": "0.00",
        "61-90": "0.00",
        "91+": "0.00",
    }
    assert values["dso_simple"] == "50.53"  # 5,120.50 / 9,120.50 * 90 = 50.528...
    assert values["unapplied_credit"] == "0.00"


def test_json_trend_and_customers(report):
    values = json.loads(render_json(report))

    assert [point["as_of"] for point in values["trend"]] == ["2024-01-31", "2024-02-29", "2024-03-31"]
    assert values["trend"][0]["cei"] is None
    assert values["top_customers"][0] == {
        "customer_code": "C2", "name": "<b>Brick & Mortar</b>", "total_open": "5000.00", "overdue": "5000.00",
        "oldest_days_past_due": 10, "disputed_amount": "5000.00", "dso_simple": "90.00",
    }  # fmt: skip


def test_html_loads_nothing_external(report):
    html = render_html(report)

    assert re.search(r"https?://", html) is None
    assert "<script" not in html
    assert "<link" not in html
    assert "src=" not in html
    assert "url(" not in html
    assert "@import" not in html


def test_html_has_svg_charts(report):
    html = render_html(report)

    assert html.count("<svg") == 5
    assert 'aria-label="DSO trend"' in html
    assert 'aria-label="CEI trend"' in html
    assert 'aria-label="Aging as of 2024-03-31"' in html
    assert 'aria-label="Top customers by overdue amount"' in html


def test_html_title_names_currency_and_date(report):
    title = re.search(r"<title>(.*?)</title>", render_html(report)).group(1)

    assert title == "Receivables report as of 2024-03-31 (EUR)"


def test_html_escapes_names(report):
    html = render_html(report)

    assert "<b>Brick" not in html
    assert "&lt;b&gt;Brick &amp; Mortar&lt;/b&gt;" in html


def test_html_without_trend(report):
    html = render_html(type(report)(report.currency, report.buckets, report.figures))

    assert html.count("<svg") == 1
    assert "</html>" in html


def test_table_shows_every_section(report):
    console = Console(record=True, width=140)

    render_table(report, console)
    text = console.export_text()

    assert "Receivables as of 2024-03-31, in EUR" in text
    assert "Summary" in text
    assert "Aging by days past due" in text
    assert "Top customers by overdue amount" in text
    assert "5,120.50" in text
    assert "<b>Brick & Mortar</b>" in text
