"""Data and helpers shared by the import tests."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from sqlalchemy import Engine

from receivables.config import Settings
from receivables.importers import ImportResult, Problem
from receivables.storage.frames import load_allocations, load_customers, load_documents

TEST_DATA = Path(__file__).resolve().parents[1] / "data"
EUR_COMPANY = Settings(company_currency="EUR")

CUSTOMERS_CSV = """
    customer_code,name,country,currency,industry,segment
    C1,Acme GmbH,DE,EUR,machinery,key accounts
    C2,Brick Ltd,GB,GBP,construction,
"""

DOCUMENTS_CSV = """
    kind,number,customer_code,document_date,due_date,currency,amount,tax_amount,fx_rate,disputed,reference
    invoice,INV-1,C1,2024-01-05,2024-02-04,EUR,1190.00,190.00,,false,RF18 5390 0754 7034
    invoice,INV-2,C1,2024-01-10,2024-02-09,EUR,500.00,,,true,
    payment,PAY-1,C1,2024-01-20,,EUR,800.00,,,,
"""

ALLOCATIONS_CSV = """
    source_kind,source_number,target_kind,target_number,allocation_date,amount,currency
    payment,PAY-1,invoice,INV-1,2024-01-20,700.00,EUR
    payment,PAY-1,invoice,INV-2,2024-01-20,100.00,EUR
"""


def problems_at(result: ImportResult, file: Path, row: int | None, column: str | None) -> list[Problem]:
    return [p for p in result.problems if p.file == str(file) and p.row == row and p.column == column]


def stored_documents(engine: Engine) -> pl.DataFrame:
    return load_documents(engine).sort("kind", "number")


def stored_counts(engine: Engine) -> tuple[int, int, int]:
    """Customers, documents and allocations in the database."""
    return load_customers(engine).height, load_documents(engine).height, load_allocations(engine).height
