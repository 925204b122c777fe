"""Reference interest rate tables: the shipped TOML file and the loader that reads it.

Owns ``reference_rates.toml`` (ECB, Bank of England and German base rates with their sources,
plus the statutory regimes defined as data) and :func:`load_rate_book`, which reads that file or
a user's copy and hands the tables to the pure domain as a
:class:`~receivables.domain.statutory.RateBook`.

May import the domain and the standard library. Must not import storage, the CLI or anything
that opens a network connection.
"""

from receivables.rates.loader import RATES_FILE_VARIABLE, RatesFileError, load_rate_book

__all__ = ["RATES_FILE_VARIABLE", "RatesFileError", "load_rate_book"]
