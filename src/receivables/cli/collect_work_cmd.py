"""``receivables collect task|dispute|promise ...``: the collector's daily work."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from receivables.cli.collect_cmd import collect_app
from receivables.cli.collect_common import (
    AsOfOption,
    FormatOption,
    OutputFormat,
    UserOption,
    collect_session,
    parse_amount,
    print_json,
    print_table,
)
from receivables.cli.options import fail, parse_day
from receivables.dunning.bulk import wait_for_writers
from receivables.dunning.disputes import list_disputes, open_dispute, resolve_dispute
from receivables.dunning.promises import cancel_promise, list_promises, record_promise
from receivables.dunning.tasks import (
    OutcomeDetails,
    TaskContext,
    add_task,
    complete_task,
    list_tasks,
)

task_app = typer.Typer(help="Phone calls, visits and hand-overs.", no_args_is_help=True)
dispute_app = typer.Typer(help="Disputes on open items.", no_args_is_help=True)
promise_app = typer.Typer(help="Promises to pay.", no_args_is_help=True)
collect_app.add_typer(task_app, name="task")
collect_app.add_typer(dispute_app, name="dispute")
collect_app.add_typer(promise_app, name="promise")


@task_app.command("list")
def task_list(
    ctx: typer.Context,
    status: Annotated[
        str, typer.Option(help="open, done or cancelled; 'all' for every task.")
    ] = "open",
    assignee: Annotated[str | None, typer.Option(help="Only this collector's tasks.")] = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """List tasks, the earliest due first."""
    with collect_session(ctx) as session:
        rows = list_tasks(session.engine, None if status == "all" else status, assignee)
    if output is OutputFormat.json:
        print_json(rows)
        return
    print_table(
        "Tasks",
        rows,
        ["id", "code", "kind", "status", "due_date", "assignee", "outcome", "next_action", "note"],
    )


@task_app.command("done")
def task_done(
    ctx: typer.Context,
    task: Annotated[int, typer.Argument(help="Task id.")],
    outcome: Annotated[
        str, typer.Option(help="reached, promise_to_pay, dispute, no_answer or wrong_contact.")
    ],
    note: Annotated[str | None, typer.Option(help="What was said or done.")] = None,
    promise_date: Annotated[
        str | None, typer.Option(help="promise_to_pay: the promised date.")
    ] = None,
    amount: Annotated[
        str | None,
        typer.Option(
            help="promise_to_pay: amount in the company currency; dispute: disputed amount."
        ),
    ] = None,
    document: Annotated[
        str | None, typer.Option(help="dispute: the invoice or debit note number.")
    ] = None,
    reason: Annotated[
        str | None,
        typer.Option(
            help="dispute: price, quantity, quality, not_received, duplicate, terms or other."
        ),
    ] = None,
    as_of: AsOfOption = None,
    user: UserOption = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Record the outcome of a call, visit or hand-over, and what follows from it."""
    day = parse_day(as_of)
    details = OutcomeDetails(
        note=note,
        promised_date=parse_day(promise_date, "--promise-date") if promise_date else None,
        amount=parse_amount(amount, "--amount"),
        document=document,
        reason=reason,
    )
    with collect_session(ctx) as session:
        settings = session.settings
        # NOTE: the grace days are the default policy's, not those of the customer's own policy.
        grace = settings.book.get(settings.book.default).promise_grace_days
        context = TaskContext(day, session.company, settings.task_retry_days, grace)
        result = complete_task(session.engine, task, outcome, context, details, user)
    if output is OutputFormat.json:
        print_json(result.__dict__)
        return
    Console().print(
        f"task {task}: {result.outcome}, next action {result.next_action}"
        + (f", follow-up task {result.follow_up_task}" if result.follow_up_task else "")
    )


@task_app.command("add")
def task_add(
    ctx: typer.Context,
    customer: Annotated[str, typer.Argument(help="Customer code.")],
    kind: Annotated[
        str, typer.Option(help="phone_call, visit, legal_handover or follow_up.")
    ] = "phone_call",
    due: Annotated[str | None, typer.Option(help="Due date, YYYY-MM-DD; default today.")] = None,
    assignee: Annotated[str | None, typer.Option(help="The collector who does it.")] = None,
    note: Annotated[str | None, typer.Option(help="What to do.")] = None,
    user: UserOption = None,
) -> None:
    """Add a task by hand."""
    with collect_session(ctx) as session:
        task_id = add_task(
            session.engine, customer, kind, parse_day(due, "--due"), assignee, user, note
        )
    Console().print(f"added task {task_id}")


@dispute_app.command("open")
def dispute_open(
    ctx: typer.Context,
    document: Annotated[str, typer.Argument(help="Invoice or debit note number.")],
    reason: Annotated[
        str, typer.Option(help="price, quantity, quality, not_received, duplicate, terms or other.")
    ],
    amount: Annotated[
        str | None,
        typer.Option(help="Disputed amount in the item's currency; default all that is open."),
    ] = None,
    owner: Annotated[
        str | None, typer.Option(help="Who sorts it out; default the acting user.")
    ] = None,
    note: Annotated[str | None, typer.Option(help="The customer's words.")] = None,
    as_of: AsOfOption = None,
    user: UserOption = None,
) -> None:
    """Open a dispute on an item; dunning pauses for that item."""
    day = parse_day(as_of)
    with collect_session(ctx) as session, session.engine.begin() as connection:
        wait_for_writers(connection)
        dispute_id = open_dispute(
            connection,
            document,
            reason,
            day,
            session.company,
            parse_amount(amount, "--amount"),
            owner,
            user,
            note,
        )
    Console().print(f"opened dispute {dispute_id} on {document}")


@dispute_app.command("resolve")
def dispute_resolve(
    ctx: typer.Context,
    dispute: Annotated[int, typer.Argument(help="Dispute id.")],
    resolution: Annotated[str, typer.Option("--by", help="credit_note, rejected or withdrawn.")],
    credit_note: Annotated[
        str | None, typer.Option(help="With --by credit_note: the credit note number.")
    ] = None,
    note: Annotated[str | None, typer.Option(help="How it was settled.")] = None,
    as_of: AsOfOption = None,
    user: UserOption = None,
) -> None:
    """Resolve a dispute; a rejected or withdrawn one is dunned again."""
    day = parse_day(as_of)
    with collect_session(ctx) as session, session.engine.begin() as connection:
        wait_for_writers(connection)
        resolve_dispute(connection, dispute, resolution, day, user, credit_note, note)
    Console().print(f"resolved dispute {dispute}: {resolution}")


@dispute_app.command("list")
def dispute_list(
    ctx: typer.Context,
    status: Annotated[str | None, typer.Option(help="open or resolved.")] = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """List disputes."""
    with collect_session(ctx) as session:
        rows = list_disputes(session.engine, status)
    if output is OutputFormat.json:
        print_json(rows)
        return
    print_table(
        "Disputes",
        rows,
        [
            "id",
            "customer_code",
            "document",
            "reason",
            "amount",
            "currency",
            "owner",
            "opened_on",
            "status",
            "resolution",
        ],
    )


@promise_app.command("add")
def promise_add(
    ctx: typer.Context,
    customer: Annotated[str, typer.Argument(help="Customer code.")],
    promised_date: Annotated[
        str, typer.Option("--date", help="The day the customer promised to pay by.")
    ],
    amount: Annotated[str, typer.Option(help="Promised amount in the company currency.")],
    items: Annotated[
        list[str] | None,
        typer.Option(
            "--item", help="Item number the promise covers; repeat; default all open items."
        ),
    ] = None,
    grace: Annotated[
        int | None, typer.Option(help="Days of grace after the date; default the policy's.", min=0)
    ] = None,
    note: Annotated[str | None, typer.Option(help="The customer's words.")] = None,
    as_of: AsOfOption = None,
    user: UserOption = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Record a promise to pay; dunning of its items pauses until the date plus grace."""
    day = parse_day(as_of)
    value = parse_amount(amount, "--amount")
    if value is None:
        fail("--amount is required", 2)
    with collect_session(ctx) as session, session.engine.begin() as connection:
        wait_for_writers(connection)
        book = session.settings.book
        grace_days = grace if grace is not None else book.get(book.default).promise_grace_days
        promise = record_promise(
            connection,
            customer,
            day,
            parse_day(promised_date, "--date"),
            value,
            session.company,
            grace_days,
            items,
            user,
            note,
        )
    values = {
        "id": promise.id,
        "customer_code": customer,
        "promised_date": promise.promised_date.isoformat(),
        "amount": str(promise.amount.amount),
        "currency": promise.amount.currency.code,
        "items": promise.covered,
    }
    if output is OutputFormat.json:
        print_json(values)
        return
    Console().print(
        f"recorded promise {promise.id}: {promise.amount} by {promise.promised_date} "
        f"for {', '.join(promise.covered)}"
    )


@promise_app.command("list")
def promise_list(
    ctx: typer.Context,
    state: Annotated[str | None, typer.Option(help="open, kept, broken or cancelled.")] = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """List promises to pay."""
    with collect_session(ctx) as session:
        rows = list_promises(session.engine, state)
    if output is OutputFormat.json:
        print_json(rows)
        return
    print_table(
        "Promises to pay",
        rows,
        [
            "id",
            "customer_code",
            "made_on",
            "promised_date",
            "amount",
            "currency",
            "state",
            "closed_on",
        ],
    )


@promise_app.command("cancel")
def promise_cancel(
    ctx: typer.Context,
    promise: Annotated[int, typer.Argument(help="Promise id.")],
    user: UserOption = None,
) -> None:
    """Cancel an open promise, such as one recorded by mistake."""
    with collect_session(ctx) as session, session.engine.begin() as connection:
        cancel_promise(connection, promise, user)
    Console().print(f"cancelled promise {promise}")
