"""A small ledger for collections scenarios: customers, contacts, invoices and payments.

Amounts are written as major-unit strings and stored in minor units through the bulk writers,
as an import would store them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polars as pl
from sqlalchemy import Engine, text

from receivables.config import Settings
from receivables.domain.money import Money
from receivables.dunning.config import CollectionSettings, build_settings, default_table, merge
from receivables.storage.bulk import (
    ALLOCATION_SCHEMA,
    CUSTOMER_SCHEMA,
    DOCUMENT_SCHEMA,
    write_allocations,
    write_customers,
    write_documents,
)
from receivables.storage.database import set_setting

CONTACT_HEADER = "customer_code,contact_name,email,phone,language,street,postal_code,city,country"


@dataclass
class Book:
    """Documents of a scenario, written to the database by :meth:`save`."""

    engine: Engine
    folder: Path
    currency: str = "EUR"
    customers: list[dict[str, object]] = field(default_factory=list)
    contacts: list[str] = field(default_factory=list)
    documents: list[dict[str, object]] = field(default_factory=list)
    allocations: list[dict[str, object]] = field(default_factory=list)

    def customer(
        self,
        code: str,
        email: str | None = None,
        language: str = "en",
        segment: str | None = None,
        address: bool = True,
    ) -> None:
        if email is None:
            email = f"ap@{code.lower()}.example.com"
        self.customers.append(
            {"code": code, "name": f"{code} Ltd", "country": "DE", "currency": self.currency,
             "industry": None, "segment": segment}
        )  # fmt: skip
        street, postal, city = ("Main Street 1", "10115", "Berlin") if address else ("", "", "")
        self.contacts.append(
            f"{code},Pat Payer,{email},+49 30 555,{language},{street},{postal},{city},DE"
        )

    def invoice(
        self,
        number: str,
        customer: str,
        issued: date,
        due: date,
        amount: str,
        disputed: bool = False,
        instalment: int = 1,
    ) -> None:
        minor = Money.of(amount, self.currency).minor_units()
        self.documents.append(
            {
                "customer_code": customer, "kind": "invoice", "number": number,
                "document_date": issued, "due_date": due, "currency": self.currency,
                "amount_minor": minor, "tax_minor": 0, "fx_rate": "1", "disputed": disputed,
                "reference": None, "instalment": instalment,
            }
        )  # fmt: skip

    def payment(
        self, number: str, customer: str, paid: date, amount: str, target: str, target_instalment: int = 1
    ) -> None:
        minor = Money.of(amount, self.currency).minor_units()
        self.documents.append(
            {"customer_code": customer, "kind": "payment", "number": number, "document_date": paid,
             "due_date": paid, "currency": self.currency, "amount_minor": minor, "tax_minor": 0,
             "fx_rate": "1", "disputed": False, "reference": None, "instalment": 1}
        )  # fmt: skip
        self.allocations.append(
            {"source_kind": "payment", "source_number": number, "target_kind": "invoice",
             "target_number": target, "target_instalment": target_instalment,
             "allocation_date": paid, "amount_minor": minor}
        )  # fmt: skip

    def save(self) -> None:
        set_setting(self.engine, "company_currency", self.currency)
        with self.engine.begin() as connection:
            if self.customers:
                write_customers(connection, pl.DataFrame(self.customers, schema=CUSTOMER_SCHEMA))
            if self.documents:
                # Documents a test appends itself may leave the instalment out: they are the first.
                schema = {**DOCUMENT_SCHEMA, "instalment": pl.Int64}
                documents = pl.DataFrame(self.documents, schema=schema)
                write_documents(connection, documents.with_columns(pl.col("instalment").fill_null(1)))
            if self.allocations:
                schema = {**ALLOCATION_SCHEMA, "target_instalment": pl.Int64}
                allocations = pl.DataFrame(self.allocations, schema=schema)
                write_allocations(
                    connection, allocations.with_columns(pl.col("target_instalment").fill_null(1))
                )
        self.customers, self.documents, self.allocations = [], [], []
        if self.contacts:
            write_contacts(self.engine, self.contacts)
            self.contacts = []


def write_contacts(engine: Engine, lines: list[str]) -> None:
    """Store contact rows as they are, unchecked, as another system might have written them."""
    names = CONTACT_HEADER.split(",")[1:]
    with engine.begin() as connection:
        for line in lines:
            code, *values = line.split(",")
            customer = connection.execute(
                text("SELECT id FROM customers WHERE code = :c"), {"c": code}
            ).scalar_one()
            connection.execute(
                text("DELETE FROM customer_contacts WHERE customer_id = :c"), {"c": customer}
            )
            connection.execute(
                text(
                    f"INSERT INTO customer_contacts (customer_id, {', '.join(names)}, updated_at) "
                    f"VALUES (:customer, {', '.join(':' + name for name in names)}, "
                    "CURRENT_TIMESTAMP)"
                ),
                {
                    "customer": customer,
                    **{name: value or None for name, value in zip(names, values, strict=True)},
                },
            )


def collection_settings(folder: Path, **overrides: object) -> CollectionSettings:
    """The shipped settings with the outbox in ``folder`` and fast retries."""
    table = merge(
        default_table(), {"outbox_dir": str(folder / "outbox"), "mail": {"backoff_seconds": "0.01"}}
    )
    table = merge(table, dict(overrides))
    return build_settings(table, {})


def notice_rows(engine: Engine) -> list[dict[str, object]]:
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT n.id, c.code, n.level, n.level_name, n.channel, n.status, n.total_minor, "
                "n.notice_date FROM dunning_notices n JOIN customers c ON c.id = n.customer_id "
                "ORDER BY n.id"
            )
        )
        return [dict(row._mapping) for row in rows]


def notice_documents(engine: Engine, notice_id: int) -> list[str]:
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT d.number FROM dunning_notice_items i "
                "JOIN documents d ON d.id = i.document_id WHERE i.notice_id = :id ORDER BY d.number"
            ),
            {"id": notice_id},
        )
        return [row.number for row in rows]


def settings_unused() -> Settings:
    return Settings()
