"""The collector's work: tasks and outcomes, disputes, review, worklist, contacts, audit log."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy.exc
from dunning_book import notice_rows
from sqlalchemy import text

from conftest import EUR
from receivables.credit.users import add_user
from receivables.dunning.contacts import import_contacts
from receivables.dunning.disputes import open_dispute, resolve_dispute
from receivables.dunning.errors import DeniedError, MissingUserError
from receivables.dunning.review import approve, edit, list_notices, skip
from receivables.dunning.run import run_dunning
from receivables.dunning.tasks import OutcomeDetails, TaskContext, complete_task, list_tasks
from receivables.dunning.worklist import build_worklist


def run(book, settings, day):
    return run_dunning(book.engine, settings, EUR, day, send=False)


@pytest.fixture
def caller(book, settings):
    """C1 owes 2,000.00 due 2024-01-01; on 2024-02-20 (50 days) the policy wants a call."""
    book.customer("C1")
    book.invoice("INV-1", "C1", date(2023, 12, 1), date(2024, 1, 1), "2000.00")
    book.save()
    run(book, settings, date(2024, 2, 20))
    return book


def test_call_task_created_with_due_date(caller):
    tasks = list_tasks(caller.engine)

    assert [(task["kind"], task["due_date"]) for task in tasks] == [("phone_call", "2024-02-22")]


def test_no_answer_creates_follow_up(caller):
    task = list_tasks(caller.engine)[0]["id"]

    context = TaskContext(date(2024, 2, 22), EUR, 2, 3)

    result = complete_task(caller.engine, task, "no_answer", context, OutcomeDetails())

    assert result.next_action == "call_again"
    assert [row["due_date"] for row in list_tasks(caller.engine)] == ["2024-02-24"]


def test_promise_outcome_pauses_dunning(caller, settings):
    task = list_tasks(caller.engine)[0]["id"]
    details = OutcomeDetails(promised_date=date(2024, 3, 15), amount=Decimal("2000.00"))

    context = TaskContext(date(2024, 2, 22), EUR, 2, 3)

    result = complete_task(caller.engine, task, "promise_to_pay", context, details)
    later = run(caller, settings, date(2024, 3, 10))

    assert result.promise_id is not None
    assert later.decisions["nothing_due"] == 1


def test_dispute_flags_document_and_resolution_clears_it(caller, settings):
    with caller.engine.begin() as connection:
        dispute = open_dispute(connection, "INV-1", "quality", date(2024, 2, 21), EUR)
    disputed = run(caller, settings, date(2024, 3, 20))
    with caller.engine.begin() as connection:
        resolve_dispute(connection, dispute, "rejected", date(2024, 3, 22))
    resumed = run(caller, settings, date(2024, 3, 23))

    assert disputed.decisions["nothing_due"] == 1
    assert resumed.written.planned == 1
    with caller.engine.connect() as connection:
        flag = connection.execute(text("SELECT disputed FROM documents WHERE number = 'INV-1'"))
        assert flag.scalar_one() in (False, 0)


def test_dispute_goes_on_open_instalment(book):
    """INV-9 is due in two instalments; the first is paid, so the dispute takes the second."""
    book.customer("C9")
    book.invoice("INV-9", "C9", date(2024, 1, 2), date(2024, 2, 1), "500.00", instalment=1)
    book.invoice("INV-9", "C9", date(2024, 1, 2), date(2024, 3, 1), "700.00", instalment=2)
    book.payment("PAY-9", "C9", date(2024, 2, 1), "500.00", "INV-9", target_instalment=1)
    book.save()

    with book.engine.begin() as connection:
        dispute = open_dispute(connection, "INV-9", "price", date(2024, 2, 21), EUR)
    with book.engine.connect() as connection:
        row = connection.execute(
            text(
                "SELECT d.instalment, x.amount_minor FROM disputes x"
                " JOIN documents d ON d.id = x.document_id WHERE x.id = :id"
            ),
            {"id": dispute},
        ).one()

    assert row.instalment == 2
    assert row.amount_minor == 70_000


def test_dispute_amount_above_open_rejected(caller):
    with pytest.raises(ValueError, match="exceeds"), caller.engine.begin() as connection:
        open_dispute(connection, "INV-1", "price", date(2024, 2, 21), EUR, Decimal("2500"))


def test_review_edit_approve_and_skip(book, settings):
    """Final notices (letters) wait for review; one is edited and approved, one skipped."""
    for code in ("C1", "C2"):
        book.customer(code)
        book.invoice(f"INV-{code}", code, date(2024, 1, 1), date(2024, 1, 31), "900.00")
    book.save()
    run(book, settings, date(2024, 3, 8))
    first, second = (row["id"] for row in list_notices(book.engine, status="draft"))

    edit(book.engine, first, "anna", subject="Please call us")
    approve(book.engine, [first], "anna")
    skip(book.engine, second, "anna", "customer called, paying today")
    again = run(book, settings, date(2024, 3, 9))

    states = {row["id"]: (row["status"], row["delivery"]) for row in list_notices(book.engine)}
    assert states == {first: ("approved", "pending"), second: ("skipped", None)}
    assert again.written.planned == 0


def test_roles_checked_once_users_exist(caller):
    add_user(caller.engine, "ada", "admin", None)
    add_user(caller.engine, "sam", "sales", "ada")
    notice = notice_rows(caller.engine)[0]["id"]

    with pytest.raises(MissingUserError):
        skip(caller.engine, notice, None, "no reason")
    with pytest.raises(DeniedError, match="sales"):
        skip(caller.engine, notice, "sam", "no reason")


def test_worklist_orders_by_value_at_risk(book, settings):
    book.customer("C1")
    book.customer("C2")
    book.invoice("INV-1", "C1", date(2024, 1, 1), date(2024, 1, 31), "1000.00")
    book.invoice("INV-2", "C2", date(2023, 10, 1), date(2023, 11, 1), "600.00")
    book.save()
    run(book, settings, date(2024, 2, 20))

    rows = build_worklist(book.engine, settings, EUR, date(2024, 2, 20))

    assert [row["customer_code"] for row in rows] == ["C2", "C1"]
    assert rows[0]["value_at_risk"] == "150.00"
    assert rows[0]["next_action"] == "hand_over"


def test_audit_log_is_append_only(caller):
    with pytest.raises(sqlalchemy.exc.DatabaseError), caller.engine.begin() as connection:
        connection.execute(text("UPDATE collection_audit SET user_name = 'mallory'"))
    with pytest.raises(sqlalchemy.exc.DatabaseError), caller.engine.begin() as connection:
        connection.execute(text("DELETE FROM collection_audit"))


def test_contacts_import_reports_rows(book, tmp_path):
    book.customers.append(
        {
            "code": "C1",
            "name": "C1 Ltd",
            "country": "DE",
            "currency": "EUR",
            "industry": None,
            "segment": None,
        }
    )
    book.save()
    path = tmp_path / "contacts.csv"
    path.write_text(
        "customer_code;email;language;street;postal_code;city;country\n"
        "C1;ap@c1.example.com;DE;Main Street 1;10115;Berlin;de\n"
        "C9;bad@;english;;;;Germany\n",
        encoding="utf-8",
    )

    result = import_contacts(book.engine, path)
    written = import_contacts(book.engine, path, skip_invalid=True)

    assert [(p.row, p.column) for p in result.problems] == [
        (3, "country"), (3, "customer_code"), (3, "email"), (3, "language"),
    ]  # fmt: skip
    assert result.written == 0
    assert written.written == 1
