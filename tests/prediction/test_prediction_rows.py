"""Training rows, labels and point-in-time features on the small ledger (see conftest)."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from sqlalchemy import Engine

from receivables.domain.money import Currency
from receivables.prediction.api import load_payment_history
from receivables.prediction.features import add_features
from receivables.prediction.history import PaymentHistory
from receivables.prediction.predict import open_amounts
from receivables.prediction.rows import issue_rows, month_end_rows, open_rows, with_labels


@pytest.fixture
def history(small_ledger: Engine) -> PaymentHistory:
    return load_payment_history(small_ledger)


def _row(frame: pl.DataFrame, document_id: int, kind: str) -> dict[str, object]:
    return frame.filter((pl.col("document_id") == document_id) & (pl.col("row_kind") == kind)).row(
        0, named=True
    )


def _ids(history: PaymentHistory) -> dict[str, int]:
    documents = history.ledger.documents
    return dict(zip(documents["number"].to_list(), documents["document_id"].to_list(), strict=True))


def test_history_marks_pay_dates(history: PaymentHistory) -> None:
    ids = _ids(history)
    items = {row["document_id"]: row for row in history.items.iter_rows(named=True)}
    assert history.currency == Currency.of("EUR")
    assert items[ids["A-1"]]["paid_on"] == date(2025, 2, 10)
    assert items[ids["A-3"]]["paid_on"] is None
    assert items[ids["A-4"]]["written_off"] is True
    assert items[ids["A-4"]]["paid_on"] is None


def test_written_off_items_are_left_out(history: PaymentHistory) -> None:
    ids = _ids(history)
    rows = issue_rows(history.items, date(2025, 12, 31))
    assert ids["A-4"] not in rows["document_id"].to_list()
    assert rows.height == 4


def test_month_end_rows_while_open(history: PaymentHistory) -> None:
    ids = _ids(history)
    rows = month_end_rows(history.items, date(2025, 3, 31))
    by_item = rows.group_by("document_id").agg(pl.col("snapshot").sort()).rows_by_key("document_id")
    assert by_item[ids["A-1"]][0][0] == [date(2025, 1, 31)]
    assert by_item[ids["A-2"]][0][0] == [date(2025, 2, 28)]
    assert by_item[ids["A-3"]][0][0] == [date(2025, 3, 31)]
    assert ids["B-1"] not in by_item


def test_customer_history_only_sees_the_past(history: PaymentHistory) -> None:
    ids = _ids(history)
    rows = add_features(history, issue_rows(history.items, date(2025, 3, 31)))
    a3 = _row(rows, ids["A-3"], "issue")
    assert a3["customer_paid_items"] == 1
    assert a3["customer_mean_late"] == pytest.approx(10.0)
    assert a3["customer_late_share"] == pytest.approx(1.0)
    a1 = _row(rows, ids["A-1"], "issue")
    assert a1["customer_paid_items"] == 0
    assert a1["customer_mean_late"] is None


def test_open_row_sees_both_payments(history: PaymentHistory) -> None:
    ids = _ids(history)
    as_of = date(2025, 3, 31)
    rows = add_features(history, open_rows(history.items, open_amounts(history, as_of), as_of))
    # A-4 is written off only on 2025-06-01, so it is still open on 2025-03-31.
    assert sorted(rows["document_id"].to_list()) == sorted([ids["A-3"], ids["A-4"]])
    a3 = rows.filter(pl.col("document_id") == ids["A-3"]).row(0, named=True)
    assert a3["open_minor"] == 30_000
    assert a3["customer_mean_late"] == pytest.approx(15.0)
    assert a3["customer_recent_late"] == pytest.approx(15.0)
    assert a3["days_to_due"] == 0
    assert a3["earliest"] == date(2025, 4, 1)


def test_labels_as_known_on_cutoff(history: PaymentHistory) -> None:
    ids = _ids(history)
    rows = with_labels(issue_rows(history.items, date(2025, 3, 31)), date(2025, 3, 10))
    a1, a2 = _row(rows, ids["A-1"], "issue"), _row(rows, ids["A-2"], "issue")
    b1 = _row(rows, ids["B-1"], "issue")
    assert (a1["target_days"], a1["late"], a1["exact"]) == (10.0, 1, True)
    assert (b1["target_days"], b1["late"], b1["target_remaining"]) == (-2.0, 0, 12.0)
    # A-2 was due 2025-03-03 and unpaid on 2025-03-10: late, but too recent for a censored target.
    assert (a2["target_days"], a2["late"], a2["exact"]) == (None, 1, False)


def test_censored_target_after_thirty_days(history: PaymentHistory) -> None:
    ids = _ids(history)
    rows = with_labels(issue_rows(history.items, date(2025, 3, 31)), date(2025, 5, 30))
    a3 = _row(rows, ids["A-3"], "issue")
    assert (a3["target_days"], a3["late"], a3["exact"]) == (60.0, 1, False)
