"""DSO, best possible DSO, turnover, CEI, countback and days to pay, worked out by hand.

The worked ledger, as of 2024-03-31 with the 90-day period 2024-01-02 to 2024-03-31 (its eve,
the day before it starts, is 2024-01-01):

    INV-0  2023-12-15  due 2024-01-14  3,000.00  paid in full 2024-01-20 (36 days, 6 late)
    INV-1  2024-01-10  due 2024-02-09  4,000.00  paid in full 2024-02-19 (40 days, 10 late)
    INV-2  2024-02-20  due 2024-03-21  5,000.00  disputed; credit note 1,000.00 on 2024-03-20,
                                                 paid 1,500.00 on 2024-03-25: 2,500.00 open
    INV-3  2024-03-15  due 2024-04-14  2,000.00  open, current

    AR at the start (2024-01-01)  3,000.00   (INV-0)
    AR at the end                 4,500.00   (2,500.00 overdue 10 days + 2,000.00 current)
    credit sales                 10,000.00   (4,000 + 5,000 + 2,000 - 1,000)
"""

from decimal import Decimal

import pytest
from report_book import ReportBook, report_of

from receivables.analytics.report import RATIO_NAMES


@pytest.fixture
def worked() -> ReportBook:
    book = ReportBook()
    book.invoice("INV-0", "C1", "2023-12-15", due="2024-01-14", amount="3000.00")
    book.payment("PAY-0", "C1", "2024-01-20", amount="3000.00")
    book.allocate("PAY-0", "INV-0", "2024-01-20", "3000.00")
    book.invoice("INV-1", "C1", "2024-01-10", due="2024-02-09", amount="4000.00")
    book.payment("PAY-1", "C1", "2024-02-19", amount="4000.00")
    book.allocate("PAY-1", "INV-1", "2024-02-19", "4000.00")
    book.invoice("INV-2", "C2", "2024-02-20", due="2024-03-21", amount="5000.00", disputed=True)
    book.credit_note("CN-1", "C2", "2024-03-20", amount="1000.00")
    book.allocate("CN-1", "INV-2", "2024-03-20", "1000.00")
    book.payment("PAY-2", "C2", "2024-03-25", amount="1500.00")
    book.allocate("PAY-2", "INV-2", "2024-03-25", "1500.00")
    book.invoice("INV-3", "C2", "2024-03-15", due="2024-04-14", amount="2000.00")
    return book


def test_worked_ledger_amounts(worked):
    figures = report_of(worked, "2024-03-31").figures

    assert figures.ar_start == Decimal("3000.00")
    assert figures.total_open == Decimal("4500.00")
    assert figures.current_ar == Decimal("2000.00")
    assert figures.overdue == Decimal("2500.00")
    assert figures.credit_sales == Decimal("10000.00")
    assert figures.aging["1-30"] == Decimal("2500.00")


def test_dso_simple_by_hand(worked):
    """4,500 / 10,000 * 90 = 40.50 days."""
    assert report_of(worked, "2024-03-31").figures.dso_simple == Decimal("40.50")


def test_best_possible_dso_by_hand(worked):
    """2,000 / 10,000 * 90 = 18.00 days; average days delinquent 40.50 - 18.00 = 22.50."""
    figures = report_of(worked, "2024-03-31").figures

    assert figures.best_possible_dso == Decimal("18.00")
    assert figures.average_days_delinquent == Decimal("22.50")


def test_turnover_by_hand(worked):
    """10,000 / ((3,000 + 4,500) / 2) = 2.666...; 90 / 2.666... = 33.75 days."""
    figures = report_of(worked, "2024-03-31").figures

    assert figures.turnover == Decimal("2.67")
    assert figures.turnover_days == Decimal("33.75")


def test_cei_by_hand(worked):
    """(3,000 + 10,000 - 4,500) / (3,000 + 10,000 - 2,000) * 100 = 8,500 / 11,000 * 100 = 77.2727..."""
    assert report_of(worked, "2024-03-31").figures.cei == Decimal("77.27")


def test_dso_countback_by_hand(worked):
    """AR 4,500. March to date sold 2,000 - 1,000 = 1,000: all 31 days, 3,500 left.

    February sold 5,000 > 3,500: 3,500 / 5,000 * 29 days = 20.3. DSO = 31 + 20.3 = 51.30.
    """
    assert report_of(worked, "2024-03-31").figures.dso_countback == Decimal("51.30")


def test_countback_counts_month_to_date(worked):
    """As of 2024-03-20: AR 6,000 (INV-2 less the credit note, INV-3); March to date sold 1,000 in 20 days.

    5,000 left is exactly February's 5,000 (29 days): 20 + 29 = 49.00.
    """
    assert report_of(worked, "2024-03-20").figures.dso_countback == Decimal("49.00")


def test_days_to_pay_by_hand(worked):
    """Settled in the period: INV-0 (3,000, 36 days, 6 late) and INV-1 (4,000, 40 days, 10 late).

    Days to pay (3,000 * 36 + 4,000 * 40) / 7,000 = 38.2857...; days late (3,000 * 6 + 4,000 * 10)
    / 7,000 = 8.2857...
    """
    figures = report_of(worked, "2024-03-31").figures

    assert figures.settled_items == 2
    assert figures.average_days_to_pay == Decimal("38.29")
    assert figures.average_days_late == Decimal("8.29")


def test_disputed_share_by_hand(worked):
    """INV-2 is disputed: 2,500 of 4,500 open = 55.555...%."""
    figures = report_of(worked, "2024-03-31").figures

    assert figures.disputed_amount == Decimal("2500.00")
    assert figures.disputed_share == Decimal("55.56")


def test_ratios_round_once():
    """DSO 6,500 / 10,500 * 90 = 55.714..., best 2,500 / 10,500 * 90 = 21.428...

    Average days delinquent is 55.714... - 21.428... = 34.2857... -> 34.29, not 55.71 - 21.43 = 34.28.
    """
    book = ReportBook()
    book.invoice("INV-A", "C1", "2024-02-01", due="2024-03-02", amount="8000.00")
    book.payment("PAY-A", "C1", "2024-03-05", amount="4000.00")
    book.allocate("PAY-A", "INV-A", "2024-03-05", "4000.00")
    book.invoice("INV-B", "C1", "2024-03-20", due="2024-04-19", amount="2500.00")

    figures = report_of(book, "2024-03-31").figures

    assert figures.dso_simple == Decimal("55.71")
    assert figures.best_possible_dso == Decimal("21.43")
    assert figures.average_days_delinquent == Decimal("34.29")


def test_period_days_changes_period():
    """A 30-day period (2024-03-02 to 2024-03-31): sales 2,500, AR at the start (2024-03-01) 8,000."""
    book = ReportBook()
    book.invoice("INV-A", "C1", "2024-02-01", due="2024-03-02", amount="8000.00")
    book.payment("PAY-A", "C1", "2024-03-05", amount="4000.00")
    book.allocate("PAY-A", "INV-A", "2024-03-05", "4000.00")
    book.invoice("INV-B", "C1", "2024-03-20", due="2024-04-19", amount="2500.00")

    figures = report_of(book, "2024-03-31", period_days=30).figures

    assert figures.period_start.isoformat() == "2024-03-02"
    assert figures.credit_sales == Decimal("2500.00")
    assert figures.ar_start == Decimal("8000.00")
    assert figures.dso_simple == Decimal("78.00")


def test_empty_period_gives_null_ratios():
    """An invoice of 2023 still open, nothing sold or settled in the period."""
    book = ReportBook()
    book.invoice("INV-1", "C1", "2023-01-10", due="2023-02-09", amount="1000.00")

    report = report_of(book, "2024-03-31")
    figures = report.figures
    values = report.to_dict()

    assert figures.credit_sales == Decimal("0.00")
    assert figures.dso_simple is None
    assert figures.best_possible_dso is None
    assert figures.average_days_delinquent is None
    assert figures.turnover == Decimal("0.00")
    assert figures.turnover_days is None
    assert figures.average_days_to_pay is None
    assert figures.average_days_late is None
    assert values["dso_simple"] is None
    assert values["turnover_days"] is None


def test_as_of_before_ledger_gives_null_ratios():
    book = ReportBook()
    book.invoice("INV-1", "C1", "2024-05-10", due="2024-06-09", amount="1000.00")

    values = report_of(book, "2024-03-31").to_dict()

    assert values["total_open"] == "0.00"
    for name in RATIO_NAMES:
        assert values[name] is None, name
