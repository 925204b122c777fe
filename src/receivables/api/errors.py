"""How errors of the capability packages reach HTTP: the one place that maps them to statuses.

Routes never catch these errors; they raise through to the handler registered here, which
keeps their message (written for the person who sent the request):

- a missing customer, document, notice and the like (``LookupError``) is 404;
- a role that may not take the action (``PermissionError``) is 403;
- a state that does not allow the change (an invalid transition, a hold already released) is 409;
- any other broken rule (``ValueError``) is 422.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import Response

from receivables.auth.errors import AuthError
from receivables.banking.errors import ReviewStateError
from receivables.credit.errors import HoldStateError
from receivables.domain.dunning.errors import InvalidTransitionError
from receivables.domain.errors import ReceivablesError
from receivables.service.errors import ApiError

log = logging.getLogger(__name__)

CONFLICTS: tuple[type[Exception], ...] = (InvalidTransitionError, HoldStateError, ReviewStateError)


def api_error_of(error: Exception, field: str | None = None) -> ApiError:
    """The HTTP error for an error raised by a capability; ``field`` names the input at fault."""
    message = str(error)
    if isinstance(error, LookupError):
        return ApiError(404, "not_found", message, field)
    if isinstance(error, PermissionError):
        return ApiError(403, "forbidden", message)
    if isinstance(error, CONFLICTS):
        return ApiError(409, "conflict", message, field)
    return ApiError(422, "invalid_input", message, field)


def register_domain_errors(app: FastAPI) -> None:
    from receivables.service.app import error_response

    async def rule_broken(request: Request, error: Exception) -> Response:
        log.info("%s %s rejected: %s", request.method, request.url.path, error)
        return error_response(request, api_error_of(error))

    app.add_exception_handler(ReceivablesError, rule_broken)
    app.add_exception_handler(AuthError, rule_broken)
