"""The REST API: one router per capability, its schemas, pagination, idempotency and webhooks.

Routes parse the request, check the role, call the same functions the CLI calls and return a
schema; rules stay in the capability packages. Builds on ``receivables.auth`` and
``receivables.service``; must not import ``receivables.web``.
"""

from fastapi import APIRouter

from receivables.api import (
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

router = APIRouter()
for module in (session, customers, credit, collections, cases, reports, imports, erp, cash, webhooks, users):
    router.include_router(module.router)

__all__ = ["router"]
