"""``receivables collect``: dunning runs, notices, tasks, disputes, promises and the worklist.

Every listing has ``--format json``. Exit codes: 0 when the command did its work (a run that
reports problems included: they are in its output); 1 when it could not (an unknown customer, a
denied role, an invalid config); 2 for an invalid option value.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from receivables.cli.collect_common import (
    AsOfOption,
    FormatOption,
    OutputFormat,
    UserOption,
    collect_session,
    print_json,
    print_table,
)
from receivables.cli.main import app
from receivables.cli.options import fail, note_stale_ledger, parse_day
from receivables.dunning.audit import read_log
from receivables.dunning.contacts import import_contacts
from receivables.dunning.delivery import deliver_pending
from receivables.dunning.overrides import set_override
from receivables.dunning.run import run_dunning
from receivables.dunning.worklist import build_worklist

collect_app = typer.Typer(
    help="Collections: dunning runs, notices, tasks, disputes, promises and the worklist.",
    no_args_is_help=True,
)
app.add_typer(collect_app, name="collect")


def _print_run(values: dict[str, Any]) -> None:
    console = Console()
    notices = values["notices"]
    console.print(
        f"Dunning run {values['run_id']} as of {values['as_of']}: "
        f"{values['customers_with_open_items']} customers with {values['open_items']} open items; "
        f"{notices['planned']} notices planned ({notices['drafts_to_review']} drafts to review), "
        f"{notices['already_planned']} already planned, {values['tasks_created']} tasks created."
    )
    for key in ("by_level", "by_channel"):
        if notices[key]:
            console.print(
                f"  {key.replace('_', ' ')}: "
                + ", ".join(f"{k} {v}" for k, v in notices[key].items())
            )
    if values["delivery"]:
        delivery = values["delivery"]
        console.print(f"  delivered {delivery['sent']}, failed {delivery['failed']}")
    for problem in values["problems"]:
        console.print(
            f"  problem: {problem['customer_code']}, {problem['subject']}: {problem['reason']}",
            highlight=False,
        )


@collect_app.command("run")
def run_command(
    ctx: typer.Context,
    as_of: AsOfOption = None,
    send: Annotated[
        bool, typer.Option("--send/--no-send", help="Deliver approved notices after planning.")
    ] = True,
    user: UserOption = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Plan the dunning notices of a day and deliver the approved ones."""
    day = parse_day(as_of)
    with collect_session(ctx) as session:
        note_stale_ledger(session.engine, as_of, day)
        report = run_dunning(session.engine, session.settings, session.company, day, user, send)
    values = report.to_dict()
    if output is OutputFormat.json:
        print_json(values)
    else:
        _print_run(values)


@collect_app.command("send")
def send_command(
    ctx: typer.Context,
    channel: Annotated[str | None, typer.Option(help="Only email or only letter notices.")] = None,
    limit: Annotated[int | None, typer.Option(help="At most this many notices.", min=1)] = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Deliver the approved notices waiting in the outbox."""
    if channel not in (None, "email", "letter"):
        fail(f"--channel {channel!r} is unknown; use email or letter", 2)
    with collect_session(ctx) as session:
        report = deliver_pending(session.engine, session.settings, limit, channel)
    values = {**report.to_dict(), "problems": [problem.to_dict() for problem in report.problems]}
    if output is OutputFormat.json:
        print_json(values)
        return
    Console().print(f"delivered {values['sent']}, failed {values['failed']}")
    for problem in report.problems:
        Console().print(f"  problem: {problem}", highlight=False)


@collect_app.command("worklist")
def worklist_command(
    ctx: typer.Context,
    as_of: AsOfOption = None,
    collector: Annotated[
        str | None, typer.Option(help="Only the customers of this collector.")
    ] = None,
    limit: Annotated[int | None, typer.Option(help="At most this many rows.", min=1)] = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """List the customers to act on, highest value at risk first, with the next best action."""
    day = parse_day(as_of)
    with collect_session(ctx) as session:
        note_stale_ledger(session.engine, as_of, day)
        rows = build_worklist(session.engine, session.settings, session.company, day, collector)
    rows = rows[:limit] if limit else rows
    if output is OutputFormat.json:
        print_json({"as_of": day.isoformat(), "currency": session.company.code, "rows": rows})
        return
    columns = [
        "customer_code",
        "overdue",
        "oldest_days_past_due",
        "risk_class",
        "value_at_risk",
        "next_action",
        "assigned_collector",
        "open_tasks",
        "drafts_to_review",
    ]
    print_table(f"Worklist as of {day}, {session.company.code}", rows, columns)


@collect_app.command("contacts")
def contacts_command(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            help="CSV file of contact data, one row per customer.", exists=True, dir_okay=False
        ),
    ],
    skip_invalid: Annotated[
        bool,
        typer.Option("--skip-invalid", help="Write the valid rows even if others have problems."),
    ] = False,
    user: UserOption = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Import customer contact data: email, phone, language and postal address."""
    with collect_session(ctx) as session:
        result = import_contacts(session.engine, file, skip_invalid, user)
    problems = [problem.__dict__ for problem in result.problems]
    if output is OutputFormat.json:
        print_json(
            {
                "file": file.name,
                "rows": result.rows,
                "written": result.written,
                "problems": problems,
            }
        )
    else:
        Console().print(f"{file.name}: {result.rows} rows read, {result.written} written")
        if problems:
            print_table("Problems", problems, ["row", "column", "value", "reason"])
    if result.problems and not skip_invalid:
        fail(f"nothing was written: {len(problems)} problems; fix them or use --skip-invalid")


@collect_app.command("override")
def override_command(
    ctx: typer.Context,
    customer: Annotated[str, typer.Argument(help="Customer code.")],
    policy: Annotated[
        str | None, typer.Option(help="Dunning policy of this customer; '' clears it.")
    ] = None,
    hold_until: Annotated[
        str | None, typer.Option(help="No notices up to this date, YYYY-MM-DD; '' clears it.")
    ] = None,
    reason: Annotated[str | None, typer.Option(help="Why the customer is on hold.")] = None,
    collector: Annotated[
        str | None, typer.Option(help="The collector of this customer; '' clears it.")
    ] = None,
    user: UserOption = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Set a customer's own dunning policy, a dunning hold or its collector."""
    changes: dict[str, Any] = {}
    for key, value in (("policy", policy), ("hold_reason", reason), ("collector", collector)):
        if value is not None:
            changes[key] = value or None
    if hold_until is not None:
        changes["hold_until"] = parse_day(hold_until, "--hold-until") if hold_until else None
    if not changes:
        fail("nothing to change: give --policy, --hold-until, --reason or --collector", 2)
    with collect_session(ctx) as session:
        after = set_override(session.engine, session.settings.book, customer, changes, user)
    if output is OutputFormat.json:
        print_json({"customer_code": customer, **after})
    else:
        Console().print(
            f"{customer}: " + ", ".join(f"{key} {value}" for key, value in after.items())
        )


@collect_app.command("policies")
def policies_command(ctx: typer.Context, output: FormatOption = OutputFormat.table) -> None:
    """Show the dunning policies, their levels and which customers follow which."""
    with collect_session(ctx) as session:
        book = session.settings.book
    values: dict[str, Any] = {
        "default": book.default,
        "by_risk_class": dict(book.by_risk_class),
        "by_segment": dict(book.by_segment),
        "policies": {
            name: [
                {
                    "level": number,
                    "name": level.name,
                    "days": level.days,
                    "channel": level.channel.value,
                    "template": level.template,
                    "fee": str(level.fee),
                    "minimum_amount": str(level.minimum_amount),
                    "wait_days": level.wait_days,
                    "role": level.role.value,
                    "dispatch": level.dispatch.value,
                }
                for number, level in enumerate(policy.levels, start=1)
            ]
            for name, policy in book.policies.items()
        },
    }
    if output is OutputFormat.json:
        print_json(values)
        return
    for name, levels in values["policies"].items():
        print_table(f"Policy {name}", levels, list(levels[0]))


@collect_app.command("audit")
def audit_command(
    ctx: typer.Context,
    customer: Annotated[str | None, typer.Option(help="Only the events of this customer.")] = None,
    limit: Annotated[
        int, typer.Option(help="At most this many events, newest first.", min=1)
    ] = 100,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Show the collections audit log: who did what, when."""
    with collect_session(ctx) as session:
        events = read_log(session.engine, customer, limit)
    if output is OutputFormat.json:
        print_json(events)
        return
    print_table(
        "Audit log", events, ["id", "at", "user", "action", "customer_code", "notice_id", "detail"]
    )


# Each module below adds its commands to ``collect_app`` on import.
from receivables.cli import (  # noqa: E402, F401
    collect_bench_cmd,
    collect_docs_cmd,
    collect_review_cmd,
    collect_work_cmd,
)
