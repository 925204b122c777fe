"""Read a reference rate file (the shipped one or a user's copy) into a RateBook."""

from __future__ import annotations

import logging
import os
import tomllib
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

from receivables.domain.errors import ReceivablesError
from receivables.domain.statutory import RateBook

SHIPPED_FILE = "reference_rates.toml"
RATES_FILE_VARIABLE = "RECEIVABLES_REFERENCE_RATES_FILE"

logger = logging.getLogger(__name__)


class RatesFileError(ReceivablesError, ValueError):
    """The reference rate file cannot be read or holds an invalid table."""


def load_rate_book(path: Path | None = None, environ: Mapping[str, str] | None = None) -> RateBook:
    """Read ``path``, else ``$RECEIVABLES_REFERENCE_RATES_FILE``, else the shipped file."""
    env = os.environ if environ is None else environ
    chosen = path or (Path(env[RATES_FILE_VARIABLE]) if env.get(RATES_FILE_VARIABLE) else None)
    if chosen is None:
        text = resources.files("receivables.rates").joinpath(SHIPPED_FILE).read_text("utf-8")
        origin = f"the shipped {SHIPPED_FILE}"
    else:
        try:
            text = chosen.read_text(encoding="utf-8")
        except OSError as error:
            raise RatesFileError(f"reference rate file {chosen} cannot be read: {error}") from error
        origin = str(chosen)
    try:
        book = RateBook.from_dict(tomllib.loads(text))
    except tomllib.TOMLDecodeError as error:
        raise RatesFileError(f"reference rate file {origin} is not valid TOML: {error}") from error
    except ReceivablesError as error:
        raise RatesFileError(f"reference rate file {origin}: {error}") from error
    logger.info(
        "read %d rate tables and %d regimes from %s", len(book.tables), len(book.regimes), origin
    )
    return book
