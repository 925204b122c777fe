"""Receivables: an accounts-receivable ledger with aging, DSO, CEI and board reports.

Layout, from the inside out:

- ``domain``: money, documents, allocations, aging and metric rules. Pure: no I/O, no clock.
- ``storage``: SQLAlchemy models, Alembic migrations and bulk writers.
- ``importers``: CSV and XLSX exports of an ERP mapped onto the ledger.
- ``analytics``: vectorized (Polars) aging and metrics over the whole ledger.
- ``reports``: the terminal, JSON and HTML renderings of a report.
- ``demo``: the synthetic company used by the demo and the benchmarks.
- ``cli``: the ``receivables`` command.
"""

__version__ = "0.1.0"
