"""The matching rules of cash application: pure functions over values and Polars frames.

Owns payment references, invoice-number keys, amount fits (exact, discount, bank charges,
exchange rate), customer identification, the bounded subset sum, confidence scores and the
decision for each bank transaction. Nothing here reads files, the database or the clock, and
nothing logs: callers pass every input, including the as-of date and the settings.

May import ``domain``, Polars, NumPy, RapidFuzz and python-stdnum. Must not import storage,
services, the readers, the CLI or SQLAlchemy.
"""
