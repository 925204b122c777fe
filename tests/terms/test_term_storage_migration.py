"""The migration to instalments keeps a stored ledger: every document becomes instalment 1.

A ledger written before instalments existed (schema 0200_credit) holds an invoice, a payment and
an allocation between them. After the upgrade the allocation still joins the same documents, and
a second instalment of the invoice may be stored under the same number.
"""

from __future__ import annotations

from alembic import command
from sqlalchemy import Engine, text

from receivables.storage.database import alembic_config, connect, upgrade

BEFORE_INSTALMENTS = "0200_credit"


def _ledger_before_instalments(database_url: str) -> Engine:
    engine = connect(database_url, upgrade_schema=False)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, BEFORE_INSTALMENTS)
        connection.execute(text("INSERT INTO customers (id, code, name) VALUES (1, 'C1', 'Brick')"))
        for document_id, kind in ((1, "invoice"), (2, "payment")):
            connection.execute(
                text(
                    "INSERT INTO documents (id, customer_id, kind, number, document_date, "
                    "due_date, currency, amount_minor, tax_minor, fx_rate, disputed) VALUES "
                    "(:id, 1, :kind, '100', '2024-03-01', '2024-03-31', 'EUR', 10000, 0, 1, false)"
                ),
                {"id": document_id, "kind": kind},
            )
        connection.execute(
            text(
                "INSERT INTO allocations (source_document_id, target_document_id, "
                "allocation_date, amount_minor) VALUES (2, 1, '2024-03-20', 4000)"
            )
        )
    return engine


def test_upgrade_keeps_documents_as_instalment_one(database_url):
    engine = _ledger_before_instalments(database_url)

    upgrade(engine)

    with engine.connect() as connection:
        instalments = connection.execute(
            text("SELECT kind, instalment FROM documents ORDER BY id")
        ).all()
        allocation = connection.execute(
            text("SELECT source_document_id, target_document_id, amount_minor FROM allocations")
        ).one()
    engine.dispose()
    assert instalments == [("invoice", 1), ("payment", 1)]
    assert tuple(allocation) == (2, 1, 4000)


def test_upgrade_allows_second_instalment(database_url):
    engine = _ledger_before_instalments(database_url)
    upgrade(engine)

    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO documents (id, customer_id, kind, number, instalment, document_date, "
                "due_date, currency, amount_minor, tax_minor, fx_rate, disputed) VALUES "
                "(3, 1, 'invoice', '100', 2, '2024-03-01', '2024-04-30', 'EUR', 5000, 0, 1, false)"
            )
        )
        count = connection.execute(
            text("SELECT count(*) FROM documents WHERE number = '100' AND kind = 'invoice'")
        ).scalar_one()
    engine.dispose()
    assert count == 2


def test_upgrade_leaves_foreign_keys_on(sqlite_url):
    engine = _ledger_before_instalments(sqlite_url)
    upgrade(engine)

    with engine.connect() as connection:
        enabled = connection.exec_driver_sql("PRAGMA foreign_keys").scalar_one()
    engine.dispose()
    assert enabled == 1
