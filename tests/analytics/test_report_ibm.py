"""The IBM Accounts Receivable sample, imported with the ``ibm-ar`` profile and reported as of 2013-06-30.

Data: ``tests/data/import/ibm-ar.csv`` (IBM Watson Analytics sample "Accounts Receivable"; source
and license in ``tests/data/import/README.md``): 2,466 invoices in USD, each paid in full on its
SettledDate, so an invoice is open at the end of day t when InvoiceDate <= t < SettledDate.

The expected values were worked out by ``tests/data/ibm_ar_figures.py``, which reads the CSV with
the standard library only (csv, datetime, Decimal) and shares no code with Receivables. With the
90-day period 2013-04-02 to 2013-06-30 (AR at the start is AR at the end of 2013-04-01):

    total open 5,119.85 (84 invoices), current 4,284.29, 1-30 days 835.56
    AR at the start 5,734.79, credit sales 19,903.70 (invoices dated in the period)
    DSO 5,119.85 / 19,903.70 * 90 = 23.1508     best 4,284.29 / 19,903.70 * 90 = 19.3726
    average days delinquent 3.7782               turnover 19,903.70 / 5,427.32 = 3.6673
    turnover days 90 / 3.6673 = 24.5411          CEI 20,518.64 / 21,354.20 * 100 = 96.0871
    countback: June sold 5,849.59 (30 days) > 5,119.85, so 5,119.85 / 5,849.59 * 30 = 26.2575
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from receivables.cli.main import app

IBM_CSV = Path(__file__).resolve().parents[1] / "data" / "import" / "ibm-ar.csv"

EXPECTED = {
    "as_of": "2013-06-30",
    "currency": "USD",
    "period_start": "2013-04-02",
    "period_days": 90,
    "aging": {"current": "4284.29", "1-30": "835.56", "31-60": "0.00", "61-90": "0.00", "91+": "0.00"},
    "total_open": "5119.85",
    "current_ar": "4284.29",
    "overdue": "835.56",
    "unapplied_credit": "0.00",
    "net_balance": "5119.85",
    "credit_sales": "19903.70",
    "ar_start": "5734.79",
    "open_items": 84,
    "dso_simple": "23.15",
    "best_possible_dso": "19.37",
    "average_days_delinquent": "3.78",
    "turnover": "3.67",
    "turnover_days": "24.54",
    "cei": "96.09",
    "dso_countback": "26.26",
    "settled_items": 341,
    "average_days_to_pay": "26.44",
    "average_days_late": "3.71",
    "disputed_amount": "1806.84",
    "disputed_share": "35.29",
}


def test_ibm_sample_report(database_url, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    for name in ("RECEIVABLES_CONFIG", "RECEIVABLES_COMPANY_CURRENCY", "RECEIVABLES_PERIOD_DAYS",
                 "RECEIVABLES_AGING_BUCKETS"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    runner = CliRunner()

    imported = runner.invoke(
        app, ["--database", database_url, "import", "--profile", "ibm-ar", "-q", str(IBM_CSV)]
    )
    reported = runner.invoke(
        app, ["--database", database_url, "report", "--as-of", "2013-06-30", "--format", "json"]
    )

    assert imported.exit_code == 0, imported.stdout
    assert reported.exit_code == 0, reported.stderr
    values = json.loads(reported.stdout)
    assert {name: values[name] for name in EXPECTED} == EXPECTED
