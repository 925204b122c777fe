"""Persistence of the ledger: SQLAlchemy 2 models, Alembic migrations, bulk writers and loaders.

Owns the database schema and every SQL statement. Maps rows to and from domain objects and to
and from Polars frames for batch paths. Works on SQLite (the embedded default) and PostgreSQL.

Must not import the CLI, the importers, the analytics or the reports.
"""
