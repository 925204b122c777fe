"""Bad input in a run: broken templates, missing or invalid addresses. Each is a clear problem
in the run output, and the rest of the run goes on."""

from __future__ import annotations

from datetime import date

import pytest
from dunning_book import collection_settings, notice_rows

from conftest import EUR
from receivables.dunning.run import run_dunning

AS_OF = date(2024, 2, 25)


def user_template(tmp_path, body: str) -> None:
    folder = tmp_path / "templates" / "messages" / "en"
    folder.mkdir(parents=True)
    (folder / "second_notice.j2").write_text(body, encoding="utf-8")


@pytest.fixture
def debtors(book):
    """C1 (English) and C2 (German) each owe 300.00, 25 days past due: second notices."""
    book.customer("C1", language="en")
    book.customer("C2", language="de")
    book.invoice("INV-1", "C1", date(2024, 1, 1), date(2024, 1, 31), "300.00")
    book.invoice("INV-2", "C2", date(2024, 1, 1), date(2024, 1, 31), "300.00")
    book.save()
    return book


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("{% block subject %}Hi {{ customer.vat_number }}{% endblock %}", "unknown variable"),
        ("{% block subject %}{{ customer.__class__.__mro__ }}{% endblock %}", "Python internals"),
        (
            "{% block subject %}{{ ''.__class__.__subclasses__() }}{% endblock %}",
            "Python internals",
        ),
        (
            "{% block subject %}{{ company.name.format.__globals__ }}{% endblock %}",
            "Python internals",
        ),
    ],
)
def test_broken_template_is_problem(debtors, tmp_path, body, reason):
    user_template(
        tmp_path, body + "{% block opening %}x{% endblock %}{% block closing %}y{% endblock %}"
    )
    settings = collection_settings(tmp_path, templates_dir=str(tmp_path / "templates"))

    report = run_dunning(debtors.engine, settings, EUR, AS_OF)

    problems = report.delivery.problems
    assert [problem.customer_code for problem in problems] == ["C1"]
    assert reason in problems[0].reason
    assert report.delivery.sent["email"] == 1


def test_template_without_blocks_is_problem(debtors, tmp_path):
    user_template(tmp_path, "Dear customer, pay now.")
    settings = collection_settings(tmp_path, templates_dir=str(tmp_path / "templates"))

    report = run_dunning(debtors.engine, settings, EUR, AS_OF)

    assert "lacks the block" in report.delivery.problems[0].reason


def test_no_email_falls_back_to_letter(book, settings):
    book.customer("C1", email="")
    book.invoice("INV-1", "C1", date(2024, 1, 1), date(2024, 1, 31), "300.00")
    book.save()

    report = run_dunning(book.engine, settings, EUR, AS_OF)

    assert notice_rows(book.engine)[0]["channel"] == "letter"
    assert "no email address; a letter instead" in report.problems[0].reason
    assert report.delivery.sent["letter"] == 1


def test_no_email_nor_address_becomes_task(book, settings):
    book.customer("C1", email="", address=False)
    book.invoice("INV-1", "C1", date(2024, 1, 1), date(2024, 1, 31), "300.00")
    book.save()

    report = run_dunning(book.engine, settings, EUR, AS_OF)

    assert notice_rows(book.engine)[0]["channel"] == "phone_call"
    assert report.written.tasks == 1
    assert "a phone-call task instead" in report.problems[0].reason


def test_invalid_email_is_problem_rest_goes_on(book, settings):
    book.customer("C1", email="accounts@@example")
    book.customer("C2")
    book.invoice("INV-1", "C1", date(2024, 1, 1), date(2024, 1, 31), "300.00")
    book.invoice("INV-2", "C2", date(2024, 1, 1), date(2024, 1, 31), "300.00")
    book.save()

    report = run_dunning(book.engine, settings, EUR, AS_OF)

    assert report.problems[0].customer_code == "C1"
    assert "invalid email address 'accounts@@example'" in report.problems[0].reason
    assert report.delivery.sent == {"email": 1, "letter": 1}
    assert len(list((settings.letters_dir).glob("notice-*.pdf"))) == 1


def test_unknown_language_falls_back_to_english(book, settings):
    book.customer("C1", language="xx")
    book.invoice("INV-1", "C1", date(2024, 1, 1), date(2024, 1, 31), "300.00")
    book.save()

    run_dunning(book.engine, settings, EUR, AS_OF)

    text = next(settings.email_dir.glob("*.eml")).read_text()
    assert "Subject: Second reminder" in text
