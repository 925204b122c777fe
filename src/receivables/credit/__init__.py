"""Credit management services: imports, evaluation, limits, holds, the order check and reviews.

Owns the use cases around the pure rules of :mod:`receivables.domain.credit`: reading financial
statements, bureau records, orders and sales figures from CSV or XLSX; the single-customer path
(targeted SQL for one customer, used by ``credit score`` and the fast ``credit check``) and the
batch path (Polars over the whole ledger, used by ``credit review``), which must agree; users and
roles; and the credit settings loaded from ``defaults.toml`` and the config file.

May import ``domain``, ``storage``, ``config``, ``services``, the importers' file reader and the
analytics' currency conversion, and Polars. Must not import the reports or the CLI, never prints,
and reads the clock only for audit timestamps.
"""
