"""Settings of Receivables: a TOML config file overridden by ``RECEIVABLES_*`` environment variables.

The config file is ``$RECEIVABLES_CONFIG`` if set, else ``receivables.toml`` in the working
directory if it exists. Its keys, and the variables that override them:

======================  ================================  =========================================
key                     variable                          meaning
======================  ================================  =========================================
``database_url``        ``RECEIVABLES_DATABASE_URL``      SQLAlchemy URL; default ``sqlite:///receivables.db``
``company_currency``    ``RECEIVABLES_COMPANY_CURRENCY``  ISO 4217 code that reports are in
``aging_buckets``       ``RECEIVABLES_AGING_BUCKETS``     upper bucket edges in days, ``"0,30,60,90"``
``period_days``         ``RECEIVABLES_PERIOD_DAYS``       length of the report period, default 90
``profiles_file``       ``RECEIVABLES_PROFILES_FILE``     a TOML file with more import profiles
``discount_base``       ``RECEIVABLES_DISCOUNT_BASE``     what early-payment discounts of imported
                                                          terms apply to: ``gross`` (default) or ``net``
======================  ================================  =========================================

The config file may also hold ``[profiles.NAME]`` tables (see ``docs/import.md``).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_DATABASE_URL = "sqlite:///receivables.db"
# The values of ``discount_base``, as ``receivables.domain.discounts.DiscountBase`` names them.
DISCOUNT_BASES = ("gross", "net")


class ConfigError(ValueError):
    """The config file or an environment variable holds an invalid value."""


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    company_currency: str | None = None
    aging_buckets: str = "0,30,60,90"
    period_days: int = 90
    profiles_file: Path | None = None
    config_file: Path | None = None
    profiles: dict[str, Any] = field(default_factory=dict)
    discount_base: str = "gross"


def config_path(environ: Mapping[str, str] | None = None) -> Path | None:
    env = os.environ if environ is None else environ
    if env.get("RECEIVABLES_CONFIG"):
        path = Path(env["RECEIVABLES_CONFIG"])
        if not path.is_file():
            raise ConfigError(f"config file {path} (RECEIVABLES_CONFIG) not found")
        return path
    default = Path("receivables.toml")
    return default if default.is_file() else None


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read the config file, then apply the environment variables on top."""
    env = os.environ if environ is None else environ
    path = config_path(env)
    values: dict[str, Any] = {}
    if path is not None:
        try:
            values = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as error:
            raise ConfigError(f"config file {path} cannot be read: {error}") from error

    def pick(key: str) -> Any:
        return env.get(f"RECEIVABLES_{key.upper()}") or values.get(key)

    period = pick("period_days") or 90
    try:
        period_days = int(period)
    except ValueError as error:
        raise ConfigError(f"period_days {period!r} must be a whole number of days") from error
    if period_days <= 0:
        raise ConfigError(f"period_days {period_days} must be positive")
    profiles_file = pick("profiles_file")
    currency = pick("company_currency")
    discount_base = str(pick("discount_base") or "gross").strip().lower()
    if discount_base not in DISCOUNT_BASES:
        raise ConfigError(f"discount_base {discount_base!r} must be one of {', '.join(DISCOUNT_BASES)}")
    return Settings(
        database_url=pick("database_url") or DEFAULT_DATABASE_URL,
        company_currency=currency.strip().upper() if currency else None,
        aging_buckets=str(pick("aging_buckets") or "0,30,60,90"),
        period_days=period_days,
        profiles_file=Path(profiles_file) if profiles_file else None,
        config_file=path,
        profiles=dict(values.get("profiles", {})),
        discount_base=discount_base,
    )
