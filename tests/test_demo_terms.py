"""The demo company uses several payment terms, and its report shows what discounts cost.

Customers pay on net 14/30/60, end of month plus 30, two instalments or 2/10 net30. The export
leaves due dates to the terms, so the import dates and splits the invoices itself; the
generator's payments must fit the instalments it stores.
"""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import text

from receivables.config import Settings
from receivables.demo.run import run_demo
from receivables.storage.database import connect


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    directory = tmp_path_factory.mktemp("demo")
    run = run_demo(directory, seed=7, customers=40, settings=Settings())
    engine = connect(run.database_url)
    yield run, engine
    engine.dispose()


def _scalar(engine, sql: str):
    with engine.connect() as connection:
        return connection.execute(text(sql)).scalar_one()


def test_report_shows_discount_take_rate(demo):
    run, _ = demo
    discounts = run.report.discounts

    assert discounts is not None
    assert discounts.eligible > 0
    assert Decimal(0) < discounts.take_rate <= Decimal(100)
    assert discounts.cost > 0


def test_discounts_posted_as_documents(demo):
    run, _ = demo

    assert run.documents_by_kind["discount"] > 0


def test_invoices_split_into_instalments(demo):
    _, engine = demo

    assert _scalar(engine, "SELECT count(*) FROM documents WHERE instalment = 2") > 0


def test_end_of_month_terms_dated_by_import(demo):
    _, engine = demo
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT d.document_date, d.due_date FROM documents d JOIN customers c "
                "ON c.id = d.customer_id WHERE c.payment_term = 'eom+30' AND d.kind = 'invoice'"
            )
        ).all()
    days = [(date.fromisoformat(str(due)) - date.fromisoformat(str(day))).days for day, due in rows]

    assert rows
    assert min(days) >= 30
    assert max(days) <= 60


def test_discount_offers_frozen(demo):
    _, engine = demo
    offers = _scalar(
        engine,
        "SELECT count(*) FROM documents d JOIN customers c ON c.id = d.customer_id "
        "WHERE c.payment_term = '2/10 net30' AND d.discount_offers IS NOT NULL",
    )
    invoices = _scalar(
        engine,
        "SELECT count(*) FROM documents d JOIN customers c ON c.id = d.customer_id "
        "WHERE c.payment_term = '2/10 net30' AND d.kind = 'invoice'",
    )

    assert invoices > 0
    assert offers == invoices
