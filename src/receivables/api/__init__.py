"""The REST API: one router per capability, its schemas, pagination, idempotency and webhooks.

Routes parse the request, check the role, call the same functions the CLI calls and return a
schema; rules stay in the capability packages. Builds on ``receivables.auth`` and
``receivables.service``; must not import ``receivables.web``.
"""

from fastapi import APIRouter, Depends

from receivables.api import (
    advice,
    cases,
    cash,
    collections,
    credit,
    customers,
    erp,
    imports,
    reports,
    session,
    users,
    webhooks,
)
from receivables.service.dependencies import csrf_if_signed_in

# Requests signed in by the session cookie must carry the session's CSRF token to change anything.
router = APIRouter(dependencies=[Depends(csrf_if_signed_in)])
for module in (
    session,
    customers,
    credit,
    collections,
    cases,
    reports,
    advice,
    imports,
    erp,
    cash,
    webhooks,
    users,
):
    router.include_router(module.router)

__all__ = ["router"]
