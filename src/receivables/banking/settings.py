"""Matching settings from the ``[banking]`` table of the config file and ``RECEIVABLES_BANK_*``.

===========================  ==========================================  =========
key in ``[banking]``         environment variable                        default
===========================  ==========================================  =========
``auto_apply_confidence``    ``RECEIVABLES_BANK_AUTO_APPLY_CONFIDENCE``  0.90
``suggest_confidence``       ``RECEIVABLES_BANK_SUGGEST_CONFIDENCE``     0.50
``discount_rates``           ``RECEIVABLES_BANK_DISCOUNT_RATES``         "2,3" (%)
``discount_days``            ``RECEIVABLES_BANK_DISCOUNT_DAYS``          14
``rounding_tolerance``       ``RECEIVABLES_BANK_ROUNDING_TOLERANCE``     1 (minor units)
``fee_tolerance``            ``RECEIVABLES_BANK_FEE_TOLERANCE``          "5.00" (company currency)
``fx_tolerance_percent``     ``RECEIVABLES_BANK_FX_TOLERANCE_PERCENT``   1.5
``name_threshold``           ``RECEIVABLES_BANK_NAME_THRESHOLD``         85 (0-100)
``subset_max_items``         ``RECEIVABLES_BANK_SUBSET_MAX_ITEMS``       60 (2-62)
``subset_max_size``          ``RECEIVABLES_BANK_SUBSET_MAX_SIZE``        4 (2-6)
``short_payment``            ``RECEIVABLES_BANK_SHORT_PAYMENT``          residual (or deduction)
===========================  ==========================================  =========

The config file may also hold ``[bank_profiles.NAME]`` tables for CSV bank exports.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from receivables.banking.readers.csv_profile import BankCsvProfile, load_bank_profiles
from receivables.banking.rules.settings import MatchSettings, ShortPayment
from receivables.banking.rules.subset_sum import MAX_ITEMS
from receivables.config import ConfigError, config_path

PREFIX = "RECEIVABLES_BANK_"


def _config_tables(environ: Mapping[str, str]) -> dict[str, Any]:
    path = config_path(dict(environ))
    if path is None:
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"config file {path} cannot be read: {error}") from error


def _decimal(key: str, value: Any, low: Decimal, high: Decimal) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ConfigError(f"banking setting {key} = {value!r} is not a number") from None
    if not low <= number <= high:
        raise ConfigError(f"banking setting {key} = {value} must lie between {low} and {high}")
    return number


def load_match_settings(environ: Mapping[str, str] | None = None) -> MatchSettings:
    """Read the matching settings; raise :class:`ConfigError` naming the invalid key."""
    env = os.environ if environ is None else environ
    table = _config_tables(env).get("banking", {})

    def pick(key: str, default: Any) -> Any:
        return env.get(PREFIX + key.upper()) or table.get(key, default)

    auto = _decimal("auto_apply_confidence", pick("auto_apply_confidence", "0.90"), Decimal(0), Decimal(1))
    suggest = _decimal("suggest_confidence", pick("suggest_confidence", "0.50"), Decimal(0), auto)
    rates_text = pick("discount_rates", "2,3")
    rates_list = rates_text if isinstance(rates_text, list) else str(rates_text).split(",")
    rates = tuple(
        _decimal("discount_rates", rate, Decimal(0), Decimal(20)) for rate in rates_list if str(rate).strip()
    )
    short = str(pick("short_payment", "residual"))
    if short not in {item.value for item in ShortPayment}:
        raise ConfigError(f"banking setting short_payment = {short!r} must be residual or deduction")
    return MatchSettings(
        auto_apply_confidence=auto,
        suggest_confidence=suggest,
        discount_rates=rates,
        discount_days=int(_decimal("discount_days", pick("discount_days", 14), Decimal(0), Decimal(365))),
        rounding_tolerance_minor=int(
            _decimal("rounding_tolerance", pick("rounding_tolerance", 1), Decimal(0), Decimal(100))
        ),
        fee_tolerance=_decimal("fee_tolerance", pick("fee_tolerance", "5.00"), Decimal(0), Decimal(10**6)),
        fx_tolerance_percent=_decimal(
            "fx_tolerance_percent", pick("fx_tolerance_percent", "1.5"), Decimal(0), Decimal(50)
        ),
        name_threshold=int(_decimal("name_threshold", pick("name_threshold", 85), Decimal(50), Decimal(100))),
        subset_max_items=int(
            _decimal("subset_max_items", pick("subset_max_items", 60), Decimal(2), Decimal(MAX_ITEMS))
        ),
        subset_max_size=int(_decimal("subset_max_size", pick("subset_max_size", 4), Decimal(2), Decimal(6))),
        short_payment=ShortPayment(short),
    )


def load_configured_profiles(environ: Mapping[str, str] | None = None) -> dict[str, BankCsvProfile]:
    env = os.environ if environ is None else environ
    path = config_path(dict(env))
    return load_bank_profiles(_config_tables(env).get("bank_profiles", {}), str(path or "config"))
