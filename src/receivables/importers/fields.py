"""Checks and conversions shared by every record type: required cells, lengths, codes and dates.

Each helper returns :class:`~receivables.importers.problems.Check` rules or expressions that work
on a whole mapped frame at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import polars as pl
from babel import Locale

from receivables.domain.documents import DocumentKind
from receivables.domain.money import Currency, is_currency_code
from receivables.importers.formats import parse_date
from receivables.importers.layout import MAX_LENGTHS
from receivables.importers.problems import Check

KINDS = tuple(kind.value for kind in DocumentKind)
KIND_LIST = ", ".join(KINDS)
# CLDR region codes that are not countries: groupings and private-use codes.
NOT_COUNTRIES = frozenset({"EU", "EZ", "QO", "UN", "XA", "XB", "ZZ"})


@lru_cache(maxsize=1)
def country_codes() -> tuple[str, ...]:
    """ISO 3166-1 alpha-2 codes as CLDR (through Babel) lists them.

    CLDR also lists a few exceptionally reserved codes (such as IC for the Canary Islands) and XK
    for Kosovo, which are accepted because ERPs use them.
    """
    codes = [str(code) for code in Locale("en").territories]
    return tuple(
        sorted(code for code in codes if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES)
    )


def raw(frame: pl.DataFrame, field: str) -> pl.Expr:
    """Select the cell's text as the file had it, before it was normalized or translated."""
    return pl.col(f"_raw_{field}") if f"_raw_{field}" in frame.columns else pl.col(field)


def keep_original(frame: pl.DataFrame, fields: Iterable[str]) -> pl.DataFrame:
    """Copy each field to ``_raw_<field>`` before it is normalized, unless a code translation did."""
    copies = [pl.col(name).alias(f"_raw_{name}") for name in fields if f"_raw_{name}" not in frame.columns]
    return frame.with_columns(copies) if copies else frame


def ensure_fields(frame: pl.DataFrame, fields: Iterable[str]) -> pl.DataFrame:
    """Add every field the file does not provide as a null text column."""
    missing = [name for name in fields if name not in frame.columns]
    return frame.with_columns([pl.lit(None, pl.String).alias(name) for name in missing]) if missing else frame


def required_checks(fields: Iterable[str]) -> list[Check]:
    return [Check(name, pl.col(name).is_null(), "is missing", pl.lit("")) for name in fields]


def length_checks(frame: pl.DataFrame, fields: Iterable[str]) -> list[Check]:
    return [
        Check(
            name,
            pl.col(name).str.len_chars() > MAX_LENGTHS[name],
            f"is longer than {MAX_LENGTHS[name]} characters",
            raw(frame, name),
        )
        for name in fields
    ]


def normalized_kind(field: str) -> pl.Expr:
    """``Credit Note`` and ``credit-note`` become ``credit_note``."""
    return pl.col(field).str.to_lowercase().str.replace_all(r"[\s-]+", "_")


def kind_check(frame: pl.DataFrame, field: str) -> Check:
    return Check(
        field,
        pl.col(field).is_not_null() & ~pl.col(field).is_in(KINDS),
        f"is not a document kind; use one of {KIND_LIST}",
        raw(frame, field),
    )


def currency_units(frame: pl.DataFrame, field: str) -> dict[str, int]:
    """Map each valid ISO 4217 code in ``field`` to its minor unit, with one lookup per distinct code."""
    codes = frame.get_column(field).drop_nulls().unique().to_list()
    return {code: Currency.of(code).minor_unit for code in codes if is_currency_code(code)}


def unit_of(field: str, units: dict[str, int]) -> pl.Expr:
    """Look up the minor unit of the currency in ``field``; null for unknown codes."""
    return pl.col(field).replace_strict(units, default=None, return_dtype=pl.Int64)


def currency_check(frame: pl.DataFrame, field: str, units: dict[str, int]) -> Check:
    return Check(
        field,
        pl.col(field).is_not_null() & ~pl.col(field).is_in(list(units)),
        "is not an ISO 4217 currency code such as EUR",
        raw(frame, field),
    )


def country_check(frame: pl.DataFrame, field: str) -> Check:
    return Check(
        field,
        pl.col(field).is_not_null() & ~pl.col(field).is_in(country_codes()),
        "is not an ISO 3166 alpha-2 country code such as DE",
        raw(frame, field),
    )


def date_column(field: str, date_format: str) -> pl.Expr:
    return parse_date(field, date_format).alias(f"_date_{field}")


def date_check(frame: pl.DataFrame, field: str, date_format: str) -> Check:
    shown = date_format.replace("%Y", "yyyy").replace("%m", "mm").replace("%d", "dd")
    return Check(
        field,
        pl.col(field).is_not_null() & pl.col(f"_date_{field}").is_null(),
        f"is not a date in the format {shown} ({date_format})",
        raw(frame, field),
    )
