"""``receivables credit``: evaluate customers, check orders, set limits and holds, run reviews.

Every command has ``--format json``. Exit codes: 0 when the command did its work (an order check
that holds the order included); 1 when it could not (an unknown customer, a missing rate, a
denied role, an invalid config); 2 for an invalid option value.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from receivables.cli.credit_tables import print_check, print_evaluation
from receivables.cli.main import app, database_option
from receivables.cli.options import fail, note_stale_ledger, parse_day
from receivables.config import ConfigError, load_settings
from receivables.credit.check import check_customer_order
from receivables.credit.config import load_credit_settings
from receivables.credit.errors import NoCompanyCurrencyError
from receivables.credit.evaluation import evaluate_customer
from receivables.credit.imports import CreditRecordType, import_credit_files
from receivables.credit.reading import CreditFileError
from receivables.credit.serialize import check_dict, evaluation_dict
from receivables.domain.credit.settings import CreditSettings
from receivables.domain.errors import ReceivablesError
from receivables.domain.money import Currency, Money
from receivables.services.context import AppContext

credit_app = typer.Typer(
    help="Credit management: scores, limits, order checks, holds and reviews.", no_args_is_help=True
)
app.add_typer(credit_app, name="credit")
user_app = typer.Typer(help="Users and their roles.", no_args_is_help=True)
app.add_typer(user_app, name="user")


class OutputFormat(StrEnum):
    table = "table"
    json = "json"


FormatOption = Annotated[
    OutputFormat, typer.Option("--format", help="Output as tables or as JSON.")
]
AsOfOption = Annotated[
    str | None, typer.Option("--as-of", help="Date of the evaluation, YYYY-MM-DD; default today.")
]
UserOption = Annotated[
    str | None,
    typer.Option(
        "--user", envvar="RECEIVABLES_USER", help="Name of the user who acts; or RECEIVABLES_USER."
    ),
]


def parse_money(amount: str, currency: str, what: str) -> Money:
    try:
        money = Money.of(amount, currency)
        return Money.from_minor(money.minor_units(), money.currency)
    except ReceivablesError as error:
        fail(f"{what}: {error}", 2)


def print_json(values: Any) -> None:
    typer.echo(json.dumps(values, indent=2, ensure_ascii=False, default=str))


@dataclass
class CreditSession:
    """An open database with the credit settings and the company currency."""

    context: AppContext
    settings: CreditSettings
    company: Currency


@contextmanager
def credit_session(ctx: typer.Context, need_currency: bool = True) -> Iterator[CreditSession]:
    """Open the database and settings; turn every credit error into a message and exit code 1."""
    try:
        settings = load_settings()
        credit = load_credit_settings(settings)
    except (ConfigError, ReceivablesError) as error:
        fail(str(error))
    context = AppContext.open(database_option(ctx), settings)
    try:
        company = context.company_currency()
        if company is None and need_currency:
            raise NoCompanyCurrencyError()
        yield CreditSession(context, credit, company or Currency.of("EUR"))
    except ReceivablesError as error:
        fail(str(error))
    finally:
        context.close()


@credit_app.command("import")
def import_command(
    ctx: typer.Context,
    files: Annotated[
        list[Path], typer.Argument(help="CSV or XLSX files: statements, bureau, orders, sales.")
    ],
    record_type: Annotated[
        CreditRecordType | None,
        typer.Option("--type", help="Record type of every file; default from the header."),
    ] = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Import financial statements, bureau records, open orders or sales figures."""
    with credit_session(ctx, need_currency=False) as session:
        company = session.context.company_currency()
        try:
            reports = import_credit_files(
                session.context.engine, files, session.settings, company, record_type
            )
        except CreditFileError as error:
            fail(str(error))
    if output is OutputFormat.json:
        print_json(
            [
                {
                    "file": r.file,
                    "record_type": r.record_type,
                    "rows_read": r.rows_read,
                    "records_written": r.rows_written,
                    "rows_rejected": r.rows_rejected,
                    "problems": [
                        {"row": p.row, "column": p.column, "value": p.value, "reason": p.reason}
                        for p in r.problems
                    ],
                }
                for r in reports
            ]
        )
        return
    console = Console()
    for report in reports:
        console.print(
            f"{report.file} ({report.record_type}): {report.rows_read} rows read, "
            f"{report.rows_written} records written, {report.rows_rejected} rows rejected"
        )
        for problem in report.problems:
            console.print(f"  {problem}", highlight=False)


@credit_app.command("score")
def score_command(
    ctx: typer.Context,
    customer: Annotated[str, typer.Argument(help="Customer code.")],
    as_of: AsOfOption = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Evaluate a customer: the score, risk class and the factors that moved it."""
    day = parse_day(as_of)
    with credit_session(ctx) as session, session.context.engine.connect() as connection:
        note_stale_ledger(session.context.engine, as_of, day)
        evaluation = evaluate_customer(connection, customer, day, session.company, session.settings)
    values = evaluation_dict(evaluation)
    if output is OutputFormat.json:
        print_json(values)
        return
    print_evaluation(values)


@credit_app.command("check")
def check_command(
    ctx: typer.Context,
    customer: Annotated[str, typer.Argument(help="Customer code.")],
    amount: Annotated[str, typer.Argument(help="Amount of the new order, such as 12500.00.")],
    currency: Annotated[
        str | None, typer.Option(help="Currency of the amount; default the company currency.")
    ] = None,
    rate: Annotated[
        str | None,
        typer.Option(
            help="Company-currency units per unit of --currency; default the latest stored rate."
        ),
    ] = None,
    as_of: AsOfOption = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Decide whether a new order may go ahead on credit: approve or hold, with the reasons."""
    day = parse_day(as_of)
    given_rate = None
    if rate is not None:
        try:
            given_rate = Decimal(rate)
        except ArithmeticError:
            fail(f"--rate {rate!r} is not a number", 2)
        if not given_rate.is_finite() or given_rate <= 0:
            fail(f"--rate {rate!r} must be a positive number", 2)
    with credit_session(ctx) as session, session.context.engine.connect() as connection:
        order = parse_money(amount, currency or session.company.code, "AMOUNT")
        if order.amount <= 0:
            fail(f"AMOUNT {amount} must be positive", 2)
        note_stale_ledger(session.context.engine, as_of, day)
        check = check_customer_order(
            connection, customer, order, day, session.company, session.settings.policy, given_rate
        )
    values = check_dict(check)
    if output is OutputFormat.json:
        print_json(values)
        return
    print_check(values)


# The other credit commands register themselves on the same apps.
from receivables.cli import credit_bench_cmd, credit_limit_cmd, credit_review_cmd  # noqa: E402, F401
