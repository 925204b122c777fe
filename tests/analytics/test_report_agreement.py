"""The vectorized analytics agree with the single-item rules of the domain ``Ledger``.

Random ledgers follow the allocation rules: same customer and currency, dated on or after both
documents, never more than is open or unapplied. For random as-of dates each document's open
amount, its conversion and its bucket must equal what ``Ledger`` and ``Money.convert`` give. Every
trend point must equal the report of its own date.
"""

from datetime import date, timedelta
from decimal import Decimal

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from report_book import ReportBook

from receivables.analytics import compute_report
from receivables.analytics.snapshot import Period, positions
from receivables.domain.aging import AgingBasis, AgingBuckets
from receivables.domain.documents import Document
from receivables.domain.ledger import Ledger
from receivables.domain.money import Currency, Money

EUR = Currency.of("EUR")
START = date(2024, 1, 1)
RATES = {"EUR": ["1"], "USD": ["0.5", "0.9123456789", "1.2345678901"], "JPY": ["0.005", "0.0061234567"]}
DEBIT_KINDS = ["invoice", "debit_note"]
CREDIT_KINDS = ["credit_note", "payment", "write_off"]


def _amount(minor: int, currency: str) -> str:
    return str(Money.from_minor(minor, currency).amount)


@st.composite
def random_books(draw: st.DrawFn) -> ReportBook:
    book = ReportBook()
    for number in range(draw(st.integers(1, 8))):
        currency = draw(st.sampled_from(sorted(RATES)))
        on = START + timedelta(days=draw(st.integers(0, 150)))
        due = on + timedelta(days=draw(st.sampled_from([0, 10, 30, 60])))
        options = {"due": due.isoformat(), "amount": _amount(draw(st.integers(1, 500_000)), currency)}
        options.update(currency=currency, rate=draw(st.sampled_from(RATES[currency])))
        if draw(st.sampled_from(DEBIT_KINDS)) == "invoice":
            book.invoice(f"D{number}", draw(st.sampled_from(["C1", "C2"])), on.isoformat(),
                         disputed=draw(st.booleans()), **options)  # fmt: skip
        else:
            book.debit_note(f"D{number}", draw(st.sampled_from(["C1", "C2"])), on.isoformat(), **options)
    for number in range(draw(st.integers(0, 6))):
        currency = draw(st.sampled_from(sorted(RATES)))
        on = START + timedelta(days=draw(st.integers(0, 180)))
        amount = _amount(draw(st.integers(1, 500_000)), currency)
        kind = draw(st.sampled_from(CREDIT_KINDS))
        customer = draw(st.sampled_from(["C1", "C2"]))
        if kind == "write_off":
            book.write_off(f"K{number}", customer, on.isoformat(), amount=amount, currency=currency)
        else:
            rate = draw(st.sampled_from(RATES[currency]))
            add = book.payment if kind == "payment" else book.credit_note
            add(f"K{number}", customer, on.isoformat(), amount=amount, currency=currency, rate=rate)
    _draw_allocations(draw, book)
    return book


def _draw_allocations(draw: st.DrawFn, book: ReportBook) -> None:
    ledger = Ledger(book.documents)
    for _ in range(draw(st.integers(0, 10))):
        source = draw(st.sampled_from(book.documents))
        targets = [
            document for document in book.documents
            if document.is_debit and not source.is_debit and document.customer_code == source.customer_code
            and document.amount.currency == source.amount.currency
        ]  # fmt: skip
        if not targets:
            continue
        target = draw(st.sampled_from(targets))
        room = min(_left(ledger, target), _left(ledger, source))
        if room <= 0:
            continue
        on = max(source.document_date, target.document_date) + timedelta(days=draw(st.integers(0, 60)))
        amount = _amount(draw(st.integers(1, room)), target.amount.currency.code)
        book.allocate(source.number, target.number, on.isoformat(), amount)
        ledger = Ledger(book.documents, book.allocations)


def _left(ledger: Ledger, document: Document) -> int:
    """What is still open or unapplied on ``document``, counting every allocation whatever its date."""
    return ledger.open_amount(document.key, date(2100, 1, 1)).minor_units()


def _rate(document: Document) -> Decimal:
    return document.fx_rate


def _expected_open(ledger: Ledger, document: Document, as_of: date) -> tuple[int, int]:
    remaining = ledger.open_amount(document.key, as_of)
    return remaining.minor_units(), remaining.convert(_rate(document), EUR).minor_units()


AS_OF = st.integers(-10, 240).map(lambda offset: START + timedelta(days=offset))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(book=random_books(), as_of=AS_OF, basis=st.sampled_from(list(AgingBasis)))
def test_items_agree_with_domain_ledger(book, as_of, basis):
    ledger = book.ledger()
    buckets = AgingBuckets(basis=basis)
    prepared = book.frames().prepared
    frame = positions(prepared.view(EUR), prepared, Period(as_of, 90), buckets).collect()
    rows = {row["document_id"]: row for row in frame.iter_rows(named=True)}

    for document_id, document in enumerate(book.documents, start=1):
        if document_id not in rows:
            # Left out: dated after as_of, or dated and fully allocated before the period.
            assert document.document_date > as_of or _expected_open(ledger, document, as_of) == (0, 0)
            continue
        row = rows[document_id]
        assert (row["open_minor"], row["open"]) == _expected_open(ledger, document, as_of), document.number
        if document.is_debit and row["open_minor"] > 0:
            days = buckets.days(as_of, document.document_date, document.due_date)
            assert buckets.labels[row["bucket"]] == buckets.label(days), document.number


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(book=random_books(), as_of=AS_OF)
def test_totals_agree_with_domain_ledger(book, as_of):
    ledger = book.ledger()
    figures = compute_report(book.frames(), as_of=as_of, company_currency=EUR, trend=False).figures
    open_items = ledger.open_items(as_of)
    credits = [
        document for document in book.documents if not document.is_debit and document.document_date <= as_of
    ]

    total = sum(remaining.convert(_rate(document), EUR).minor_units() for document, remaining in open_items)
    unapplied = sum(_expected_open(ledger, document, as_of)[1] for document in credits)
    assert figures.total_open == Money.from_minor(total, EUR).amount
    assert figures.unapplied_credit == Money.from_minor(unapplied, EUR).amount
    assert figures.open_items == len(open_items)
    assert sum(figures.aging.values()) == figures.total_open


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(book=random_books(), as_of=AS_OF, period_days=st.sampled_from([30, 90]))
def test_trend_points_equal_their_reports(book, as_of, period_days):
    book.ledger()
    frames = book.frames()
    report = compute_report(frames, as_of=as_of, period_days=period_days, company_currency=EUR)

    for point in report.trend:
        alone = compute_report(
            frames, as_of=point.as_of, period_days=period_days, company_currency=EUR, trend=False
        )
        assert point == alone.figures, point.as_of.isoformat()
    if report.trend:
        assert report.trend[-1] == report.figures


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(book=random_books(), as_of=AS_OF)
def test_customer_totals_add_up_to_company(book, as_of):
    frames = book.frames()
    whole = compute_report(frames, as_of=as_of, company_currency=EUR, trend=False).figures
    codes = frames.documents.filter(pl.col("document_date") <= as_of)["customer_code"].unique().to_list()
    parts = [
        compute_report(frames, as_of=as_of, company_currency=EUR, trend=False, customer_code=code).figures
        for code in codes
    ]

    assert sum((part.total_open for part in parts), Decimal(0)) == whole.total_open
    assert sum((part.credit_sales for part in parts), Decimal(0)) == whole.credit_sales
    assert sum((part.unapplied_credit for part in parts), Decimal(0)) == whole.unapplied_credit
