"""Conversion of minor units to the company currency, per open item, in exact integer arithmetic.

Each amount converts at its own document's ``fx_rate`` (company-currency units per document-currency
unit on the document date) and is rounded half-up to the company currency's minor unit before any
sum, the rule of :meth:`receivables.domain.money.Money.convert`. With the rate stored as
``fx_rate_scaled = rate * 10**10``, an amount of ``minor`` units of a currency with ``d`` decimals
becomes, in a company currency with ``c`` decimals::

    (minor * fx_rate_scaled * 10**c + D // 2) // D      where D = 10**10 * 10**d

computed in 128-bit integers so no product overflows. Amounts here are never negative, so adding
half the divisor before the floor division rounds half away from zero, as ``ROUND_HALF_UP`` does.
Documents already in the company currency keep their amount whatever rate is stored, as
``Money.convert`` does.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from receivables.analytics.errors import InvalidLedgerDataError
from receivables.domain.errors import UnknownCurrencyError
from receivables.domain.money import Currency
from receivables.storage.frames import FX_SCALE


def unit_scales(codes: Iterable[str]) -> dict[str, int]:
    """Map each currency code to ``10 ** minor_unit``; raise on a code that is not ISO 4217."""
    scales = {}
    for code in codes:
        try:
            scales[code] = 10 ** Currency.of(code).minor_unit
        except UnknownCurrencyError as error:
            raise InvalidLedgerDataError(f"stored documents use {error}") from error
    return scales


def unit_scale_column(currency: pl.Expr, codes: Iterable[str]) -> pl.Expr:
    """Map each row's currency, one of ``codes``, to ``10 ** minor_unit``."""
    scales = unit_scales(codes)
    return currency.replace_strict(scales, default=None, return_dtype=pl.Int64)


def _converted(minor: pl.Expr, company: Currency) -> pl.Expr:
    divisor = pl.col("unit_scale").cast(pl.Int128) * FX_SCALE
    company_scale: int = 10**company.minor_unit
    numerator = minor.cast(pl.Int128) * pl.col("fx_rate_scaled") * company_scale
    return ((numerator + divisor // 2) // divisor).cast(pl.Int64)


def to_company_minor(minor: pl.Expr, company: Currency) -> pl.Expr:
    """Convert ``minor`` (document-currency minor units, >= 0) to company-currency minor units.

    Needs the row's ``currency``, ``fx_rate_scaled`` and ``unit_scale`` columns.
    """
    return pl.when(pl.col("currency") == company.code).then(minor).otherwise(_converted(minor, company))
