"""Vectorized aging and receivables metrics over the whole ledger, with Polars.

Owns the report figures of an as-of date (aging, AR, unapplied credit, credit sales, DSO simple and
countback, best possible DSO, average days delinquent, turnover, CEI, days to pay, disputed share),
the top overdue customers and the monthly trend. Formulas and bucket rules come from
``receivables.domain`` and are applied to Polars expressions, never redefined here.

Amounts stay integer minor units until a figure is built; each open item converts to the company
currency at its own document's rate (see :mod:`receivables.analytics.conversion`). Ratios are exact
``Decimal`` values rounded once by :func:`receivables.domain.metrics.round_figure`.

May import ``domain``, ``storage`` (to load frames) and Polars. Must not import the importers, the
reports, the services or the CLI, and never reads the clock: every function takes ``as_of``.
"""

from receivables.analytics.compute import build_report, compute_report
from receivables.analytics.errors import AnalyticsError, EmptyLedgerError, UnknownCustomerError
from receivables.analytics.frames import LedgerFrames, load_ledger
from receivables.analytics.report import CustomerLine, Figures, Report

__all__ = [
    "AnalyticsError",
    "CustomerLine",
    "EmptyLedgerError",
    "Figures",
    "LedgerFrames",
    "Report",
    "UnknownCustomerError",
    "build_report",
    "compute_report",
    "load_ledger",
]
