"""Who is acting: passwords, browser sessions, API tokens, role checks and the audit of requests.

Owns ``user_passwords``, ``browser_sessions``, ``api_tokens`` and ``service_audit``. Users and
their one role stay in the ``users`` table of credit management (``receivables.credit.users``).
Builds on storage and the role enum of the domain; must not import FastAPI, Typer, the API or
the web app, so the CLI, the API and the web app share it.
"""

from receivables.auth.access import Access, roles_for
from receivables.auth.audit import record_action
from receivables.auth.errors import AuthError, InvalidPasswordError, UnknownTokenError
from receivables.auth.passwords import (
    authenticate,
    disable_user,
    hash_password,
    set_password,
    verify_password,
)
from receivables.auth.principal import Principal, find_principal
from receivables.auth.sessions import (
    BrowserSession,
    create_session,
    end_session,
    end_user_sessions,
    session_principal,
)
from receivables.auth.tokens import ApiToken, create_token, list_tokens, revoke_token, token_principal

__all__ = [
    "Access",
    "ApiToken",
    "AuthError",
    "BrowserSession",
    "InvalidPasswordError",
    "Principal",
    "UnknownTokenError",
    "authenticate",
    "create_session",
    "create_token",
    "disable_user",
    "end_session",
    "end_user_sessions",
    "find_principal",
    "hash_password",
    "list_tokens",
    "record_action",
    "revoke_token",
    "roles_for",
    "session_principal",
    "set_password",
    "token_principal",
    "verify_password",
]
