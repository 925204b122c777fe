"""Vectorized parsers of the cell formats an export uses: dates, decimal numbers and booleans.

Every parser is a Polars expression that yields null where the text does not parse, so a caller
finds the bad cells as "input present, result null" without a Python loop over rows. Amounts
become integer minor units by string arithmetic, never through a float.
"""

from __future__ import annotations

import re
from datetime import date

import polars as pl

ISO_DATE = "%Y-%m-%d"
# A date cell read from XLSX arrives as "2024-01-05 00:00:00"; the date part is what counts.
ISO_DATE_PREFIX = r"^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
# An amount in minor units has at most 18 digits, so it fits Int64 (up to about 9.2e18).
MAX_MINOR_DIGITS = 18
FX_DECIMALS = 10  # the scale of fx_rate and rate in the ledger tables, NUMERIC(24, 10)
FX_INTEGER_DIGITS = 14

# Spaces an export may put inside a number: plain, no-break and narrow no-break (French grouping).
SPACES = (" ", "\u00a0", "\u202f")
TRUE_WORDS = ("true", "t", "yes", "y", "1")
FALSE_WORDS = ("false", "f", "no", "n", "0")
BOOLEANS = {**dict.fromkeys(TRUE_WORDS, True), **dict.fromkeys(FALSE_WORDS, False)}


def check_date_format(date_format: str) -> str | None:
    """Return why ``date_format`` cannot read full dates, or ``None`` if it can.

    The check writes two sample dates, whose day and month differ, and reads them back.
    """
    samples = [date(2024, 11, 5), date(1999, 2, 28)]
    try:
        texts = [sample.strftime(date_format) for sample in samples]
        parsed = pl.Series(texts).str.to_date(date_format, strict=False).to_list()
    except (ValueError, pl.exceptions.PolarsError) as error:
        return f"is not a valid strptime format: {error}"
    if parsed != samples:
        return "does not read back the dates it writes; it needs a year, a month and a day, such as %d.%m.%Y"
    return None


def blank_to_null(expression: pl.Expr) -> pl.Expr:
    """Strip surrounding spaces; an empty result becomes null."""
    stripped = expression.str.strip_chars()
    return pl.when(stripped.str.len_bytes() > 0).then(stripped)


def parse_date(column: str, date_format: str) -> pl.Expr:
    """Parse ``column`` with ``date_format``; ISO dates (also with a time of day) are always read."""
    text = pl.col(column)
    own = text.str.to_date(date_format, strict=False)
    iso = pl.when(text.str.contains(ISO_DATE_PREFIX)).then(
        text.str.slice(0, 10).str.to_date(ISO_DATE, strict=False)
    )
    return own.fill_null(iso)


def parse_bool(column: str) -> pl.Expr:
    """Read true/false, yes/no, y/n, t/f and 1/0 in any letter case; anything else is null."""
    return pl.col(column).str.to_lowercase().replace_strict(BOOLEANS, default=None, return_dtype=pl.Boolean)


def number_pattern(decimal_separator: str, thousands_separator: str) -> str:
    """Return the regex of a decimal number written with the given separators.

    A thousands separator, when the profile has one, must group digits by three (``1.234.567,89``).
    A wrong grouping means that the file uses other separators than the profile states.
    """
    decimal = re.escape(decimal_separator)
    grouped = r"\d*"
    if thousands_separator:
        grouped = rf"\d{{1,3}}(?:{re.escape(thousands_separator)}\d{{3}})+|\d*"
    return rf"^(?P<sign>[+-]?)(?P<integer>{grouped})(?:{decimal}(?P<fraction>\d*))?(?P<trailing>-?)$"


def with_number_parts(
    frame: pl.DataFrame, column: str, decimal_separator: str, thousands_separator: str
) -> pl.DataFrame:
    """Add ``_parts_<column>``: the number's sign (1 or -1), integer digits and fraction digits.

    Spaces (also no-break ones) inside the cell are dropped first. A trailing minus
    (``1.234,56-``, as SAP writes credits) counts as a sign. The fields are null when the text is
    not a number. The regex only validates; plain string operations split the number, which is
    several times faster on millions of rows than regex capture groups.
    """
    text, pieces = f"_text_{column}", f"_pieces_{column}"
    cell = pl.col(column)
    for space in SPACES:
        cell = cell.str.replace_all(space, "", literal=True)
    frame = frame.with_columns(cell.alias(text))
    cell = pl.col(text)
    body = cell.str.strip_chars("+-")
    if thousands_separator:
        body = body.str.replace_all(thousands_separator, "", literal=True)
    frame = frame.with_columns(body.str.split_exact(decimal_separator, 1).alias(pieces))
    integer = pl.col(pieces).struct.field("field_0")
    fraction = pl.col(pieces).struct.field("field_1").fill_null("")
    has_digits = (integer.str.len_bytes() + fraction.str.len_bytes()) > 0
    both_signs = (cell.str.starts_with("-") | cell.str.starts_with("+")) & cell.str.ends_with("-")
    valid = (
        cell.str.contains(number_pattern(decimal_separator, thousands_separator)) & has_digits & ~both_signs
    )
    negative = cell.str.starts_with("-") | cell.str.ends_with("-")
    parts = pl.struct(
        sign=pl.when(negative).then(pl.lit(-1, pl.Int64)).otherwise(pl.lit(1, pl.Int64)),
        integer=integer.str.strip_chars_start("0"),
        fraction=fraction.str.strip_chars_end("0"),
    )
    return frame.with_columns(pl.when(valid).then(parts).alias(f"_parts_{column}")).drop(text, pieces)


def _digits_value(digits: pl.Expr) -> pl.Expr:
    return (
        pl.when(digits.str.len_bytes() > 0).then(digits).otherwise(pl.lit("0")).cast(pl.Int64, strict=False)
    )


def minor_units(parts: str, minor_unit: pl.Expr) -> pl.Expr:
    """Convert ``parts`` to signed minor units; null when they are null, too large or too precise."""
    integer = pl.col(parts).struct.field("integer")
    fraction = pl.col(parts).struct.field("fraction")
    scale = pl.lit(10, pl.Int64).pow(minor_unit.cast(pl.Int64))
    fraction_scale = pl.lit(10, pl.Int64).pow((minor_unit - fraction.str.len_bytes()).clip(0).cast(pl.Int64))
    value = _digits_value(integer) * scale + _digits_value(fraction) * fraction_scale
    fits = (integer.str.len_bytes() + minor_unit <= MAX_MINOR_DIGITS) & (
        fraction.str.len_bytes() <= minor_unit
    )
    return pl.when(fits).then(value * pl.col(parts).struct.field("sign"))


def number_problem(parts: str, minor_unit: pl.Expr, unit_name: pl.Expr) -> pl.Expr:
    """Return why the number in ``parts`` cannot be an amount of that currency, or null when it can."""
    integer = pl.col(parts).struct.field("integer")
    fraction = pl.col(parts).struct.field("fraction")
    digits = MAX_MINOR_DIGITS - minor_unit
    return (
        pl.when(pl.col(parts).struct.field("sign").is_null())
        .then(pl.lit("is not a number in the expected format"))
        .when(integer.str.len_bytes() > digits)
        .then(
            pl.format(
                "is too large: {} takes at most {} digits before the decimal separator", unit_name, digits
            )
        )
        .when(fraction.str.len_bytes() > minor_unit)
        .then(pl.format("has more decimals than {} allows ({})", unit_name, minor_unit))
    )


def decimal_text(parts: str) -> pl.Expr:
    """Write the number as plain decimal text (``-1234.5``), for exchange rates stored as NUMERIC."""
    integer = pl.col(parts).struct.field("integer")
    fraction = pl.col(parts).struct.field("fraction")
    whole = pl.when(integer.str.len_bytes() > 0).then(integer).otherwise(pl.lit("0"))
    sign = pl.when(pl.col(parts).struct.field("sign") < 0).then(pl.lit("-")).otherwise(pl.lit(""))
    body = pl.when(fraction.str.len_bytes() > 0).then(whole + "." + fraction).otherwise(whole)
    return pl.when(pl.col(parts).struct.field("sign").is_not_null()).then(sign + body)


def format_minor(minor: pl.Expr, minor_unit: pl.Expr) -> pl.Expr:
    """Write minor units as decimal text in major units: 123456 with minor unit 2 is ``1234.56``."""
    scale = pl.lit(10, pl.Int64).pow(minor_unit.cast(pl.Int64))
    magnitude = minor.abs()
    whole = (magnitude // scale).cast(pl.String)
    # Adding the scale keeps the leading zeros: 5 cents become "105", sliced to "05".
    fraction = (magnitude % scale + scale).cast(pl.String).str.slice(1)
    sign = pl.when(minor < 0).then(pl.lit("-")).otherwise(pl.lit(""))
    return pl.when(minor_unit > 0).then(sign + whole + "." + fraction).otherwise(sign + whole)


def rate_problem(parts: str) -> pl.Expr:
    """Return why the number in ``parts`` cannot be an exchange rate, or null when it can."""
    integer = pl.col(parts).struct.field("integer")
    fraction = pl.col(parts).struct.field("fraction")
    is_zero = (integer.str.len_bytes() == 0) & (fraction.str.len_bytes() == 0)
    return (
        pl.when(pl.col(parts).struct.field("sign").is_null())
        .then(pl.lit("is not a number in the expected format"))
        .when((pl.col(parts).struct.field("sign") < 0) | is_zero)
        .then(pl.lit("must be positive"))
        .when(integer.str.len_bytes() > FX_INTEGER_DIGITS)
        .then(pl.lit(f"is too large (more than {FX_INTEGER_DIGITS} digits before the decimal separator)"))
        .when(fraction.str.len_bytes() > FX_DECIMALS)
        .then(pl.lit(f"has more than {FX_DECIMALS} decimals"))
    )
