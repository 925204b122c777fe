"""Loading of the credit settings: the shipped defaults, then the config file, then an override.

Three layers, each merged key by key into the one before (a table overrides only the keys it
names):

1. ``defaults.toml`` next to this module;
2. the ``[credit]`` table of the config file (``RECEIVABLES_CONFIG`` or ``receivables.toml``);
3. the ``[credit]`` table of the TOML file named by ``RECEIVABLES_CREDIT_CONFIG``.

Files are read with ``parse_float=Decimal`` so thresholds stay exact.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from receivables.config import Settings
from receivables.domain.credit.errors import CreditConfigError
from receivables.domain.credit.settings import CreditSettings, parse_credit_settings

CREDIT_CONFIG_VARIABLE = "RECEIVABLES_CREDIT_CONFIG"


def _read_toml(text: str, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as error:
        raise CreditConfigError(source, f"is not valid TOML: {error}") from error


def merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` with ``override`` merged in: tables key by key, other values replaced."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = value
    return merged


@lru_cache(maxsize=1)
def default_table() -> dict[str, Any]:
    """The ``[credit]`` table of the shipped defaults."""
    text = (
        resources.files("receivables.credit").joinpath("defaults.toml").read_text(encoding="utf-8")
    )
    return dict(_read_toml(text, "defaults.toml")["credit"])


def _credit_table(path: Path) -> Mapping[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise CreditConfigError(str(path), f"cannot be read: {error}") from error
    table = _read_toml(text, str(path)).get("credit", {})
    if not isinstance(table, Mapping):
        raise CreditConfigError(f"{path} [credit]", "must be a table")
    return table


def credit_table(
    settings: Settings | None = None, environ: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """The merged ``[credit]`` table of the three layers."""
    env = os.environ if environ is None else environ
    table = default_table()
    if settings is not None and settings.config_file is not None:
        table = merge(table, _credit_table(settings.config_file))
    override = env.get(CREDIT_CONFIG_VARIABLE)
    if override:
        path = Path(override)
        if not path.is_file():
            raise CreditConfigError(CREDIT_CONFIG_VARIABLE, f"file {path} not found")
        table = merge(table, _credit_table(path))
    return table


def load_credit_settings(
    settings: Settings | None = None, environ: Mapping[str, str] | None = None
) -> CreditSettings:
    """Build the checked credit settings from the defaults, the config file and the override."""
    return parse_credit_settings(credit_table(settings, environ))
