"""The HTTP service: the FastAPI application, its settings and the dependencies routes share.

``create_app`` mounts the REST API (``receivables.api``) under ``/api`` and the web app's router
(``receivables.web``) at ``/`` when that package is installed. Builds on ``receivables.auth``;
must not hold business rules, which stay in the capability packages the routes call.
"""

from receivables.service.app import create_app
from receivables.service.settings import ServiceSettings, load_service_settings

__all__ = ["ServiceSettings", "create_app", "load_service_settings"]
