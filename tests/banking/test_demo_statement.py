"""The demo's bank statement: written for the stored ledger, imported and matched."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bank_helpers import seed_ledger
from sqlalchemy import Engine

from receivables.banking.demo_statement import run_demo_cash_application
from receivables.banking.importing import import_statements
from receivables.banking.matching import run_matching
from receivables.banking.rules.settings import MatchSettings


def test_demo_statement_matched(engine: Engine, tmp_path: Path) -> None:
    seed_ledger(engine)

    result = run_demo_cash_application(engine, tmp_path, date(2024, 3, 31), "EUR", count=5, seed=1)

    assert result.statement.exists()
    assert result.imported.ok
    assert result.matched.transactions == result.imported.transactions_new
    assert result.matched.auto_applied >= 1


def test_demo_statement_reimport_adds_nothing(engine: Engine, tmp_path: Path) -> None:
    seed_ledger(engine)
    first = run_demo_cash_application(engine, tmp_path, date(2024, 3, 31), "EUR", count=5, seed=1)

    imported = import_statements(engine, [first.statement])
    matched = run_matching(engine, date(2024, 3, 31), MatchSettings(), "EUR")

    assert imported.transactions_new == 0
    assert matched.auto_applied == 0
