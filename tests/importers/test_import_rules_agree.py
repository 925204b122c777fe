"""The batch allocation check and Ledger.allocate accept and reject the same allocations.

Each scenario is a small ledger, some allocations already stored, and new allocations in file
order. The domain applies them one by one (stored first), and the batch check takes them all at once.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from receivables.domain.documents import Allocation, Document, DocumentKey, DocumentKind
from receivables.domain.errors import InvalidAllocationError
from receivables.domain.ledger import Ledger
from receivables.domain.money import Money
from receivables.importers.allocation_rules import allocation_problems
from receivables.importers.records import ALLOCATION_SCHEMA, DOCUMENT_SCHEMA
from receivables.importers.state import STORED_ALLOCATION_SCHEMA, STORED_DOCUMENT_SCHEMA

# kind, number, customer, currency, date, amount; "INV-5:2" is instalment 2 of invoice INV-5
DOCUMENTS = [
    ("invoice", "INV-1", "C1", "EUR", date(2024, 1, 5), "100.00"),
    ("invoice", "INV-2", "C1", "EUR", date(2024, 1, 6), "80.00"),
    ("invoice", "INV-3", "C2", "EUR", date(2024, 1, 6), "50.00"),
    ("invoice", "INV-4", "C1", "USD", date(2024, 1, 6), "70.00"),
    ("debit_note", "DN-1", "C1", "EUR", date(2024, 1, 8), "15.00"),
    ("payment", "PAY-1", "C1", "EUR", date(2024, 1, 20), "150.00"),
    ("payment", "PAY-2", "C1", "EUR", date(2024, 1, 21), "30.00"),
    ("credit_note", "CN-1", "C1", "EUR", date(2024, 1, 25), "40.00"),
    ("payment", "PAY-9", "C2", "EUR", date(2024, 1, 20), "100.00"),
    ("write_off", "WO-1", "C1", "EUR", date(2024, 3, 1), "5.00"),
    ("invoice", "INV-5:1", "C1", "EUR", date(2024, 1, 10), "60.00"),
    ("invoice", "INV-5:2", "C1", "EUR", date(2024, 1, 10), "40.00"),
]

JAN_31 = date(2024, 1, 31)

# (source, target, date, amount, currency); sources and targets as "kind number"
SCENARIOS = {
    "fits": ([], [("payment PAY-1", "invoice INV-1", JAN_31, "100.00", "EUR")]),
    "middle one over target": (
        [],
        [
            ("payment PAY-1", "invoice INV-1", JAN_31, "60.00", "EUR"),
            ("payment PAY-2", "invoice INV-1", JAN_31, "50.00", "EUR"),
            ("credit_note CN-1", "invoice INV-1", JAN_31, "40.00", "EUR"),
        ],
    ),
    "source spent": (
        [],
        [
            ("payment PAY-1", "invoice INV-1", JAN_31, "100.00", "EUR"),
            ("payment PAY-1", "invoice INV-2", JAN_31, "60.00", "EUR"),
            ("payment PAY-1", "invoice INV-2", date(2024, 2, 1), "50.00", "EUR"),
        ],
    ),
    "stored allocations count": (
        [("payment PAY-1", "invoice INV-1", JAN_31, "90.00", "EUR")],
        [
            ("credit_note CN-1", "invoice INV-1", JAN_31, "20.00", "EUR"),
            ("payment PAY-2", "invoice INV-1", JAN_31, "10.00", "EUR"),
            ("payment PAY-1", "invoice INV-2", JAN_31, "61.00", "EUR"),
        ],
    ),
    "customers differ": ([], [("payment PAY-9", "invoice INV-1", JAN_31, "10.00", "EUR")]),
    "currencies differ": ([], [("payment PAY-1", "invoice INV-4", JAN_31, "10.00", "EUR")]),
    "allocation currency differs": ([], [("payment PAY-1", "invoice INV-1", JAN_31, "10.00", "USD")]),
    "dated before source": ([], [("payment PAY-1", "invoice INV-1", date(2024, 1, 19), "10.00", "EUR")]),
    "dated on source": ([], [("payment PAY-1", "invoice INV-1", date(2024, 1, 20), "10.00", "EUR")]),
    "dated before write-off": ([], [("write_off WO-1", "invoice INV-1", JAN_31, "5.00", "EUR")]),
    "debit as source": ([], [("invoice INV-2", "invoice INV-1", JAN_31, "10.00", "EUR")]),
    "credit as target": ([], [("payment PAY-1", "payment PAY-2", JAN_31, "10.00", "EUR")]),
    "debit note target": ([], [("payment PAY-2", "debit_note DN-1", JAN_31, "15.00", "EUR")]),
    "missing target": ([], [("payment PAY-1", "invoice INV-99", JAN_31, "10.00", "EUR")]),
    "missing source": ([], [("payment PAY-99", "invoice INV-1", JAN_31, "10.00", "EUR")]),
    "both limits interact": (
        [],
        [
            ("payment PAY-1", "invoice INV-1", JAN_31, "90.00", "EUR"),
            ("payment PAY-1", "invoice INV-2", JAN_31, "70.00", "EUR"),
            ("payment PAY-2", "invoice INV-2", JAN_31, "30.00", "EUR"),
            ("credit_note CN-1", "invoice INV-1", JAN_31, "20.00", "EUR"),
            ("credit_note CN-1", "invoice INV-2", JAN_31, "40.00", "EUR"),
            ("payment PAY-1", "invoice INV-2", date(2024, 2, 2), "50.00", "EUR"),
        ],
    ),
    "instalments apart": (
        [("payment PAY-2", "invoice INV-5:2", JAN_31, "30.00", "EUR")],
        [
            ("payment PAY-1", "invoice INV-5:1", JAN_31, "60.00", "EUR"),
            ("payment PAY-1", "invoice INV-5:2", JAN_31, "10.01", "EUR"),
            ("credit_note CN-1", "invoice INV-5:2", JAN_31, "10.00", "EUR"),
            ("credit_note CN-1", "invoice INV-5", JAN_31, "1.00", "EUR"),
        ],
    ),
    "exact fill then one cent": (
        [],
        [
            ("payment PAY-2", "invoice INV-2", JAN_31, "30.00", "EUR"),
            ("credit_note CN-1", "invoice INV-2", JAN_31, "40.00", "EUR"),
            ("payment PAY-1", "invoice INV-2", JAN_31, "10.00", "EUR"),
            ("payment PAY-1", "invoice INV-2", date(2024, 2, 1), "0.01", "EUR"),
        ],
    ),
}


def _split(name: str) -> tuple[str, str, int]:
    """``"invoice INV-5:2"`` is kind, number and instalment; without ``:N`` the instalment is 1."""
    kind, numbered = name.split()
    number, _, instalment = numbered.partition(":")
    return kind, number, int(instalment or 1)


def _key(name: str) -> DocumentKey:
    kind, number, instalment = _split(name)
    return DocumentKey(DocumentKind(kind), number, instalment)


def domain_rejections(stored: list[tuple], new: list[tuple]) -> list[int]:
    """Indexes of ``new`` allocations that Ledger.allocate rejects, applied in order."""
    documents = [
        Document(
            _key(f"{kind} {number}"),
            customer,
            when,
            when,
            Money.of(amount, currency),
            Money.zero(currency),
        )
        for kind, number, customer, currency, when, amount in DOCUMENTS
    ]
    ledger = Ledger(documents)
    for source, target, when, amount, currency in stored:
        ledger.allocate(Allocation(_key(source), _key(target), when, Money.of(amount, currency)))
    rejected = []
    for index, (source, target, when, amount, currency) in enumerate(new):
        try:
            ledger.allocate(Allocation(_key(source), _key(target), when, Money.of(amount, currency)))
        except InvalidAllocationError:
            rejected.append(index)
    return rejected


def _minor(amount: str, currency: str) -> int:
    return Money.of(amount, currency).minor_units()


def _allocation_frame(rows: list[tuple]) -> pl.DataFrame:
    records = []
    for index, (source, target, when, amount, currency) in enumerate(rows):
        source_kind, source_number, source_instalment = _split(source)
        target_kind, target_number, target_instalment = _split(target)
        records.append(
            {
                "_file": 0,
                "_row": index + 2,
                "_order": 0,
                "source_kind": source_kind,
                "source_number": source_number,
                "source_instalment": source_instalment,
                "target_kind": target_kind,
                "target_number": target_number,
                "target_instalment": target_instalment,
                "allocation_date": when,
                "amount_minor": _minor(amount, currency),
                "currency": currency,
                "_raw_allocation_date": when.isoformat(),
                "_raw_allocation_amount": amount,
            }
        )
    return pl.DataFrame(records, schema=ALLOCATION_SCHEMA)


def _stored_frames(stored: list[tuple]) -> tuple[pl.DataFrame, pl.DataFrame]:
    documents = pl.DataFrame(
        [
            (index, *_split(f"{kind} {number}"), customer, currency, when, _minor(amount, currency))
            for index, (kind, number, customer, currency, when, amount) in enumerate(DOCUMENTS)
        ],
        schema=STORED_DOCUMENT_SCHEMA,
        orient="row",
    )
    allocations = pl.DataFrame(
        [
            (index, *_split(source), *_split(target), when, _minor(amount, currency))
            for index, (source, target, when, amount, currency) in enumerate(stored)
        ],
        schema=STORED_ALLOCATION_SCHEMA,
        orient="row",
    )
    return documents, allocations


def _imported_documents(stored_documents: pl.DataFrame) -> pl.DataFrame:
    return stored_documents.select(
        pl.lit(1, pl.Int32).alias("_file"),
        (pl.col("document_id") + 2).cast(pl.Int64).alias("_row"),
        pl.lit(0, pl.Int32).alias("_order"),
        "customer_code", "kind", "number", "document_date", pl.col("document_date").alias("due_date"),
        "currency", "amount_minor", pl.lit(0, pl.Int64).alias("tax_minor"), pl.lit("1").alias("fx_rate"),
        pl.lit(False).alias("disputed"), pl.lit(None, pl.String).alias("reference"), "instalment",
        pl.lit(None, pl.String).alias("payment_term"), pl.lit(None, pl.String).alias("discount_offers"),
        pl.lit(False).alias("_one_instalment"),
    ).cast(DOCUMENT_SCHEMA)  # fmt: skip


def batch_rejections(stored: list[tuple], new: list[tuple], documents_in_file: bool) -> list[int]:
    stored_documents, stored_allocations = _stored_frames(stored)
    file_documents = (
        _imported_documents(stored_documents) if documents_in_file else pl.DataFrame(schema=DOCUMENT_SCHEMA)
    )
    problems = allocation_problems(
        _allocation_frame(new), file_documents, stored_documents, stored_allocations,
        pl.DataFrame(schema=DOCUMENT_SCHEMA), ["allocations.csv", "documents.csv"],
    )  # fmt: skip
    rows = problems.filter(pl.col("_file") == 0).get_column("row").unique().sort().to_list()
    return [row - 2 for row in rows]


@pytest.mark.parametrize("documents_in_file", [False, True], ids=["stored documents", "imported documents"])
@pytest.mark.parametrize("name", list(SCENARIOS))
def test_batch_agrees_with_ledger(name, documents_in_file):
    stored, new = SCENARIOS[name]

    assert batch_rejections(stored, new, documents_in_file) == domain_rejections(stored, new)


def test_scenarios_reject_something():
    rejecting = [name for name, (stored, new) in SCENARIOS.items() if domain_rejections(stored, new)]

    assert len(rejecting) >= 10


EUR_DOCUMENTS = [f"{kind} {number}" for kind, number, _, currency, _, _ in DOCUMENTS if currency == "EUR"]
random_allocation = st.tuples(
    st.sampled_from(EUR_DOCUMENTS),
    st.sampled_from(EUR_DOCUMENTS),
    st.sampled_from([date(2024, 1, 19), JAN_31, date(2024, 2, 29), date(2024, 3, 2)]),
    st.integers(min_value=1, max_value=9_000).map(lambda cents: f"{cents // 100}.{cents % 100:02d}"),
    st.just("EUR"),
)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(random_allocation, max_size=3),
    st.lists(random_allocation, min_size=1, max_size=12, unique_by=lambda item: (item[0], item[1], item[2])),
)
def test_random_sequences_agree(stored, new):
    try:
        domain_rejections(stored, [])
    except InvalidAllocationError:
        stored = []  # stored allocations are valid by construction; drop an invalid draw
    keys = {(source, target, when) for source, target, when, _, _ in stored}
    new = [item for item in new if (item[0], item[1], item[2]) not in keys]

    assert batch_rejections(stored, new, False) == domain_rejections(stored, new)
