"""The synthetic company behind ``receivables demo`` and the benchmark ledgers of ``receivables bench``.

Owns the seeded generator (customers, documents, allocations and exchange rates as Polars frames
in the storage bulk schemas), the CSV export in the generic import layout, and the demo and
benchmark runs that import those files and build the report.

The generator modules (``generator`` and the modules it calls) import only numpy, Polars and the
storage bulk schemas. ``run``, ``bench_steps`` and ``ledger_frames`` also use the importers, the
analytics and the reports, as a user's run would. Must not import the CLI, and nothing here prints.
"""
