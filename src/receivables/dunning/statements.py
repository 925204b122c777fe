"""Statements of account: a customer's balance, documents and aging for any period, as PDF.

Per currency of the customer's documents:

- opening balance: debit documents (invoices, debit notes) less credit documents (credit notes,
  payments, write-offs, discounts) dated before the first day of the period;
- one line per document dated in the period, debits and credits apart, with the running balance;
- closing balance: opening balance plus the lines; it equals the open items less the unapplied
  credit on the last day;
- aging of the open items on the last day, by days past due (the report's buckets).

:func:`statement_run` writes one PDF per customer with a movement in the period or a closing
balance other than zero; a customer whose statement fails is a problem and the rest goes on.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, text

from receivables.domain.aging import AgingBuckets
from receivables.domain.documents import DEBIT_KINDS
from receivables.domain.money import Currency, Money
from receivables.dunning.config import CollectionSettings
from receivables.dunning.errors import TemplateProblemError
from receivables.dunning.formatting import date_text, money_text
from receivables.dunning.open_amounts import customer_id_of, open_items_of
from receivables.dunning.pdf import html_to_pdf
from receivables.dunning.problems import Problem
from receivables.dunning.rendering import Renderer

DEBITS = {kind.value for kind in DEBIT_KINDS}


@dataclass
class StatementLine:
    day: date
    kind: str
    number: str
    due_date: date | None
    debit_minor: int
    credit_minor: int
    balance_minor: int


@dataclass
class CurrencySection:
    currency: str
    opening_minor: int = 0
    lines: list[StatementLine] = field(default_factory=list)
    aging: list[tuple[str, int]] = field(default_factory=list)

    @property
    def closing_minor(self) -> int:
        return self.lines[-1].balance_minor if self.lines else self.opening_minor


@dataclass
class Statement:
    customer_code: str
    customer_name: str
    contact: dict[str, str]
    first: date
    last: date
    sections: list[CurrencySection]

    def to_dict(self) -> dict[str, Any]:
        def amount(minor: int, currency: str) -> str:
            return str(Money.from_minor(minor, currency).amount)

        return {
            "customer_code": self.customer_code,
            "first_day": self.first.isoformat(),
            "last_day": self.last.isoformat(),
            "currencies": [
                {
                    "currency": section.currency,
                    "opening_balance": amount(section.opening_minor, section.currency),
                    "closing_balance": amount(section.closing_minor, section.currency),
                    "lines": [
                        {
                            "date": line.day.isoformat(),
                            "kind": line.kind,
                            "number": line.number,
                            "debit": amount(line.debit_minor, section.currency),
                            "credit": amount(line.credit_minor, section.currency),
                            "balance": amount(line.balance_minor, section.currency),
                        }
                        for line in section.lines
                    ],
                    "aging": {
                        label: amount(minor, section.currency) for label, minor in section.aging
                    },
                }
                for section in self.sections
            ],
        }


def _documents(connection: Connection, customer_id: int, last: date) -> list[Any]:
    return list(
        connection.execute(
            text(
                "SELECT kind, number, document_date, due_date, currency, amount_minor "
                "FROM documents WHERE customer_id = :c AND document_date <= :last "
                "ORDER BY document_date, id"
            ),
            {"c": customer_id, "last": last},
        )
    )


def build_statement(
    engine: Engine, code: str, first: date, last: date, company: Currency, buckets: AgingBuckets
) -> Statement:
    """Return the statement of account of customer ``code`` from ``first`` to ``last``."""
    if last < first:
        raise ValueError(f"the period ends on {last}, before it starts on {first}")
    with engine.connect() as connection:
        customer = customer_id_of(connection, code)
        head = connection.execute(
            text(
                "SELECT c.name, k.contact_name, k.street, k.postal_code, k.city, k.country "
                "FROM customers c LEFT JOIN customer_contacts k ON k.customer_id = c.id "
                "WHERE c.id = :c"
            ),
            {"c": customer},
        ).one()
        rows = _documents(connection, customer, last)
        open_items = open_items_of(connection, customer, last, company)
    sections: dict[str, CurrencySection] = {}
    for row in rows:
        section = sections.setdefault(row.currency, CurrencySection(row.currency))
        signed = row.amount_minor if row.kind in DEBITS else -row.amount_minor
        day = _day(row.document_date)
        if day < first:
            section.opening_minor += signed
            continue
        balance = section.closing_minor + signed
        debit, credit = (row.amount_minor, 0) if signed > 0 else (0, row.amount_minor)
        section.lines.append(
            StatementLine(day, row.kind, row.number, _day(row.due_date), debit, credit, balance)
        )
    aging: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(buckets.labels, 0))
    for item in open_items:
        aging[item.currency][buckets.label((last - item.due_date).days)] += item.open_minor
    for currency, section in sections.items():
        section.aging = (
            list(aging[currency].items())
            if currency in aging
            else [(label, 0) for label in buckets.labels]
        )
    contact = {key: value or "" for key, value in head._mapping.items() if key != "name"}
    return Statement(
        code, head.name, contact, first, last, [sections[key] for key in sorted(sections)]
    )


def _day(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def statement_context(
    statement: Statement, settings: CollectionSettings, labels: dict[str, str], language: str
) -> dict[str, Any]:
    company = settings.company
    sections = []
    for section in statement.sections:
        currency = section.currency
        sections.append(
            {
                "currency": currency,
                "opening": money_text(section.opening_minor, currency, language),
                "closing": money_text(section.closing_minor, currency, language),
                "lines": [
                    {
                        "date": date_text(line.day, language),
                        "kind": line.kind.replace("_", " "),
                        "number": line.number,
                        "due_date": date_text(line.due_date, language)
                        if line.kind in DEBITS and line.due_date
                        else "",
                        "debit": money_text(line.debit_minor, currency, language)
                        if line.debit_minor
                        else "",
                        "credit": money_text(line.credit_minor, currency, language)
                        if line.credit_minor
                        else "",
                        "balance": money_text(line.balance_minor, currency, language),
                    }
                    for line in section.lines
                ],
                "aging": [
                    {"label": label, "amount": money_text(minor, currency, language)}
                    for label, minor in section.aging
                ],
            }
        )
    return {
        "company": {
            "name": company.name,
            "address": list(company.address),
            "iban": company.iban,
            "bic": company.bic,
        },
        "customer": {
            "code": statement.customer_code,
            "name": statement.customer_name,
            **statement.contact,
        },
        "first": date_text(statement.first, language),
        "last": date_text(statement.last, language),
        "sections": sections,
        "labels": labels,
        "language": language,
    }


def statement_pdf(
    statement: Statement, settings: CollectionSettings, language: str = "en"
) -> bytes:
    renderer = Renderer(settings)
    labels = renderer.labels(language)
    html = renderer.render(
        "layout/statement.html.j2", statement_context(statement, settings, labels, language)
    )
    return html_to_pdf(html)


# Customers with a document in the period, or a balance other than zero in some currency.
ACTIVE_SQL = (
    "SELECT DISTINCT a.code, a.language FROM (SELECT c.code, COALESCE(k.language, '') AS language "
    "FROM customers c JOIN documents d ON d.customer_id = c.id "
    "LEFT JOIN customer_contacts k ON k.customer_id = c.id WHERE d.document_date <= :last "
    "GROUP BY c.code, k.language, d.currency "
    "HAVING SUM(CASE WHEN d.document_date >= :first THEN 1 ELSE 0 END) > 0 "
    "OR SUM(CASE WHEN d.kind IN ('invoice', 'debit_note') THEN d.amount_minor "
    "ELSE -d.amount_minor END) <> 0) a ORDER BY a.code"
)


@dataclass
class StatementRun:
    files: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def statement_run(
    engine: Engine,
    settings: CollectionSettings,
    company: Currency,
    first: date,
    last: date,
    folder: Path,
    buckets: AgingBuckets,
) -> StatementRun:
    """Write ``statement-<code>-<last>.pdf`` for every customer with a movement or a balance."""
    with engine.connect() as connection:
        customers = connection.execute(text(ACTIVE_SQL), {"first": first, "last": last}).all()
    folder.mkdir(parents=True, exist_ok=True)
    result = StatementRun()
    for row in customers:
        language = row.language[:2].lower() if row.language else settings.default_language
        try:
            statement = build_statement(engine, row.code, first, last, company, buckets)
            path = folder / f"statement-{row.code}-{last.isoformat()}.pdf"
            path.write_bytes(statement_pdf(statement, settings, language))
        except (TemplateProblemError, OSError, ValueError) as error:
            result.problems.append(Problem(row.code, "statement of account", str(error)))
            continue
        result.files.append(path)
    return result
