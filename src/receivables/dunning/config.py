"""Collections settings: the shipped defaults, the config file, an override file, variables.

Layers, each merged key by key into the one before (a table overrides only the keys it names,
a list or value replaces):

1. ``defaults.toml`` next to this module;
2. the ``[collections]`` table of the config file (``RECEIVABLES_CONFIG`` or ``receivables.toml``);
3. the ``[collections]`` table of the file named by ``RECEIVABLES_COLLECTIONS_CONFIG``;
4. environment variables for what differs per machine: ``RECEIVABLES_OUTBOX_DIR``,
   ``RECEIVABLES_DUNNING_TEMPLATES`` (a folder of templates that replace shipped ones),
   ``RECEIVABLES_MAIL_TRANSPORT`` (``file`` or ``smtp``), ``RECEIVABLES_SMTP_HOST``,
   ``RECEIVABLES_SMTP_PORT``, ``RECEIVABLES_SMTP_SECURITY`` (``none``, ``starttls``, ``tls``),
   ``RECEIVABLES_SMTP_USER``, ``RECEIVABLES_SMTP_PASSWORD``, ``RECEIVABLES_SMTP_CA_FILE`` (the
   certificate authorities to trust instead of the system's) and ``RECEIVABLES_MAIL_FROM``.

The SMTP password is read only from ``RECEIVABLES_SMTP_PASSWORD``, never from a file, and is
never logged.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from receivables.config import Settings
from receivables.domain.aging import AgingBuckets
from receivables.domain.dunning.errors import DunningConfigError
from receivables.domain.dunning.policy import PolicyBook
from receivables.domain.dunning.policy_config import parse_policy_book
from receivables.domain.dunning.worklist import RiskWeights

OVERRIDE_VARIABLE = "RECEIVABLES_COLLECTIONS_CONFIG"


class Transport(StrEnum):
    FILE = "file"
    SMTP = "smtp"


class Security(StrEnum):
    NONE = "none"
    STARTTLS = "starttls"
    TLS = "tls"


@dataclass(frozen=True)
class MailSettings:
    transport: Transport = Transport.FILE
    host: str = "127.0.0.1"
    port: int = 25
    security: Security = Security.NONE
    username: str = ""
    password: str = field(default="", repr=False)
    ca_file: str = ""
    sender: str = "accounts.receivable@example.com"
    reply_to: str = ""
    timeout_seconds: float = 30.0
    max_attempts: int = 4
    backoff_seconds: float = 1.0
    backoff_max_seconds: float = 60.0


@dataclass(frozen=True)
class CompanyDetails:
    """The creditor printed on notices, letters and statements."""

    name: str = ""
    address: tuple[str, ...] = ()
    email: str = ""
    phone: str = ""
    iban: str = ""
    bic: str = ""


@dataclass(frozen=True)
class CollectionSettings:
    book: PolicyBook
    weights: RiskWeights
    mail: MailSettings
    company: CompanyDetails
    outbox_dir: Path = Path("outbox")
    templates_dir: Path | None = None
    default_language: str = "en"
    task_retry_days: int = 2
    claim_batch: int = 50
    claim_lease_seconds: int = 600

    @property
    def email_dir(self) -> Path:
        return self.outbox_dir / "email"

    @property
    def letters_dir(self) -> Path:
        return self.outbox_dir / "letters"


def merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """Return ``base`` with ``override`` merged in: tables key by key, other values replaced."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping) and key != "levels":
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _read(text: str, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as error:
        raise DunningConfigError(source, f"is not valid TOML: {error}") from error


@lru_cache(maxsize=1)
def default_table() -> dict[str, Any]:
    """Return the ``[collections]`` table of the shipped defaults."""
    text = resources.files("receivables.dunning").joinpath("defaults.toml").read_text("utf-8")
    return dict(_read(text, "defaults.toml")["collections"])


def _file_table(path: Path) -> Mapping[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise DunningConfigError(str(path), f"cannot be read: {error}") from error
    table = _read(text, str(path)).get("collections", {})
    if not isinstance(table, Mapping):
        raise DunningConfigError(f"{path} [collections]", "must be a table")
    return table


def load_collection_settings(
    settings: Settings, environ: Mapping[str, str] | None = None
) -> CollectionSettings:
    """Read the collections settings of every layer."""
    env = os.environ if environ is None else environ
    table = default_table()
    for path in (
        settings.config_file,
        Path(env[OVERRIDE_VARIABLE]) if env.get(OVERRIDE_VARIABLE) else None,
    ):
        if path is not None:
            table = merge(table, _file_table(path))
    return build_settings(table, env)


def build_settings(table: Mapping[str, Any], env: Mapping[str, str]) -> CollectionSettings:
    templates = env.get("RECEIVABLES_DUNNING_TEMPLATES") or table.get("templates_dir")
    return CollectionSettings(
        book=parse_policy_book(table),
        weights=_weights(table.get("worklist", {})),
        mail=_mail(table.get("mail", {}), env),
        company=_company(table.get("company", {})),
        outbox_dir=Path(env.get("RECEIVABLES_OUTBOX_DIR") or table.get("outbox_dir", "outbox")),
        templates_dir=Path(templates) if templates else None,
        default_language=str(table.get("default_language", "en")),
        task_retry_days=_positive(table, "task_retry_days", 2),
        claim_batch=_positive(table, "claim_batch", 50),
        claim_lease_seconds=_positive(table, "claim_lease_seconds", 600, minimum=0),
    )


def _positive(table: Mapping[str, Any], key: str, default: int, minimum: int = 1) -> int:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise DunningConfigError(key, f"{value!r} must be a whole number of at least {minimum}")
    return value


def _weights(table: Mapping[str, Any]) -> RiskWeights:
    defaults = RiskWeights()
    try:
        edges = tuple(int(edge) for edge in table.get("bucket_edges", defaults.buckets.edges))
        permille = tuple(int(rate) for rate in table.get("loss_permille", defaults.loss_permille))
        classes = {
            str(key).upper(): int(value)
            for key, value in table.get("class_percent", defaults.class_percent).items()
        }
        stale = int(table.get("stale_dispute_days", defaults.stale_dispute_days))
    except (TypeError, ValueError, AttributeError) as error:
        raise DunningConfigError(
            "worklist", f"holds a value that is not a whole number: {error}"
        ) from error
    return RiskWeights(AgingBuckets(edges), permille, classes, stale)


def _mail(table: Mapping[str, Any], env: Mapping[str, str]) -> MailSettings:
    def pick(key: str, variable: str, default: Any) -> Any:
        return env.get(variable) or table.get(key, default)

    try:
        return MailSettings(
            transport=Transport(
                str(pick("transport", "RECEIVABLES_MAIL_TRANSPORT", "file")).lower()
            ),
            host=str(pick("host", "RECEIVABLES_SMTP_HOST", "127.0.0.1")),
            port=int(pick("port", "RECEIVABLES_SMTP_PORT", 25)),
            security=Security(str(pick("security", "RECEIVABLES_SMTP_SECURITY", "none")).lower()),
            username=str(pick("username", "RECEIVABLES_SMTP_USER", "")),
            password=env.get("RECEIVABLES_SMTP_PASSWORD", ""),
            ca_file=str(pick("ca_file", "RECEIVABLES_SMTP_CA_FILE", "")),
            sender=str(pick("sender", "RECEIVABLES_MAIL_FROM", MailSettings.sender)),
            reply_to=str(table.get("reply_to", "")),
            timeout_seconds=float(Decimal(str(table.get("timeout_seconds", 30)))),
            max_attempts=int(table.get("max_attempts", 4)),
            backoff_seconds=float(Decimal(str(table.get("backoff_seconds", 1)))),
            backoff_max_seconds=float(Decimal(str(table.get("backoff_max_seconds", 60)))),
        )
    except ValueError as error:
        raise DunningConfigError("mail", f"holds an invalid value: {error}") from error


def _company(table: Mapping[str, Any]) -> CompanyDetails:
    address = table.get("address", [])
    if isinstance(address, str):
        address = [line.strip() for line in address.split("\n")]
    return CompanyDetails(
        name=str(table.get("name", "")),
        address=tuple(str(line) for line in address),
        email=str(table.get("email", "")),
        phone=str(table.get("phone", "")),
        iban=str(table.get("iban", "")),
        bic=str(table.get("bic", "")),
    )
