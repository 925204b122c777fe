"""Late-charge runs on the stored ledger write interest debit notes, and never charge a day twice.

INV-100 of 2024-03-01, 10,000.00 EUR due 2024-03-31
3,000.00 paid on 2024-04-30, 2,000.00 on 2024-05-31
EU directive: ECB rate 4.50 on 2024-01-01 + 8 = 12.50 %, ACT/365, EUR 40 once
  April: 10,000.00 x 12.5 % x 30 / 365 = 102.74   May: 7,000.00 x 31 days = 74.32
  June: 5,000.00 x 30 days = 51.37
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from receivables.domain.interest import InterestPeriod
from receivables.rates import load_rate_book
from receivables.services.contracts import import_contracts
from receivables.services.late_charge_runs import LateChargeError, run_late_charges
from receivables.storage.dunning_models import DunningNoticeRow, DunningOutboxRow

CUSTOMERS = """
    customer_code,name
    C1,Acme GmbH
"""
DOCUMENTS = """
    kind,number,customer_code,document_date,due_date,currency,amount
    invoice,INV-100,C1,2024-03-01,2024-03-31,EUR,10000.00
    payment,PAY-1,C1,2024-04-30,,EUR,3000.00
    payment,PAY-2,C1,2024-05-31,,EUR,2000.00
"""
ALLOCATIONS = """
    source_kind,source_number,target_kind,target_number,allocation_date,amount,currency
    payment,PAY-1,invoice,INV-100,2024-04-30,3000.00,EUR
    payment,PAY-2,invoice,INV-100,2024-05-31,2000.00,EUR
"""
APRIL = InterestPeriod(date(2024, 4, 1), date(2024, 4, 30))
SECOND_QUARTER = InterestPeriod(date(2024, 4, 1), date(2024, 6, 30))


def _charges(engine) -> list[tuple[str, int]]:
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT charge_key, amount_minor FROM late_charges ORDER BY charge_key")
        ).all()
    return [tuple(row) for row in rows]


def _notes(engine) -> list[tuple[str, int]]:
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT number, amount_minor FROM documents WHERE kind = 'debit_note' ORDER BY number")
        ).all()
    return [tuple(row) for row in rows]


def test_april_run_charges_interest_and_compensation(engine, import_ledger):
    import_ledger(CUSTOMERS, DOCUMENTS, ALLOCATIONS)

    run = run_late_charges(engine, as_of=date(2024, 5, 2), period=APRIL, regime="eu")

    assert [note.number for note in run.notes] == ["LC-20240430-C1-EUR-1"]
    assert _charges(engine) == [
        ("compensation:invoice/INV-100", 4_000),
        ("interest:invoice/INV-100/1:2024-04-01:2024-04-30", 10_274),
    ]
    assert _notes(engine) == [("LC-20240430-C1-EUR-1", 14_274)]


def test_rerun_of_same_period_writes_nothing(engine, import_ledger):
    import_ledger(CUSTOMERS, DOCUMENTS, ALLOCATIONS)
    run_late_charges(engine, as_of=date(2024, 5, 2), period=APRIL, regime="eu")

    again = run_late_charges(engine, as_of=date(2024, 5, 2), period=APRIL, regime="eu")

    assert again.notes == []
    assert len(_charges(engine)) == 2
    assert len(_notes(engine)) == 1


def test_quarter_after_april_charges_rest(engine, import_ledger):
    import_ledger(CUSTOMERS, DOCUMENTS, ALLOCATIONS)
    run_late_charges(engine, as_of=date(2024, 5, 2), period=APRIL, regime="eu")

    run_late_charges(engine, as_of=date(2024, 7, 1), period=SECOND_QUARTER, regime="eu")

    assert _charges(engine)[-1] == ("interest:invoice/INV-100/1:2024-05-01:2024-06-30", 12_569)
    assert _notes(engine)[-1] == ("LC-20240630-C1-EUR-1", 12_569)


def test_dry_run_writes_nothing(engine, import_ledger):
    import_ledger(CUSTOMERS, DOCUMENTS, ALLOCATIONS)

    run = run_late_charges(engine, as_of=date(2024, 5, 2), period=APRIL, regime="eu", dry_run=True)

    assert run.notes[0].note.total.minor_units() == 14_274
    assert _charges(engine) == []
    assert _notes(engine) == []


def test_stored_key_blocks_second_insert(engine, import_ledger):
    import_ledger(CUSTOMERS, DOCUMENTS, ALLOCATIONS)
    run_late_charges(engine, as_of=date(2024, 5, 2), period=APRIL, regime="eu")

    with pytest.raises(IntegrityError), engine.begin() as c:
        c.execute(
            text(
                "INSERT INTO late_charges (charge_key, kind, customer_id, debit_note_id, "
                "amount_minor, currency, regime, created_at) SELECT charge_key, kind, "
                "customer_id, debit_note_id, amount_minor, currency, regime, created_at "
                "FROM late_charges WHERE kind = 'compensation'"
            )
        )


def test_charge_notes_bear_no_interest(engine, import_ledger):
    import_ledger(CUSTOMERS, DOCUMENTS, ALLOCATIONS)
    run_late_charges(engine, as_of=date(2024, 5, 2), period=APRIL, regime="eu")

    run = run_late_charges(
        engine, as_of=date(2024, 7, 31), period=InterestPeriod(date(2024, 7, 1), date(2024, 7, 31)),
        regime="eu",
    )  # fmt: skip

    assert [line.key.reference for line in run.notes[0].note.lines] == ["invoice/INV-100/1"]


def test_period_after_as_of_rejected(engine, import_ledger):
    import_ledger(CUSTOMERS, DOCUMENTS, ALLOCATIONS)

    with pytest.raises(LateChargeError, match="only for days that have passed"):
        run_late_charges(engine, as_of=date(2024, 4, 15), period=APRIL, regime="eu")


def test_contract_regime_uses_contract_rate(engine, import_ledger, tmp_path):
    import_ledger(CUSTOMERS, DOCUMENTS, ALLOCATIONS)
    contracts = tmp_path / "contracts.csv"
    contracts.write_text(
        "customer_code,reference,valid_from,payment_term,interest,interest_rate,day_count\n"
        "C1,K-1,2024-01-01,net30,contract,9,ACT/360\n",
        encoding="utf-8",
    )
    import_contracts(engine, contracts, load_rate_book())

    run_late_charges(engine, as_of=date(2024, 5, 2), period=APRIL, regime="contract")

    assert _charges(engine) == [("interest:invoice/INV-100/1:2024-04-01:2024-04-30", 7_500)]


def test_contract_regime_skips_customers_without_contract(engine, import_ledger):
    import_ledger(CUSTOMERS, DOCUMENTS, ALLOCATIONS)

    run = run_late_charges(engine, as_of=date(2024, 5, 2), period=APRIL, regime="contract")

    assert run.notes == []
    assert _charges(engine) == []


def test_instalments_share_one_compensation(engine, import_ledger):
    import_ledger(
        'customer_code,name,payment_term\nC2,Brick GmbH,"40% net30, net60"\n',
        "kind,number,customer_code,document_date,due_date,currency,amount\n"
        "invoice,INV-2,C2,2024-03-01,,EUR,1000.00\n",
    )

    run_late_charges(engine, as_of=date(2024, 6, 30), period=SECOND_QUARTER, regime="eu")

    assert [key for key, _ in _charges(engine)] == [
        "compensation:invoice/INV-2",
        "interest:invoice/INV-2/1:2024-04-01:2024-06-30",
        "interest:invoice/INV-2/2:2024-04-01:2024-06-30",
    ]


def _notice(customer_id, level, day, state, items_key):
    """A dunning notice of ``level`` dated ``day`` with its outbox row in ``state``."""
    notice = DunningNoticeRow(
        customer_id=customer_id,
        level=level,
        level_name=f"level_{level}",
        policy="standard",
        items_key=items_key,
        notice_date=day,
        channel="email",
        template="notice",
        language="en",
        status="approved",
        currency="EUR",
        total_minor=1_000_000,
        fee_minor=0,
        created_at=datetime(2024, 4, 1, tzinfo=UTC),
    )
    return notice


def test_contract_fees_charged_once_per_sent_notice(engine, import_ledger, tmp_path):
    """Fees 2=5.00 and 3=10.00: the level 2 notice sent in April costs 5.00; the unsent level 3
    notice and the level 2 notice of May cost nothing in April."""
    import_ledger(CUSTOMERS, DOCUMENTS, ALLOCATIONS)
    contracts = tmp_path / "contracts.csv"
    contracts.write_text(
        "customer_code,reference,valid_from,payment_term,interest,interest_rate,day_count,"
        "dunning_fees,charge_currency\n"
        "C1,K-1,2024-01-01,net30,contract,9,ACT/360,2=5.00;3=10.00,EUR\n",
        encoding="utf-8",
    )
    assert import_contracts(engine, contracts, load_rate_book()).problems == []
    with Session(engine) as session, session.begin():
        customer = session.execute(text("SELECT id FROM customers WHERE code = 'C1'")).scalar_one()
        sent = [(2, date(2024, 4, 15), "sent", "a"), (3, date(2024, 4, 25), "pending", "b")]
        sent.append((2, date(2024, 5, 15), "sent", "c"))
        for level, day, state, key in sent:
            notice = _notice(customer, level, day, state, key)
            session.add(notice)
            session.flush()
            session.add(DunningOutboxRow(notice_id=notice.id, state=state, attempts=1))
        first_id = session.execute(text("SELECT MIN(id) FROM dunning_notices")).scalar_one()

    run_late_charges(engine, as_of=date(2024, 5, 2), period=APRIL, regime="contract")
    again = run_late_charges(engine, as_of=date(2024, 5, 2), period=APRIL, regime="contract")

    assert _charges(engine) == [
        (f"dunning_fee:N{first_id}", 500),
        ("interest:invoice/INV-100/1:2024-04-01:2024-04-30", 7_500),
    ]
    assert again.notes == []
