"""The web app's router: every page of the finance team, gathered for ``create_app``."""

from __future__ import annotations

from fastapi import APIRouter

from receivables.web import credit_pages, customers, dashboard, matches, notices, session_pages, worklist
from receivables.web.guard import PageRoute

router = APIRouter(route_class=PageRoute)
for part in (session_pages, dashboard, customers, worklist, notices, matches, credit_pages):
    router.include_router(part.router)
