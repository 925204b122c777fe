"""The synthetic company behind ``receivables demo`` and the benchmark ledgers of ``receivables bench``.

Owns the seeded generator (customers, documents, allocations and exchange rates as Polars frames
in the storage bulk schemas), the CSV export in the generic import layout, and the demo and
benchmark runs that import those files and build the report.

The generator modules use only numpy, Polars and the storage schemas. Must not import the CLI;
nothing here prints.
"""
