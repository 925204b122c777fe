"""``receivables credit`` limit and hold commands, and ``receivables user``."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from receivables.cli.credit_cmd import (
    AsOfOption,
    FormatOption,
    OutputFormat,
    UserOption,
    credit_app,
    credit_session,
    parse_money,
    print_json,
    user_app,
)
from receivables.cli.credit_tables import print_rows
from receivables.cli.options import note_stale_ledger, parse_day
from receivables.credit.holds import place_hold, release_hold
from receivables.credit.limits import approve_limit, limit_history, recommend
from receivables.credit.serialize import hold_dict, limit_change_dict, recommendation_dict
from receivables.credit.users import add_user, list_users

ReasonOption = Annotated[
    str, typer.Option("--reason", help="Why, in a few words; kept in the audit trail.")
]


@credit_app.command("recommend")
def recommend_command(
    ctx: typer.Context,
    customer: Annotated[str, typer.Argument(help="Customer code.")],
    as_of: AsOfOption = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Recommend a credit limit by every method, and show the one that binds."""
    day = parse_day(as_of)
    with credit_session(ctx) as session:
        note_stale_ledger(session.context.engine, as_of, day)
        evaluation, recommendation = recommend(
            session.context.engine, customer, day, session.company, session.settings
        )
    values = recommendation_dict(evaluation, recommendation)
    if output is OutputFormat.json:
        print_json(values)
        return
    Console().print(
        f"{customer}, class {values['risk_class']}: recommended limit "
        f"{values['recommended_limit'] or 'none'} "
        f"(binding: {values['binding_method'] or 'no method applies'})"
    )
    print_rows("Limit methods", ["method", "amount", "basis"], values["methods"])


@credit_app.command("set-limit")
def set_limit_command(
    ctx: typer.Context,
    customer: Annotated[str, typer.Argument(help="Customer code.")],
    amount: Annotated[
        str, typer.Argument(help="The approved limit in the company currency, such as 50000.")
    ],
    reason: ReasonOption,
    review_date: Annotated[
        str | None,
        typer.Option(
            "--review-date", help="When to review the limit, YYYY-MM-DD; default by the risk class."
        ),
    ] = None,
    user: UserOption = None,
    as_of: AsOfOption = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Approve a customer's credit limit (credit manager or admin)."""
    day = parse_day(as_of)
    review = parse_day(review_date, "--review-date") if review_date else None
    with credit_session(ctx) as session:
        limit = parse_money(amount, session.company.code, "AMOUNT")
        change = approve_limit(
            session.context.engine,
            customer,
            limit,
            reason,
            user,
            day,
            session.company,
            session.settings,
            review,
        )
    values = limit_change_dict(change)
    if output is OutputFormat.json:
        print_json({"customer": customer, **values})
        return
    Console().print(
        f"limit of {customer} set to {values['amount']} {values['currency']} "
        f"by {values['approved_by']}, "
        f"review on {values['review_date']} (recommended {values['recommended'] or 'none'})"
    )


@credit_app.command("limits")
def limits_command(
    ctx: typer.Context,
    customer: Annotated[str, typer.Argument(help="Customer code.")],
    output: FormatOption = OutputFormat.table,
) -> None:
    """Show every approval of a customer's limit, oldest first."""
    with credit_session(ctx, need_currency=False) as session:
        history = [
            limit_change_dict(change) for change in limit_history(session.context.engine, customer)
        ]
    if output is OutputFormat.json:
        print_json({"customer": customer, "history": history})
        return
    columns = [
        "effective_date",
        "amount",
        "currency",
        "review_date",
        "approved_by",
        "reason",
        "recommended",
    ]
    print_rows(f"Limit history of {customer}", columns, history)


@credit_app.command("hold")
def hold_command(
    ctx: typer.Context,
    customer: Annotated[str, typer.Argument(help="Customer code.")],
    reason: ReasonOption,
    user: UserOption = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Put a customer on credit hold: its orders are held until the hold is released."""
    with credit_session(ctx, need_currency=False) as session:
        hold = place_hold(session.context.engine, customer, reason, user)
    if output is OutputFormat.json:
        print_json(hold_dict(hold))
        return
    Console().print(f"{customer} is on hold, placed by {hold.placed_by}: {hold.reason}")


@credit_app.command("release")
def release_command(
    ctx: typer.Context,
    customer: Annotated[str, typer.Argument(help="Customer code.")],
    reason: ReasonOption,
    user: UserOption = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Release a customer's credit hold (credit manager or admin)."""
    with credit_session(ctx, need_currency=False) as session:
        hold = release_hold(session.context.engine, customer, reason, user)
    if output is OutputFormat.json:
        print_json(hold_dict(hold))
        return
    Console().print(f"hold on {customer} released by {hold.released_by}: {hold.release_reason}")


@user_app.command("add")
def user_add_command(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="User name, such as j.doe.")],
    role: Annotated[
        str,
        typer.Option(help="admin, finance_manager, credit_manager, collector, sales or viewer."),
    ],
    user: UserOption = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Add a user; once an admin exists, only an admin (--user) may add users."""
    with credit_session(ctx, need_currency=False) as session:
        added = add_user(session.context.engine, name, role, user)
    if output is OutputFormat.json:
        print_json({"name": added.name, "role": added.role.value})
        return
    Console().print(f"user {added.name} added with role {added.role.value}")


@user_app.command("list")
def user_list_command(ctx: typer.Context, output: FormatOption = OutputFormat.table) -> None:
    """List the users and their roles."""
    with credit_session(ctx, need_currency=False) as session:
        users = [
            {"name": user.name, "role": user.role.value}
            for user in list_users(session.context.engine)
        ]
    if output is OutputFormat.json:
        print_json(users)
        return
    print_rows("Users", ["name", "role"], users)
