"""Work out the report figures of the IBM Accounts Receivable sample by hand, with the standard library.

This script is the independent check of ``receivables report`` on ``tests/data/import/ibm-ar.csv``:
it reads the CSV with ``csv``, ``datetime`` and ``Decimal`` only and uses nothing of Receivables.
Every invoice of the sample is paid in full on its SettledDate, so an invoice is open at the end
of day ``t`` when ``InvoiceDate <= t < SettledDate``.

Run: ``python tests/data/ibm_ar_figures.py [AS_OF] [PERIOD_DAYS]`` (default 2013-06-30 90).
"""

from __future__ import annotations

import calendar
import csv
import sys
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

CSV = Path(__file__).resolve().parent / "import" / "ibm-ar.csv"


def us_date(text: str) -> date:
    return datetime.strptime(text, "%m/%d/%Y").date()


def read_invoices(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as stream:
        return [
            {
                "invoice_date": us_date(row["InvoiceDate"]),
                "due_date": us_date(row["DueDate"]),
                "settled_date": us_date(row["SettledDate"]),
                "amount": Decimal(row["InvoiceAmount"]),
                "disputed": row["Disputed"] == "Yes",
            }
            for row in csv.DictReader(stream)
        ]


def open_on(invoices: list[dict], day: date) -> list[dict]:
    return [row for row in invoices if row["invoice_date"] <= day < row["settled_date"]]


def sales_between(invoices: list[dict], first: date, last: date) -> Decimal:
    return sum((row["amount"] for row in invoices if first <= row["invoice_date"] <= last), Decimal(0))


def countback(invoices: list[dict], ar: Decimal, as_of: date) -> Decimal:
    """Walk back from the as-of month (month to date first), month by month to the first invoice."""
    first = min(row["invoice_date"] for row in invoices)
    year, month, days_counted, remaining = as_of.year, as_of.month, Decimal(0), ar
    month_first, month_last = date(year, month, 1), as_of
    while remaining > 0 and (year, month) >= (first.year, first.month):
        sales = sales_between(invoices, month_first, month_last)
        days = (month_last - month_first).days + 1
        if sales > 0 and remaining < sales:
            return days_counted + remaining / sales * days
        remaining -= max(sales, Decimal(0))
        days_counted += days
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        month_first = date(year, month, 1)
        month_last = date(year, month, calendar.monthrange(year, month)[1])
    return days_counted


def aging(open_items: list[dict], as_of: date) -> dict[str, Decimal]:
    """Sum open amounts into the buckets current (<= 0 days past due), 1-30, 31-60, 61-90, 91+."""
    buckets = {label: Decimal(0) for label in ("current", "1-30", "31-60", "61-90", "91+")}
    for row in open_items:
        late = (as_of - row["due_date"]).days
        if late <= 0:
            label = "current"
        elif late <= 30:
            label = "1-30"
        elif late <= 60:
            label = "31-60"
        elif late <= 90:
            label = "61-90"
        else:
            label = "91+"
        buckets[label] += row["amount"]
    return {f"aging {label}": amount for label, amount in buckets.items()}


def payment_days(invoices: list[dict], start: date, as_of: date) -> dict[str, Decimal]:
    """Amount-weighted days to pay and days late of the invoices settled from ``start`` to ``as_of``."""
    settled = [row for row in invoices if start <= row["settled_date"] <= as_of]
    weight = sum((row["amount"] for row in settled), Decimal(0))
    to_pay = sum(
        (row["amount"] * (row["settled_date"] - row["invoice_date"]).days for row in settled), Decimal(0)
    )
    late = sum(
        (row["amount"] * max(0, (row["settled_date"] - row["due_date"]).days) for row in settled), Decimal(0)
    )
    return {
        "settled_items": Decimal(len(settled)),
        "average_days_to_pay": to_pay / weight,
        "average_days_late": late / weight,
    }


def figures(invoices: list[dict], as_of: date, period_days: int) -> dict[str, Decimal]:
    start = as_of - timedelta(days=period_days - 1)
    eve = start - timedelta(days=1)
    days = Decimal(period_days)

    open_items = open_on(invoices, as_of)
    total = sum((row["amount"] for row in open_items), Decimal(0))
    current = sum((row["amount"] for row in open_items if row["due_date"] >= as_of), Decimal(0))
    disputed = sum((row["amount"] for row in open_items if row["disputed"]), Decimal(0))
    ar_start = sum((row["amount"] for row in open_on(invoices, eve)), Decimal(0))
    sales = sales_between(invoices, start, as_of)

    dso = total / sales * days
    best = current / sales * days
    turnover = sales / ((ar_start + total) / 2)
    result = aging(open_items, as_of)
    result.update(
        total_open=total, ar_start=ar_start, credit_sales=sales, current_ar=current, disputed_amount=disputed,
        open_items=Decimal(len(open_items)),
        dso_simple=dso, best_possible_dso=best, average_days_delinquent=dso - best,
        turnover=turnover, turnover_days=days / turnover,
        cei=(ar_start + sales - total) / (ar_start + sales - current) * 100,
        dso_countback=countback(invoices, total, as_of),
        disputed_share=disputed / total * 100,
    )  # fmt: skip
    result.update(payment_days(invoices, start, as_of))
    return result


def main(argv: list[str]) -> None:
    as_of = date.fromisoformat(argv[1]) if len(argv) > 1 else date(2013, 6, 30)
    period_days = int(argv[2]) if len(argv) > 2 else 90
    for name, value in figures(read_invoices(CSV), as_of, period_days).items():
        print(f"{name:26} {value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}   ({value})")


if __name__ == "__main__":
    main(sys.argv)
