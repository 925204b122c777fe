"""Delivery to a real SMTP server on 127.0.0.1: content, retries after refusals, bad recipients."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from dunning_book import collection_settings
from smtp_server import Mailbox, SmtpServer, StartTlsServer, self_signed_certificate
from sqlalchemy import text

from conftest import EUR
from receivables.dunning.run import run_dunning


def smtp_settings(tmp_path, server, **mail):
    return collection_settings(
        tmp_path,
        mail={
            "transport": "smtp",
            "host": "127.0.0.1",
            "port": server.port,
            "backoff_seconds": "0.01",
            **mail,
        },
    )


@pytest.fixture
def two_customers(book):
    """C1 writes English, C2 German; both owe one invoice 25 days past due on 2024-02-25."""
    book.customer("C1", language="en")
    book.customer("C2", language="de")
    book.invoice("INV-1", "C1", date(2024, 1, 1), date(2024, 1, 31), "1234.50")
    book.invoice("RE-7", "C2", date(2024, 1, 1), date(2024, 1, 31), "99.00")
    book.save()
    return book


def test_server_receives_each_notice_once(two_customers, tmp_path):
    with SmtpServer(Mailbox()) as server:
        report = run_dunning(
            two_customers.engine, smtp_settings(tmp_path, server), EUR, date(2024, 2, 25)
        )

    messages = server.mailbox.messages
    assert report.delivery.sent["email"] == 2
    assert sorted(message["To"] for message in messages) == [
        "ap@c1.example.com",
        "ap@c2.example.com",
    ]
    assert len(set(server.mailbox.message_ids())) == 2


def test_message_has_text_html_and_reference(two_customers, tmp_path):
    with SmtpServer(Mailbox()) as server:
        run_dunning(two_customers.engine, smtp_settings(tmp_path, server), EUR, date(2024, 2, 25))

    german = next(
        message for message in server.mailbox.messages if message["To"] == "ap@c2.example.com"
    )
    parts = {
        part.get_content_type(): part.get_payload(decode=True).decode()
        for part in german.walk()
        if not part.is_multipart()
    }
    assert german["Subject"].startswith("Zweite Mahnung")
    assert "RF" in parts["text/plain"]
    assert "99,00\xa0€" in parts["text/plain"]
    assert "Mahngebühr" in parts["text/html"]


def test_refused_then_accepted_delivers_once(two_customers, tmp_path):
    """The server answers 451 to the first three DATA commands, then accepts."""
    with SmtpServer(Mailbox(refuse_first=3)) as server:
        report = run_dunning(
            two_customers.engine, smtp_settings(tmp_path, server), EUR, date(2024, 2, 25)
        )

    assert server.mailbox.refused == 3
    assert len(server.mailbox.messages) == 2
    assert report.delivery.failed == 0


def test_refusals_beyond_attempts_fail_notice(two_customers, tmp_path):
    with SmtpServer(Mailbox(refuse_first=100)) as server:
        report = run_dunning(
            two_customers.engine,
            smtp_settings(tmp_path, server, max_attempts=2),
            EUR,
            date(2024, 2, 25),
        )

    assert report.delivery.failed == 2
    assert "451" in report.delivery.problems[0].reason
    assert server.mailbox.messages == []


def test_rejected_recipient_is_a_problem_rest_goes_on(two_customers, tmp_path):
    mailbox = Mailbox(reject_recipients={"ap@c1.example.com"})
    with SmtpServer(mailbox) as server:
        report = run_dunning(
            two_customers.engine, smtp_settings(tmp_path, server), EUR, date(2024, 2, 25)
        )

    problems = [problem for problem in report.delivery.problems if problem.customer_code == "C1"]
    assert "550" in problems[0].reason
    assert [message["To"] for message in mailbox.messages] == ["ap@c2.example.com"]
    with two_customers.engine.connect() as connection:
        states = (
            connection.execute(text("SELECT state FROM dunning_outbox ORDER BY notice_id"))
            .scalars()
            .all()
        )
    assert sorted(states) == ["failed", "sent"]


def test_starttls_and_login(two_customers, tmp_path):
    cert, key = self_signed_certificate(tmp_path)
    mailbox = Mailbox()
    with StartTlsServer(mailbox, cert, key, "ar-robot", "s3cret") as server:
        settings = smtp_settings(
            tmp_path, server, security="starttls", username="ar-robot", ca_file=cert
        )
        settings = replace(settings, mail=replace(settings.mail, password="s3cret"))
        report = run_dunning(two_customers.engine, settings, EUR, date(2024, 2, 25))

    assert report.delivery.sent["email"] == 2
    assert server.logins == ["ar-robot"]
    assert len(mailbox.messages) == 2


def test_wrong_password_fails_notices(two_customers, tmp_path):
    """aiosmtpd 1.4 answers a failed AUTH PLAIN with silence, so the client times out."""
    cert, key = self_signed_certificate(tmp_path)
    with StartTlsServer(Mailbox(), cert, key, "ar-robot", "s3cret") as server:
        settings = smtp_settings(
            tmp_path, server, security="starttls", username="ar-robot", ca_file=cert,
            timeout_seconds=1, max_attempts=2,
        )  # fmt: skip
        settings = replace(settings, mail=replace(settings.mail, password="wrong"))
        report = run_dunning(two_customers.engine, settings, EUR, date(2024, 2, 25))

    assert report.delivery.failed == 2
    assert "after 2 attempts" in report.delivery.problems[0].reason
