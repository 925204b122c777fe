"""``receivables serve``, and the sign-in commands: passwords, disabling users, API tokens."""

from __future__ import annotations

import ipaddress
import json
import logging
import os
import sys
from datetime import timedelta
from typing import Annotated

import typer
import uvicorn
from rich.console import Console
from sqlalchemy import Engine

from receivables.auth import create_token, disable_user, list_tokens, revoke_token, set_password
from receivables.auth.errors import AuthError
from receivables.cli.credit_cmd import user_app
from receivables.cli.main import app, database_option
from receivables.cli.options import fail, note_stale_ledger
from receivables.config import ConfigError
from receivables.domain.errors import ReceivablesError
from receivables.service.settings import load_service_settings
from receivables.services.context import today
from receivables.storage.database import connect

log = logging.getLogger(__name__)

WORKER_START_SECONDS = 120
token_app = typer.Typer(help="API tokens for integrations such as the ERP.", no_args_is_help=True)
app.add_typer(token_app, name="token")


def _engine(ctx: typer.Context) -> Engine:
    try:
        return connect(database_option(ctx) or load_service_settings().database_url)
    except ConfigError as error:
        fail(str(error))


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@app.command("serve")
def serve_command(
    ctx: typer.Context,
    host: Annotated[str | None, typer.Option(help="Address to listen on; default 127.0.0.1.")] = None,
    port: Annotated[int | None, typer.Option(help="TCP port; default 8000.", min=0, max=65535)] = None,
    workers: Annotated[int | None, typer.Option(help="Worker processes; default 1.", min=1, max=64)] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="A fixed today, YYYY-MM-DD, such as a demo's last day.")
    ] = None,
) -> None:
    """Serve the REST API under /api and the web app at / with uvicorn."""
    overrides = {
        "RECEIVABLES_DATABASE_URL": database_option(ctx),
        "RECEIVABLES_HOST": host,
        "RECEIVABLES_PORT": None if port is None else str(port),
        "RECEIVABLES_WORKERS": None if workers is None else str(workers),
        "RECEIVABLES_AS_OF": as_of,
    }
    for name, value in overrides.items():
        if value is not None:
            os.environ[name] = value
    try:
        settings = load_service_settings()
        engine = connect(settings.database_url)
    except (ConfigError, ReceivablesError) as error:
        fail(str(error))
    try:
        # RECEIVABLES_AS_OF fixes the service's today just as --as-of does, so either one stops the note.
        fixed_day = None if settings.as_of is None else settings.as_of.isoformat()
        note_stale_ledger(engine, fixed_day, today())
    finally:
        engine.dispose()
    if not _is_loopback(settings.host) and not (settings.secure_cookies or settings.behind_proxy):
        Console(stderr=True).print(
            f"[yellow]warning:[/yellow] listening on {settings.host} without HTTPS: put the service "
            "behind an HTTPS proxy and set RECEIVABLES_BEHIND_PROXY=true (see docs/service.md)"
        )
    Console(stderr=True).print(f"serving on http://{settings.host}:{settings.port}/ (API at /api/docs)")
    uvicorn.run(
        "receivables.service.asgi:build",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        proxy_headers=settings.behind_proxy,
        forwarded_allow_ips=settings.forwarded_allow_ips if settings.behind_proxy else None,
        log_level="info",
        # A worker that loads the application slowly (a busy machine) must not be killed as hung.
        timeout_worker_healthcheck=WORKER_START_SECONDS,
    )


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password: str = typer.prompt("New password", hide_input=True, confirmation_prompt=True)
    return password


@user_app.command("set-password")
def set_password_command(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="User name.")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from the first line of stdin.")
    ] = False,
) -> None:
    """Set a user's password for the web app (at least 10 characters); ends their sessions."""
    password = _read_password(password_stdin)
    engine = _engine(ctx)
    try:
        set_password(engine, name, password)
    except (AuthError, ReceivablesError) as error:
        fail(str(error))
    finally:
        engine.dispose()
    Console().print(f"password of {name} set; {name} can sign in")


@user_app.command("disable")
def disable_command(ctx: typer.Context, name: Annotated[str, typer.Argument(help="User name.")]) -> None:
    """Stop a user from signing in and using API tokens; their history stays."""
    engine = _engine(ctx)
    try:
        disable_user(engine, name)
    except ReceivablesError as error:
        fail(str(error))
    finally:
        engine.dispose()
    Console().print(f"{name} is disabled")


@token_app.command("create")
def token_create_command(
    ctx: typer.Context,
    user: Annotated[str, typer.Argument(help="The user the token acts as, with that user's role.")],
    label: Annotated[str, typer.Option(help="What the token is for, such as erp-sync.")],
    days: Annotated[int | None, typer.Option(help="Days until it expires; default never.", min=1)] = None,
) -> None:
    """Create an API token and print it once; store it in the integration's secret store."""
    engine = _engine(ctx)
    try:
        secret, token = create_token(engine, user, label, timedelta(days=days) if days else None)
    except (ValueError, ReceivablesError) as error:
        fail(str(error))
    finally:
        engine.dispose()
    Console(stderr=True).print(f"token {token.id} for {user} ({label}); it is shown only now:")
    typer.echo(secret)


@token_app.command("list")
def token_list_command(
    ctx: typer.Context, user: Annotated[str | None, typer.Option(help="Only this user's tokens.")] = None
) -> None:
    """List API tokens as JSON, newest first; the tokens themselves are never shown again."""
    engine = _engine(ctx)
    try:
        tokens = list_tokens(engine, user)
    finally:
        engine.dispose()
    rows = [
        {
            "id": token.id,
            "user": token.user_name,
            "label": token.label,
            "prefix": token.prefix,
            "created_at": token.created_at.isoformat(),
            "expires_at": token.expires_at.isoformat() if token.expires_at else None,
            "last_used_at": token.last_used_at.isoformat() if token.last_used_at else None,
            "revoked_at": token.revoked_at.isoformat() if token.revoked_at else None,
        }
        for token in tokens
    ]
    typer.echo(json.dumps(rows, indent=2))


@token_app.command("revoke")
def token_revoke_command(
    ctx: typer.Context, token_id: Annotated[int, typer.Argument(help="Token id.")]
) -> None:
    """Revoke an API token at once."""
    engine = _engine(ctx)
    try:
        revoke_token(engine, token_id)
    except AuthError as error:
        fail(str(error))
    finally:
        engine.dispose()
    Console().print(f"token {token_id} revoked")
