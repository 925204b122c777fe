"""``receivables advise`` on the demo company, its numbers recomputed straight from the SQLite file.

The recomputation reads the stored rows with ``sqlite3`` and works in plain Python with
``Decimal``: open amounts from documents less allocations, each converted at its own rate and
rounded half-up to the cent, as the glossary defines them. It shares no code with the advisor.
"""

import json
import sqlite3
import statistics
from collections import defaultdict
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from receivables.cli.main import app

AS_OF = date(2024, 12, 31)
HISTORY_START = date(2023, 12, 31)  # 12 months before the as-of date
PERIOD_DAYS = 90
CENT = Decimal("0.01")
MINOR_UNITS = {"JPY": 0}


class Ledger:
    """The demo's documents and allocations as plain rows, with the few rules the test needs."""

    def __init__(self, path: Path) -> None:
        connection = sqlite3.connect(path)
        self.documents = {
            row[0]: row
            for row in connection.execute(
                "SELECT d.id, d.kind, c.code, d.document_date, d.due_date, d.currency, d.amount_minor, "
                "CAST(d.fx_rate AS TEXT), d.disputed "
                "FROM documents d JOIN customers c ON c.id = d.customer_id"
            )
        }
        self.allocations = defaultdict(list)
        for target, day, amount in connection.execute(
            "SELECT target_document_id, allocation_date, amount_minor FROM allocations"
        ):
            self.allocations[target].append((date.fromisoformat(day), amount))
        connection.close()

    def company(self, document_id: int, minor: int) -> int:
        """Convert document minor units to EUR cents at the document's rate, half-up."""
        _, _, _, _, _, currency, _, rate, _ = self.documents[document_id]
        if currency == "EUR":
            return minor
        digits = MINOR_UNITS.get(currency, 2)
        value = Decimal(minor) * Decimal(rate) * 100 / Decimal(10) ** digits
        return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))

    def debits(self):
        for document_id, row in self.documents.items():
            if row[1] in ("invoice", "debit_note") and date.fromisoformat(row[3]) <= AS_OF:
                yield document_id, row

    def applied(self, document_id: int, day: date) -> tuple[int, date | None]:
        moves = [(when, amount) for when, amount in self.allocations[document_id] if when <= day]
        return sum(amount for _, amount in moves), max((when for when, _ in moves), default=None)

    def open_by_customer(self) -> dict[str, int]:
        totals: dict[str, int] = defaultdict(int)
        for document_id, row in self.debits():
            applied, _ = self.applied(document_id, AS_OF)
            totals[row[2]] += self.company(document_id, row[6] - applied)
        return totals

    def sales_by_customer(self) -> dict[str, int]:
        start = AS_OF - timedelta(days=PERIOD_DAYS - 1)
        signs = {"invoice": 1, "debit_note": 1, "credit_note": -1}
        totals: dict[str, int] = defaultdict(int)
        for document_id, row in self.documents.items():
            if row[1] in signs and start <= date.fromisoformat(row[3]) <= AS_OF:
                totals[row[2]] += signs[row[1]] * self.company(document_id, row[6])
        return totals


def two_places(value: Decimal) -> str:
    return format(value.quantize(CENT, rounding=ROUND_HALF_UP), "f")


def cents(minor: int) -> str:
    return format(Decimal(minor).scaleb(-2), "f")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo company with 120 customers, its advice as JSON and its ledger read back."""
    folder = tmp_path_factory.mktemp("demo")
    runner = CliRunner()
    built = runner.invoke(app, ["demo", "--output-dir", str(folder), "--customers", "120"])
    assert built.exit_code == 0, built.output
    database = f"sqlite:///{folder / 'demo.db'}"
    result = runner.invoke(
        app, ["--database", database, "advise", "--as-of", AS_OF.isoformat(), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout), Ledger(folder / "demo.db")


def first(advice, kind):
    return next(item for item in advice["recommendations"] if item["kind"] == kind)


def test_summary_receivables_and_dso(demo):
    advice, ledger = demo
    receivables = sum(ledger.open_by_customer().values())
    sales = sum(ledger.sales_by_customer().values())

    assert advice["summary"]["receivables"] == cents(receivables)
    assert advice["summary"]["credit_sales"] == cents(sales)
    assert advice["summary"]["dso"] == two_places(Decimal(receivables) / sales * PERIOD_DAYS)


def test_recommendations_ordered_by_cash(demo):
    advice, _ = demo
    cash = [Decimal(item["expected_effect"]["cash"]) for item in advice["recommendations"]]

    assert cash == sorted(cash, reverse=True)
    assert {"terms", "dispute_causes", "discount_offer"} <= {
        item["kind"] for item in advice["recommendations"]
    }


def test_concentration_shares(demo):
    advice, ledger = demo
    amounts = sorted((amount for amount in ledger.open_by_customer().values() if amount > 0), reverse=True)
    total = sum(amounts)
    cap = total * 10 // 100
    recommendation = first(advice, "concentration")

    assert recommendation["evidence"]["largest_share_percent"] == two_places(
        Decimal(amounts[0]) * 100 / total
    )
    assert recommendation["evidence"]["top5_share_percent"] == two_places(
        Decimal(sum(amounts[:5])) * 100 / total
    )
    assert recommendation["expected_effect"]["cash"] == cents(sum(max(0, amount - cap) for amount in amounts))


def test_terms_of_largest_late_payer(demo):
    """Weighted days late of the items due in the 12 months, settled or still open, and the cash of
    shortening the terms by those days (keeping at least 7 days of the usual term) on the period's
    credit sales."""
    advice, ledger = demo
    recommendation = first(advice, "terms")
    code = recommendation["customers"][0]
    weighted = amount = 0
    terms = []
    for document_id, row in ledger.debits():
        if row[2] != code:
            continue
        document_day, due = date.fromisoformat(row[3]), date.fromisoformat(row[4])
        if document_day > HISTORY_START:
            terms.append((due - document_day).days)
        if HISTORY_START < due <= AS_OF:
            applied, last = ledger.applied(document_id, AS_OF)
            end = last if applied >= row[6] and last is not None else AS_OF
            weight = ledger.company(document_id, row[6])
            weighted += weight * max(0, (end - due).days)
            amount += weight
    days_late = Decimal(weighted) / amount
    days = min(int(days_late.quantize(CENT, rounding=ROUND_HALF_UP)), round(statistics.median(terms)) - 7)
    sales = ledger.sales_by_customer()[code]

    assert recommendation["evidence"]["weighted_days_late"] == two_places(days_late)
    assert f"by {days} days" in recommendation["measure"]
    expected_cash = int((Decimal(sales) * days / PERIOD_DAYS).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    assert recommendation["expected_effect"]["cash"] == cents(expected_cash)


def test_dispute_delay(demo):
    """Days from document date to settlement of the items dated in the 12 months, weighted by amount."""
    advice, ledger = demo
    sums = {True: [0, 0], False: [0, 0]}
    for document_id, row in ledger.debits():
        if date.fromisoformat(row[3]) <= HISTORY_START:
            continue
        applied, last = ledger.applied(document_id, AS_OF)
        if applied != row[6] or last is None:
            continue
        weight = ledger.company(document_id, row[6])
        sums[bool(row[8])][0] += weight * (last - date.fromisoformat(row[3])).days
        sums[bool(row[8])][1] += weight
    evidence = first(advice, "dispute_causes")["evidence"]

    assert evidence["days_to_pay_disputed"] == two_places(Decimal(sums[True][0]) / sums[True][1])
    assert evidence["days_to_pay_undisputed"] == two_places(Decimal(sums[False][0]) / sums[False][1])


def test_gaps_are_named(demo):
    advice, _ = demo
    kinds = {gap["kind"]: gap["reason"] for gap in advice["not_computed"]}

    assert "no delivery dates" in kinds["invoicing_lag"]
    assert "no approved dunning notices" in kinds["dunning"]
