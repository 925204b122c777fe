"""The application factory uvicorn imports in each worker process (``--factory``).

Settings come from the environment and the config file, which ``receivables serve`` fills in
before it starts uvicorn, so every worker builds the same application.
"""

from __future__ import annotations

from fastapi import FastAPI

from receivables.service.app import create_app
from receivables.service.settings import load_service_settings


def build() -> FastAPI:
    return create_app(load_service_settings())
