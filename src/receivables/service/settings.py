"""Settings of the HTTP service, read like the other settings: config file, then environment.

======================  ===================================  ==========================================
key (``[service]``)     variable                             meaning
======================  ===================================  ==========================================
``secret_key``          ``RECEIVABLES_SECRET_KEY``           key that outbound webhook signing secrets
                                                             are derived from; required off loopback
``host``                ``RECEIVABLES_HOST``                 address to listen on, default 127.0.0.1
``port``                ``RECEIVABLES_PORT``                 TCP port, default 8000
``workers``             ``RECEIVABLES_WORKERS``              worker processes, default 1
``behind_proxy``        ``RECEIVABLES_BEHIND_PROXY``         trust ``X-Forwarded-*`` from the proxy
``forwarded_allow_ips`` ``RECEIVABLES_FORWARDED_ALLOW_IPS``  proxy addresses trusted, default 127.0.0.1
``secure_cookies``      ``RECEIVABLES_SECURE_COOKIES``       mark cookies ``Secure`` (HTTPS only);
                                                             default on when ``behind_proxy`` is on
``webhook_interval``    ``RECEIVABLES_WEBHOOK_INTERVAL``     seconds between looks for due webhook
                                                             deliveries, default 5; 0 turns it off
``as_of``               ``RECEIVABLES_AS_OF``                a fixed today, YYYY-MM-DD, for serving a
                                                             demo ledger; default the clock
======================  ===================================  ==========================================
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from receivables.config import ConfigError, Settings, config_path, load_settings

TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")


@dataclass(frozen=True)
class ServiceSettings:
    settings: Settings
    secret_key: str | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    behind_proxy: bool = False
    forwarded_allow_ips: str = "127.0.0.1"
    secure_cookies: bool = False
    webhook_interval: float = 5.0
    as_of: date | None = None

    @property
    def database_url(self) -> str:
        return self.settings.database_url

    def with_database(self, url: str | None) -> ServiceSettings:
        return self if not url else replace(self, settings=replace(self.settings, database_url=url))


def _flag(name: str, value: Any) -> bool:
    text = str(value).strip().lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise ConfigError(f"{name} {value!r} must be true or false")


def _whole(name: str, value: Any, low: int, high: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError) as error:
        raise ConfigError(f"{name} {value!r} must be a whole number") from error
    if not low <= number <= high:
        raise ConfigError(f"{name} {number} must be between {low} and {high}")
    return number


def load_service_settings(environ: dict[str, str] | None = None) -> ServiceSettings:
    """Read the ``[service]`` table of the config file, then the environment variables on top."""
    env = dict(os.environ) if environ is None else environ
    base = load_settings(env)
    path = config_path(env)
    table: dict[str, Any] = {}
    if path is not None:
        table = dict(tomllib.loads(path.read_text(encoding="utf-8")).get("service", {}))

    def pick(key: str) -> Any:
        return env.get(f"RECEIVABLES_{key.upper()}") or table.get(key)

    behind_proxy = _flag("behind_proxy", pick("behind_proxy") or False)
    secure = pick("secure_cookies")
    secret_key = pick("secret_key")
    if secret_key is not None and len(str(secret_key)) < 32:
        raise ConfigError("secret_key is too short: use at least 32 random characters")
    return ServiceSettings(
        settings=base,
        secret_key=str(secret_key) if secret_key else None,
        host=str(pick("host") or "127.0.0.1"),
        port=_whole("port", pick("port") or 8000, 0, 65535),
        workers=_whole("workers", pick("workers") or 1, 1, 64),
        behind_proxy=behind_proxy,
        forwarded_allow_ips=str(pick("forwarded_allow_ips") or "127.0.0.1"),
        secure_cookies=_flag("secure_cookies", secure) if secure is not None else behind_proxy,
        webhook_interval=_seconds("webhook_interval", pick("webhook_interval") or 5),
        as_of=_day("as_of", pick("as_of")),
    )


def _day(name: str, value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as error:
        raise ConfigError(f"{name} {value!r} is not a date; use YYYY-MM-DD") from error


def _seconds(name: str, value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError) as error:
        raise ConfigError(f"{name} {value!r} must be a number of seconds") from error
    if not 0 <= number <= 3600:
        raise ConfigError(f"{name} {number} must be between 0 and 3600 seconds")
    return number
