"""``receivables collect notice ...``: list, preview, approve, skip and edit notices."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from receivables.cli.collect_cmd import collect_app
from receivables.cli.collect_common import (
    FormatOption,
    OutputFormat,
    UserOption,
    collect_session,
    print_json,
    print_table,
)
from receivables.cli.options import fail
from receivables.dunning.delivery import Sender
from receivables.dunning.notice_view import load_views
from receivables.dunning.outbox import resolve_delivery
from receivables.dunning.pdf import html_to_pdf
from receivables.dunning.review import approve, draft_ids, edit, list_notices, skip

notice_app = typer.Typer(
    help="Dunning notices: list, preview, approve, skip, edit.", no_args_is_help=True
)
collect_app.add_typer(notice_app, name="notice")

NoticeArgument = Annotated[int, typer.Argument(help="Notice id, as 'collect notice list' shows.")]


@notice_app.command("list")
def list_command(
    ctx: typer.Context,
    status: Annotated[str | None, typer.Option(help="draft, approved or skipped.")] = None,
    delivery: Annotated[
        str | None, typer.Option(help="pending, sending, sent, failed or unconfirmed.")
    ] = None,
    customer: Annotated[str | None, typer.Option(help="Customer code.")] = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """List notices with their review status and delivery state."""
    with collect_session(ctx) as session:
        rows = list_notices(session.engine, status, customer, delivery)
    if output is OutputFormat.json:
        print_json(rows)
        return
    columns = [
        "id",
        "customer_code",
        "notice_date",
        "level_name",
        "channel",
        "status",
        "delivery",
        "items",
        "total",
        "fee",
        "recipient",
    ]
    print_table("Notices", rows, columns)


@notice_app.command("show")
def show_command(
    ctx: typer.Context,
    notice: NoticeArgument,
    html: Annotated[
        bool, typer.Option("--html", help="Print the HTML part instead of the text.")
    ] = False,
) -> None:
    """Render a notice as its recipient will see it, without sending it."""
    with collect_session(ctx) as session:
        views = load_views(session.engine, [notice])
        if notice not in views:
            fail(f"notice {notice} not found")
        if views[notice].channel not in ("email", "letter"):
            fail(f"notice {notice} is a {views[notice].channel} task and has no message to show")
        rendered = Sender(session.engine, session.settings).render(views[notice])
    typer.echo(f"Subject: {rendered.subject}\nLanguage: {rendered.language}\n")
    typer.echo(rendered.html if html else rendered.text)


@notice_app.command("letter")
def letter_command(
    ctx: typer.Context,
    notice: NoticeArgument,
    out: Annotated[Path, typer.Option(help="PDF file to write.")],
) -> None:
    """Write a notice as a PDF letter, whatever its channel, for printing or a preview."""
    with collect_session(ctx) as session:
        views = load_views(session.engine, [notice])
        if notice not in views:
            fail(f"notice {notice} not found")
        view = views[notice]
        sender = Sender(session.engine, session.settings)
        letter = replace(view, channel="letter")
        rendered = sender.render(letter)
    out.write_bytes(html_to_pdf(rendered.html))
    Console().print(f"wrote {out}")


@notice_app.command("approve")
def approve_command(
    ctx: typer.Context,
    notices: Annotated[
        list[int] | None, typer.Argument(help="Notice ids; none with --all.")
    ] = None,
    all_drafts: Annotated[bool, typer.Option("--all", help="Approve every draft.")] = False,
    customer: Annotated[
        str | None, typer.Option(help="With --all: only this customer's drafts.")
    ] = None,
    user: UserOption = None,
) -> None:
    """Approve drafts, so the next 'collect send' or run delivers them."""
    with collect_session(ctx) as session:
        ids = draft_ids(session.engine, customer) if all_drafts else list(notices or [])
        if not ids:
            fail("no notice to approve: give notice ids or --all", 2)
        approve(session.engine, ids, user)
    Console().print(f"approved {len(ids)} notices: {', '.join(map(str, ids))}")


@notice_app.command("skip")
def skip_command(
    ctx: typer.Context,
    notice: NoticeArgument,
    reason: Annotated[str, typer.Option(help="Why the notice is not sent.")],
    user: UserOption = None,
) -> None:
    """Skip a draft: it is not sent and counts as handled at its level."""
    with collect_session(ctx) as session:
        skip(session.engine, notice, user, reason)
    Console().print(f"skipped notice {notice}")


@notice_app.command("edit")
def edit_command(
    ctx: typer.Context,
    notice: NoticeArgument,
    subject: Annotated[
        str | None, typer.Option(help="A subject instead of the template's.")
    ] = None,
    message: Annotated[
        str | None,
        typer.Option(
            help="Opening text instead of the template's; blank lines separate paragraphs."
        ),
    ] = None,
    channel: Annotated[str | None, typer.Option(help="email or letter.")] = None,
    user: UserOption = None,
) -> None:
    """Edit a draft's subject, opening text or channel."""
    with collect_session(ctx) as session:
        edit(session.engine, notice, user, subject, message, channel)
    Console().print(f"edited notice {notice}")


@notice_app.command("resolve")
def resolve_command(
    ctx: typer.Context,
    notice: NoticeArgument,
    outcome: Annotated[
        str, typer.Option(help="'sent' if it went out, 'resend' to deliver it again.")
    ],
    user: UserOption = None,
) -> None:
    """Settle an unconfirmed or failed delivery."""
    with collect_session(ctx) as session:
        state = resolve_delivery(session.engine, notice, outcome, user)
    Console().print(f"delivery of notice {notice} is now {state}")
