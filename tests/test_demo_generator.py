"""The synthetic company: seeded, valid under the ledger rules, and rich in accounting cases."""

from datetime import date
from decimal import Decimal

import polars as pl
import pytest

from receivables.demo.generator import DemoLedger, generate_benchmark, generate_company
from receivables.domain.documents import Allocation, Document, DocumentKey, DocumentKind
from receivables.domain.ledger import ItemStatus, Ledger
from receivables.domain.money import Money
from receivables.storage.bulk import ALLOCATION_SCHEMA, CUSTOMER_SCHEMA, DOCUMENT_SCHEMA


@pytest.fixture(scope="module")
def company() -> DemoLedger:
    return generate_company(seed=11, customers=60)


def to_domain_ledger(ledger: DemoLedger) -> Ledger:
    """Build the domain ledger from the frames; it raises on any broken allocation rule."""
    documents = [
        Document(
            DocumentKey(DocumentKind(row["kind"]), row["number"], row["instalment"]),
            row["customer_code"],
            row["document_date"],
            row["due_date"],
            Money.from_minor(row["amount_minor"], row["currency"]),
            Money.from_minor(row["tax_minor"], row["currency"]),
            Decimal(row["fx_rate"]),
            row["disputed"],
        )
        for row in ledger.documents.iter_rows(named=True)
    ]
    currency = dict(zip(ledger.documents["number"], ledger.documents["currency"], strict=True))
    allocations = [
        Allocation(
            DocumentKey(DocumentKind(row["source_kind"]), row["source_number"]),
            DocumentKey(DocumentKind(row["target_kind"]), row["target_number"], row["target_instalment"]),
            row["allocation_date"],
            Money.from_minor(row["amount_minor"], currency[row["source_number"]]),
        )
        for row in ledger.allocations.iter_rows(named=True)
    ]
    return Ledger(documents, allocations)


def allocated_by(ledger: DemoLedger, side: str) -> pl.DataFrame:
    """Sum the allocations per source (``side="source"``) or target document."""
    return ledger.allocations.group_by(f"{side}_kind", f"{side}_number").agg(
        pl.col("amount_minor").sum().alias("allocated"), pl.len().alias("allocations")
    )


def with_allocated(ledger: DemoLedger, kind: str, side: str) -> pl.DataFrame:
    documents = ledger.documents.filter(pl.col("kind") == kind)
    totals = allocated_by(ledger, side).rename({f"{side}_kind": "kind", f"{side}_number": "number"})
    return documents.join(totals, on=["kind", "number"], how="left").with_columns(
        pl.col("allocated").fill_null(0), pl.col("allocations").fill_null(0)
    )


def test_same_seed_same_ledger():
    first = generate_company(seed=5, customers=25)
    second = generate_company(seed=5, customers=25)

    assert first.customers.equals(second.customers)
    assert first.documents.equals(second.documents)
    assert first.allocations.equals(second.allocations)
    assert first.exchange_rates.equals(second.exchange_rates)


def test_other_seed_other_ledger():
    first = generate_company(seed=5, customers=25)
    second = generate_company(seed=6, customers=25)

    assert not first.documents.equals(second.documents)


def test_frames_use_bulk_schemas(company):
    assert company.customers.schema == pl.Schema(CUSTOMER_SCHEMA | {"payment_term": pl.String()})
    assert company.documents.schema == pl.Schema(DOCUMENT_SCHEMA | {"instalment": pl.Int64()})
    assert company.allocations.schema == pl.Schema(
        ALLOCATION_SCHEMA | {"target_instalment": pl.Int64()}
    )


def test_ledger_rules_hold(company):
    ledger = to_domain_ledger(company)

    assert len(ledger.allocations()) == company.allocations.height
    assert len(ledger.documents) == company.documents.height


def test_documents_lie_in_period(company):
    dates = company.documents["document_date"]

    assert dates.min() >= date(2023, 1, 1)
    assert dates.max() <= company.as_of
    assert company.allocations["allocation_date"].max() <= company.as_of


def test_invoice_count_is_exact(company):
    invoices = company.documents.filter(pl.col("kind") == "invoice")

    assert invoices["number"].n_unique() == 60 * 60


def test_partial_payments_present(company):
    invoices = with_allocated(company, "invoice", "target")
    paid_in_parts = (
        company.allocations.filter(pl.col("source_kind") == "payment").group_by("target_number").len()
    )
    partly_open = invoices.filter((pl.col("allocated") > 0) & (pl.col("allocated") < pl.col("amount_minor")))

    assert paid_in_parts.filter(pl.col("len") >= 2).height > 0
    assert partly_open.height > 0


def test_credit_notes_applied_and_unapplied(company):
    notes = with_allocated(company, "credit_note", "source")

    assert notes.filter(pl.col("allocated") == pl.col("amount_minor")).height > 0
    assert notes.filter(pl.col("allocated") == 0).height > 0


def test_overpayments_leave_unapplied_credit(company):
    payments = with_allocated(company, "payment", "source")

    assert payments.filter(pl.col("allocated") < pl.col("amount_minor")).height > 0


def test_one_payment_settles_several_items(company):
    payments = with_allocated(company, "payment", "source")

    assert payments.filter(pl.col("allocations") >= 2).height > 0


def test_disputed_invoices_present(company):
    disputed = company.documents.filter(pl.col("disputed"))

    assert disputed.height > 0
    assert disputed["kind"].unique().to_list() == ["invoice"]


def test_write_offs_and_debit_notes_present(company):
    kinds = set(company.documents["kind"].unique().to_list())

    assert {"invoice", "credit_note", "payment", "debit_note", "write_off"} <= kinds


def test_second_currency_has_daily_rates(company):
    foreign = company.documents.filter(pl.col("currency") != "EUR")
    domestic = company.documents.filter(pl.col("currency") == "EUR")

    assert foreign.height > 0
    assert foreign["fx_rate"].n_unique() > 100
    assert domestic["fx_rate"].unique().to_list() == ["1"]


def test_document_rate_is_latest_rate(company):
    rates = company.exchange_rates.with_columns(pl.col("rate_date").alias("document_date")).sort(
        "document_date"
    )
    foreign = company.documents.filter(pl.col("currency") != "EUR").sort("document_date")
    matched = foreign.join_asof(
        rates, on="document_date", by="currency", strategy="backward", check_sortedness=False
    )

    assert (matched["fx_rate"] == matched["rate"]).all()


def test_customers_pay_differently(company):
    ledger = to_domain_ledger(company)
    invoices = company.documents.filter(pl.col("kind") == "invoice")
    statuses = {
        ledger.status(DocumentKey(DocumentKind.INVOICE, number, instalment), company.as_of)
        for number, instalment in invoices.select("number", "instalment").iter_rows()
    }

    assert statuses == {ItemStatus.OPEN, ItemStatus.PARTIALLY_SETTLED, ItemStatus.SETTLED}


def test_benchmark_chunks_have_unique_keys():
    chunks = list(generate_benchmark(2_500, seed=3, chunk_items=1_000))
    documents = pl.concat([chunk.documents for chunk in chunks])
    customers = pl.concat([chunk.customers for chunk in chunks])

    assert len(chunks) == 3
    assert documents.filter(pl.col("kind") == "invoice")["number"].n_unique() == 2_500
    assert documents.select("kind", "number", "instalment").is_unique().all()
    assert customers["code"].is_unique().all()
    assert [chunk.exchange_rates.is_empty() for chunk in chunks] == [False, True, True]


def test_benchmark_chunk_obeys_rules():
    chunk = next(generate_benchmark(1_500, seed=4, chunk_items=1_500))

    assert len(to_domain_ledger(chunk).allocations()) == chunk.allocations.height


def test_invalid_sizes_rejected():
    with pytest.raises(ValueError, match="customers 0"):
        generate_company(customers=0)
    with pytest.raises(ValueError, match="invoices 3"):
        generate_company(customers=5, invoices=3)
