"""The demo's daily operations after the ledger import: credit review, bank statement, collections.

Gives part of the demo customers financial statements, bureau records and open orders, imports
them and runs the credit review, so the report shows risk classes and limits. Then writes a
camt.053 statement of payments for the demo's open items, imports and matches it, so the report
shows the match rates. Last, it runs collections for the as-of date: reminders and notices go to
files in the output folder (never to a mail server, whatever the configuration says), and the
collector's tasks and worklist are filled. Each step uses the same services as the ``credit``,
``bank`` and ``collect`` commands.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import Engine, select

from receivables.banking.demo_statement import run_demo_cash_application
from receivables.config import Settings
from receivables.credit.config import load_credit_settings
from receivables.credit.imports import import_credit_files
from receivables.credit.limits import approve_limit, recommend
from receivables.credit.review import run_review
from receivables.credit.synthetic import write_credit_files
from receivables.credit.users import add_user
from receivables.domain.credit.settings import CreditSettings
from receivables.domain.money import Currency, Money
from receivables.dunning.config import Transport, load_collection_settings
from receivables.dunning.walkthrough import collections_walkthrough
from receivables.storage.credit_models import CreditLimitRow, UserRow
from receivables.storage.models import CustomerRow

# Demo customers with financial statements that get their recommended limit approved; an
# approval evaluates one customer at a time, so the demo keeps this small.
APPROVED_LIMITS = 40
DEMO_USER = "demo"

# Shares of the demo customers with each kind of credit record.
STATEMENT_SHARE = 0.3
BUREAU_SHARE = 0.5
ORDER_SHARE = 0.2


@dataclass(frozen=True)
class DemoOperations:
    """What the operations produced: the credit files, the review and the matching counts."""

    credit_files: list[Path]
    reviewed_customers: int
    approved_limits: int
    bank_statement: Path
    matching: dict[str, Any]
    collections: dict[str, Any]


def run_operations(
    engine: Engine, output_dir: Path, as_of: date, currency: Currency, settings: Settings, seed: int
) -> DemoOperations:
    """Import credit records and run the review, then import and match a bank statement."""
    credit_settings = load_credit_settings(settings)
    with engine.connect() as connection:
        codes = list(connection.scalars(select(CustomerRow.code).order_by(CustomerRow.code)))
    files = write_credit_files(
        output_dir / "credit",
        codes,
        as_of,
        seed,
        statement_share=STATEMENT_SHARE,
        bureau_share=BUREAU_SHARE,
        order_share=ORDER_SHARE,
    )
    import_credit_files(engine, files, credit_settings, currency)
    review = run_review(engine, as_of, currency, credit_settings)
    approved = approve_demo_limits(engine, files[0], as_of, currency, credit_settings)
    bank = run_demo_cash_application(engine, output_dir / "bank", as_of, currency.code, seed=seed)
    collections = run_demo_collections(engine, output_dir, as_of, currency, settings)
    return DemoOperations(
        credit_files=files,
        reviewed_customers=review.scores.height,
        approved_limits=approved,
        bank_statement=bank.statement,
        matching=bank.matched.as_dict(),
        collections=collections,
    )


def run_demo_collections(
    engine: Engine, output_dir: Path, as_of: date, currency: Currency, settings: Settings
) -> dict[str, Any]:
    """Run collections as user demo, with notices written to ``output_dir/outbox`` as files."""
    configured = load_collection_settings(settings)
    collection_settings = replace(
        configured,
        outbox_dir=output_dir / "outbox",
        mail=replace(configured.mail, transport=Transport.FILE),
    )
    return collections_walkthrough(engine, collection_settings, currency, as_of, user=DEMO_USER)


def approve_demo_limits(
    engine: Engine, statements: Path, as_of: date, currency: Currency, settings: CreditSettings
) -> int:
    """Approve the recommended limit of the first customers with financial statements, as user demo.

    A re-run on the same database adds nothing: the user and limits already stored are kept.
    """
    with engine.connect() as connection:
        has_user = connection.scalar(select(UserRow.id).where(UserRow.name == DEMO_USER)) is not None
        limited = set(
            connection.scalars(
                select(CustomerRow.code).join(CreditLimitRow, CreditLimitRow.customer_id == CustomerRow.id)
            )
        )
    if not has_user:
        add_user(engine, DEMO_USER, "credit_manager", None)
    codes = pl.read_csv(statements, columns=["customer_code"])["customer_code"].unique(maintain_order=True)
    approved = 0
    for code in codes.head(APPROVED_LIMITS).to_list():
        if code in limited:
            continue
        _, recommendation = recommend(engine, code, as_of, currency, settings)
        amount = recommendation.amount or Money.zero(currency)
        if amount.amount <= 0:
            continue
        approve_limit(engine, code, amount, "demo: recommended limit", DEMO_USER, as_of, currency, settings)
        approved += 1
    return approved
