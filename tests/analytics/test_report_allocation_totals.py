"""Allocation totals per document, summed by row position, whatever the document ids look like."""

from datetime import date

import numpy as np
import polars as pl
import pytest

from receivables.analytics import LedgerFrames, compute_report
from receivables.analytics.allocation_totals import NO_FIRST, allocation_totals
from receivables.analytics.errors import InvalidLedgerDataError

ALLOCATIONS = pl.DataFrame(
    {
        "source_id": [30, 30, 40],
        "target_id": [10, 20, 10],
        "allocation_date": [date(2024, 1, 5), date(2024, 1, 5), date(2024, 2, 1)],
        "amount_minor": [100, 250, 50],
    }
)


def _totals(ids: list[int]):
    return allocation_totals(np.array(ids, dtype=np.int64), ALLOCATIONS)


def test_totals_per_document():
    """Invoice 10 gets 100 on 5 January and 50 on 1 February; payment 30 gives 100 and 250."""
    totals = _totals([10, 20, 30, 40, 50])

    assert totals.allocated_minor.tolist() == [150, 250, 350, 50, 0]
    assert totals.first_day[4] == NO_FIRST


def test_multi_day_documents_keep_movements():
    movements = _totals([10, 20, 30, 40, 50]).movements

    assert movements["document_id"].to_list() == [10, 10]
    assert movements["amount_minor"].to_list() == [100, 50]


def test_sparse_ids_give_same_totals():
    """Ids up to a few times the document count index an array; one huge id switches to binary search."""
    dense = _totals([10, 20, 30, 40, 50])
    sparse = _totals([10, 20, 30, 40, 10**15])

    assert sparse.allocated_minor.tolist() == dense.allocated_minor.tolist()
    assert sparse.movements["document_id"].to_list() == [10, 10]


def test_unknown_document_raises():
    with pytest.raises(InvalidLedgerDataError, match="document id 40"):
        _totals([10, 20, 30])


def _ledger(payment_currency: str, allocated_minor: int) -> LedgerFrames:
    """Invoice 1 of 100.00 EUR and payment 2 of 150.00, joined by one allocation."""
    documents = pl.DataFrame(
        {
            "document_id": [1, 2],
            "customer_id": [1, 1],
            "customer_code": ["C1", "C1"],
            "kind": ["invoice", "payment"],
            "number": ["INV-1", "PAY-1"],
            "document_date": [date(2024, 1, 1), date(2024, 1, 10)],
            "due_date": [date(2024, 1, 31), date(2024, 1, 10)],
            "currency": ["EUR", payment_currency],
            "amount_minor": [10_000, 15_000],
            "tax_minor": [0, 0],
            "fx_rate_scaled": [10_000_000_000, 10_000_000_000],
            "disputed": [False, False],
        }
    )
    allocations = pl.DataFrame(
        {
            "source_id": [2],
            "target_id": [1],
            "allocation_date": [date(2024, 1, 10)],
            "amount_minor": [allocated_minor],
        }
    )
    return LedgerFrames(documents, allocations)


def test_cross_currency_allocation_raises():
    with pytest.raises(InvalidLedgerDataError, match="two currencies, such as the one to invoice INV-1"):
        compute_report(_ledger("USD", 10_000), as_of=date(2024, 1, 31), company_currency="EUR")


def test_over_allocation_raises():
    with pytest.raises(InvalidLedgerDataError, match="beyond their amount, such as invoice INV-1"):
        compute_report(_ledger("EUR", 12_000), as_of=date(2024, 1, 31), company_currency="EUR")
