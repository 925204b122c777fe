"""The pure accounting core of Receivables.

Owns money, currencies, customers, documents, allocations, the open-item rules that answer
"what was open on a given date", aging buckets and the formulas of every receivables metric.

Must not import SQLAlchemy, Polars, FastAPI, Typer or anything that does I/O, and never reads the
clock: every rule that depends on a date takes ``as_of`` as an argument.
"""
