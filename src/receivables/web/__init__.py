"""The web app of the finance team: server-rendered pages with Jinja2 and HTMX.

Owns the pages, their templates and static files (its own style sheet and a vendored copy of
htmx 2, never loaded from a CDN): sign-in, dashboard, customers, the collector's worklist,
notice review, match review and credit approvals. Every page checks its role with the service's
dependencies and calls the capability functions the CLI calls; no business rule lives here.

May import ``auth``, ``service``, ``api.errors`` and ``api.common`` (the one mapping of rule
errors to statuses, and the service's today), the capability packages (``credit``, ``dunning``,
``banking``, ``analytics``, ``reports``) and, when it is installed, ``prediction``. Must not
import the API's routes or the CLI.
"""

from receivables.web.routes import router

__all__ = ["router"]
