"""Dated dunning scenarios on the shipped standard policy, on SQLite and PostgreSQL.

The standard policy: reminder 3 days before the due date; first notice at 7 days past due
(minimum 10.00, wait 14 days); second notice at 21 (fee 5.00); final notice by letter at 35
(for review); phone call at 45; legal hand-over at 75. All amounts in EUR.
"""

from __future__ import annotations

from datetime import date

from dunning_book import notice_documents, notice_rows
from sqlalchemy import text

from conftest import EUR
from receivables.dunning.promises import broken_promises, record_promise
from receivables.dunning.run import run_dunning


def run(book, settings, day):
    return run_dunning(book.engine, settings, EUR, day, send=False)


def levels(book):
    return [(row["code"], row["level_name"]) for row in notice_rows(book.engine)]


def test_reminder_before_due_date(book, settings):
    """INV-1 of 300.00 falls due on 2024-03-15; the reminder goes out three days before."""
    book.customer("C1")
    book.invoice("INV-1", "C1", date(2024, 2, 14), date(2024, 3, 15), "300.00")
    book.save()

    early = run(book, settings, date(2024, 3, 11))
    due = run(book, settings, date(2024, 3, 12))

    assert early.written.planned == 0
    assert due.written.planned == 1
    assert levels(book) == [("C1", "reminder")]


def test_escalation_over_several_runs(book, settings):
    """INV-1 of 500.00 due 2024-01-31 stays unpaid; weekly runs climb the levels."""
    book.customer("C1")
    book.invoice("INV-1", "C1", date(2024, 1, 1), date(2024, 1, 31), "500.00")
    book.save()

    planned = [
        run(
            book, settings, date(2024, 2, 7) + (date(2024, 2, 14) - date(2024, 2, 7)) * week
        ).written.planned
        for week in range(5)
    ]

    assert planned == [1, 0, 1, 0, 1]
    assert levels(book) == [("C1", "first_notice"), ("C1", "second_notice"), ("C1", "final_notice")]


def test_old_debt_goes_straight_to_its_level(book, settings):
    """INV-1 due 2024-01-01 is first seen 24 days later: one second notice, nothing below."""
    book.customer("C1")
    book.invoice("INV-1", "C1", date(2023, 12, 1), date(2024, 1, 1), "800.00")
    book.save()

    report = run(book, settings, date(2024, 1, 25))

    assert report.written.planned == 1
    assert levels(book) == [("C1", "second_notice")]


def test_partly_paid_invoice_reminded_for_residual(book, settings):
    """INV-1 of 1,000.00 got 400.00 on 2024-02-05: the notice asks for 600.00."""
    book.customer("C1")
    book.invoice("INV-1", "C1", date(2024, 1, 1), date(2024, 1, 31), "1000.00")
    book.payment("PAY-1", "C1", date(2024, 2, 5), "400.00", "INV-1")
    book.save()

    run(book, settings, date(2024, 2, 10))

    notice = notice_rows(book.engine)[0]
    assert notice["total_minor"] == 60000
    assert notice["level_name"] == "first_notice"


def test_disputed_and_promised_items_left_out(book, settings):
    """C1: INV-1 disputed, INV-2 under a promise, INV-3 plain. C2: its only item promised."""
    book.customer("C1")
    book.customer("C2")
    book.invoice("INV-1", "C1", date(2024, 1, 1), date(2024, 1, 31), "100.00", disputed=True)
    book.invoice("INV-2", "C1", date(2024, 1, 1), date(2024, 1, 31), "200.00")
    book.invoice("INV-3", "C1", date(2024, 1, 1), date(2024, 1, 31), "300.00")
    book.invoice("INV-4", "C2", date(2024, 1, 1), date(2024, 1, 31), "400.00")
    book.save()
    with book.engine.begin() as connection:
        record_promise(
            connection, "C1", date(2024, 2, 5), date(2024, 2, 20), 200, EUR, 3, ["INV-2"]
        )
        record_promise(connection, "C2", date(2024, 2, 5), date(2024, 2, 20), 400, EUR, 3)

    report = run(book, settings, date(2024, 2, 10))

    notices = notice_rows(book.engine)
    assert [row["code"] for row in notices] == ["C1"]
    assert notice_documents(book.engine, notices[0]["id"]) == ["INV-3"]
    assert notices[0]["total_minor"] == 30000
    assert report.decisions["nothing_due"] == 1


def test_broken_promise_escalates(book, settings):
    """C1 promised 500.00 by 2024-02-15 (3 days grace) after its first notice, and paid nothing."""
    book.customer("C1")
    book.invoice("INV-1", "C1", date(2024, 1, 1), date(2024, 1, 31), "500.00")
    book.save()
    run(book, settings, date(2024, 2, 7))
    with book.engine.begin() as connection:
        record_promise(connection, "C1", date(2024, 2, 8), date(2024, 2, 15), 500, EUR, 3)

    paused = run(book, settings, date(2024, 2, 14))
    broken = run(book, settings, date(2024, 2, 19))

    assert paused.written.planned == 0
    assert broken.promises["broken"] == 1
    assert levels(book) == [("C1", "first_notice"), ("C1", "second_notice")]
    assert broken_promises(book.engine, date(2024, 2, 1), date(2024, 2, 29))[
        "broken_promises"
    ].to_list() == [1]


def test_kept_promise_ends_without_notice(book, settings):
    """C1 promised 500.00 by 2024-02-15 and paid it on 2024-02-14."""
    book.customer("C1")
    book.invoice("INV-1", "C1", date(2024, 1, 1), date(2024, 1, 31), "500.00")
    book.invoice("INV-2", "C1", date(2024, 1, 10), date(2024, 2, 9), "80.00")
    book.save()
    with book.engine.begin() as connection:
        record_promise(
            connection, "C1", date(2024, 2, 8), date(2024, 2, 15), 500, EUR, 3, ["INV-1"]
        )
    book.payment("PAY-1", "C1", date(2024, 2, 14), "500.00", "INV-1")
    book.save()

    report = run(book, settings, date(2024, 2, 16))

    assert report.promises["kept"] == 1
    assert levels(book) == [("C1", "first_notice")]


def test_catch_up_after_ten_missed_days(book, settings):
    """After the first notice of 2024-02-07 the runs stop; the next one, on 2024-03-08, sends
    the final notice only, not the second notice it skipped."""
    book.customer("C1")
    book.invoice("INV-1", "C1", date(2024, 1, 1), date(2024, 1, 31), "500.00")
    book.save()
    for day in range(7, 28):
        run(book, settings, date(2024, 2, day))

    late = run(book, settings, date(2024, 3, 8))

    assert late.written.planned == 1
    assert levels(book) == [("C1", "first_notice"), ("C1", "second_notice"), ("C1", "final_notice")]


def test_catch_up_sends_current_level_only(book, settings):
    """No run between the first notice on 2024-02-07 and 2024-03-18 (47 days past due)."""
    book.customer("C1")
    book.invoice("INV-1", "C1", date(2024, 1, 1), date(2024, 1, 31), "500.00")
    book.save()
    run(book, settings, date(2024, 2, 7))

    late = run(book, settings, date(2024, 3, 18))

    assert late.written.planned == 1
    assert levels(book) == [("C1", "first_notice"), ("C1", "phone_call")]


def test_minimum_amount_holds_back_notice(book, settings):
    """8.00 overdue is below the first notice's 10.00; a second item of 5.00 makes 13.00."""
    book.customer("C1")
    book.invoice("INV-1", "C1", date(2024, 1, 1), date(2024, 1, 31), "8.00")
    book.save()

    small = run(book, settings, date(2024, 2, 10))
    book.invoice("INV-2", "C1", date(2024, 1, 5), date(2024, 2, 4), "5.00")
    book.save()
    enough = run(book, settings, date(2024, 2, 11))

    assert small.decisions["below_minimum"] == 1
    assert enough.written.planned == 1
    assert notice_rows(book.engine)[0]["total_minor"] == 1300


def test_bundling_of_several_items(book, settings):
    """Three overdue invoices of different ages and one not yet due: one notice, three items."""
    book.customer("C1")
    book.invoice("INV-1", "C1", date(2024, 1, 1), date(2024, 1, 20), "100.00")
    book.invoice("INV-2", "C1", date(2024, 1, 1), date(2024, 2, 1), "200.00")
    book.invoice("INV-3", "C1", date(2024, 1, 1), date(2024, 2, 8), "300.00")
    book.invoice("INV-4", "C1", date(2024, 2, 1), date(2024, 3, 1), "400.00")
    book.save()

    run(book, settings, date(2024, 2, 10))

    notices = notice_rows(book.engine)
    assert len(notices) == 1
    assert notices[0]["level_name"] == "second_notice"
    assert notice_documents(book.engine, notices[0]["id"]) == ["INV-1", "INV-2", "INV-3"]
    assert notices[0]["total_minor"] == 60000


def test_rerun_same_day_plans_nothing(book, settings):
    book.customer("C1")
    book.invoice("INV-1", "C1", date(2024, 1, 1), date(2024, 1, 31), "500.00")
    book.save()

    first = run(book, settings, date(2024, 2, 7))
    second = run(book, settings, date(2024, 2, 7))

    assert first.written.planned == 1
    assert second.written.planned == 0
    with book.engine.connect() as connection:
        assert connection.execute(text("SELECT COUNT(*) FROM dunning_notices")).scalar_one() == 1
