"""``credit review``: batch scores equal the single-customer scores, and runs are idempotent."""

from datetime import date

import polars as pl
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from receivables.credit.evaluation import evaluate_customer
from receivables.credit.imports import import_credit_files
from receivables.credit.limits import approve_limit
from receivables.credit.review import compute_review, run_review
from receivables.credit.synthetic import write_credit_files
from receivables.credit.users import add_user
from receivables.demo.generator import generate_company
from receivables.domain.money import Currency, Money
from receivables.storage.bulk import (
    write_allocations,
    write_customers,
    write_documents,
    write_exchange_rates,
)
from receivables.storage.credit_models import CreditReviewRow, RiskClassChangeRow
from receivables.storage.database import set_setting
from receivables.storage.dunning_models import PromiseRow
from receivables.storage.models import CustomerRow

EUR = Currency.of("EUR")
AS_OF = date(2025, 6, 30)
BUREAU = """
    customer_code,provider,record_date,score,event
    K1,generic,2025-05-01,72,
    K2,generic,2025-04-01,,legal_action
"""


def assert_batch_matches_single(engine, settings, as_of):
    result = compute_review(engine, as_of, EUR, settings)
    with engine.connect() as connection:
        for row in result.scores.iter_rows(named=True):
            single = evaluate_customer(connection, row["customer_code"], as_of, EUR, settings).score
            assert single.score * 10 == row["score_tenths"], row["customer_code"]
            assert single.risk_class.value == row["risk_class"], row["customer_code"]
            sub_scores = [source.sub_score for source in single.sources]
            assert sub_scores == [
                row["behaviour_score"],
                row["financial_score"],
                row["bureau_sub_score"],
            ]
    return result


def test_batch_matches_single_small(ledger, write_file, credit_settings):
    import_credit_files(ledger, [write_file("bureau.csv", BUREAU)], credit_settings, EUR)

    result = assert_batch_matches_single(ledger, credit_settings, AS_OF)

    assert result.scores.height == 3


@pytest.fixture
def generated(engine, tmp_path, credit_settings):
    """A generated company of 40 customers with statements, bureau records and orders."""
    company = generate_company(seed=11, customers=40)
    with engine.begin() as connection:
        write_exchange_rates(connection, company.exchange_rates)
        write_customers(connection, company.customers)
        write_documents(connection, company.documents)
        write_allocations(connection, company.allocations)
    set_setting(engine, "company_currency", company.company_currency)
    codes = company.customers["code"].to_list()
    files = write_credit_files(
        tmp_path / "credit", codes, company.as_of, seed=11, statement_share=0.5
    )
    reports = import_credit_files(engine, files, credit_settings, EUR)
    assert [report.problems for report in reports] == [[], [], []]
    return engine, company.as_of


def test_batch_matches_single_generated(generated, credit_settings):
    engine, as_of = generated

    assert_batch_matches_single(engine, credit_settings, as_of)


def test_exposure_batch_matches_single(generated, credit_settings):
    from receivables.credit.check import customer_state

    engine, as_of = generated
    result = compute_review(engine, as_of, EUR, credit_settings)
    with engine.connect() as connection:
        for row in result.scores.head(15).iter_rows(named=True):
            state, _ = customer_state(
                connection, row["customer_code"], as_of, EUR, credit_settings.policy
            )
            assert state.exposure.total.minor_units() == row["exposure"], row["customer_code"]


def test_review_twice_same_result(ledger, credit_settings):
    run_review(ledger, AS_OF, EUR, credit_settings)
    run_review(ledger, AS_OF, EUR, credit_settings)

    with ledger.connect() as connection:
        reviews = connection.execute(select(func.count()).select_from(CreditReviewRow)).scalar_one()
        changes = connection.execute(
            select(func.count()).select_from(RiskClassChangeRow)
        ).scalar_one()

    assert reviews == 1
    assert changes == 3  # the first classification of each customer, once


def test_class_change_recorded(ledger, write_file, credit_settings):
    run_review(ledger, AS_OF, EUR, credit_settings)
    insolvency = "customer_code,provider,record_date,event\nK2,generic,2025-07-15,insolvency\n"
    import_credit_files(ledger, [write_file("event.csv", insolvency)], credit_settings, EUR)

    result = run_review(ledger, date(2025, 7, 31), EUR, credit_settings)
    changed = result.changes.filter(pl.col("customer_code") == "K2").row(0, named=True)

    assert changed["risk_class"] == "E"
    assert changed["old_class"] is not None
    warnings = result.warnings.filter(pl.col("customer_code") == "K2")["finding"].to_list()
    assert "new_bureau_event" in warnings


def test_limit_use_warning(ledger, credit_settings):
    add_user(ledger, "ada", "admin", None)
    # K1's exposure is 6,500.00; a limit of 7,000.00 is used to 92.9 %.
    approve_limit(
        ledger,
        "K1",
        Money.of("7000.00", EUR),
        "test",
        "ada",
        AS_OF,
        EUR,
        credit_settings,
        date(2026, 6, 30),
    )

    result = compute_review(ledger, AS_OF, EUR, credit_settings)
    k1 = result.warnings.filter(pl.col("customer_code") == "K1")["finding"].to_list()

    assert k1 == ["limit_use_high"]


def test_customers_due_for_review(ledger, credit_settings):
    result = compute_review(ledger, AS_OF, EUR, credit_settings)
    due = dict(result.due.select("customer_code", "detail").iter_rows())

    assert due == {"K1": "exposure without an approved limit"}


def _promise(customer_id, closed_on, state="broken"):
    return PromiseRow(
        customer_id=customer_id,
        made_on=date(2025, 1, 2),
        promised_date=date(2025, 1, 20),
        amount_minor=100_000,
        currency="EUR",
        grace_days=3,
        open_at_promise_minor=100_000,
        state=state,
        closed_on=closed_on,
    )


def test_broken_promise_lowers_the_score_and_warns(ledger, credit_settings):
    """K1 broke one promise inside the 24-month window and one before it; a kept one never counts."""
    with Session(ledger) as session, session.begin():
        k1 = session.execute(select(CustomerRow.id).where(CustomerRow.code == "K1")).scalar_one()
        session.add_all(
            [
                _promise(k1, date(2025, 3, 1)),
                _promise(k1, date(2023, 6, 30)),
                _promise(k1, date(2025, 4, 1), state="kept"),
            ]
        )

    result = assert_batch_matches_single(ledger, credit_settings, AS_OF)

    row = result.scores.filter(pl.col("customer_code") == "K1").row(0, named=True)
    assert row["broken_promises"] == 1
    with ledger.connect() as connection:
        single = evaluate_customer(connection, "K1", AS_OF, EUR, credit_settings)
    assert single.behaviour.broken_promises == 1
    warning = result.warnings.filter(pl.col("finding") == "broken_promise")
    assert warning["customer_code"].to_list() == ["K1"]
    assert warning["detail"].to_list() == ["promises to pay broken since 2023-07-01: 1"]
