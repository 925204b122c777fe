"""Collections: dunning runs, notices and their delivery, tasks, disputes, promises, worklists.

Owns the dunning run (reading open items from the ledger frames, deciding each customer's level
with the pure rules of ``receivables.domain.dunning``, planning notices), the exactly-once
delivery of notices through an outbox (``.eml`` files, SMTP, PDF letters), the sandboxed Jinja2
templates in ``templates/``, statements of account and case files as PDF, collector tasks,
disputes, promises to pay, the worklist, the contact data import and the append-only audit log.

May import ``domain``, ``storage``, ``analytics`` (the ledger frames), ``banking`` (payment
references), ``rates``, config, Polars, SQLAlchemy, Jinja2, Babel and WeasyPrint. Must not
import the CLI, the importers or the reports, and never prints.
"""
