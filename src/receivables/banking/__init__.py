"""Cash application: bank statements in, payments matched to open items.

Owns the statement readers (``readers``), the pure matching rules (``rules``), the import of
statements into the bank tables, the matching run and its outcomes (payments, allocations,
discounts, bank charges, deductions), the review of suggestions and the benchmark of the
matching engine. Batch work collects problems; single review actions raise.

May import ``domain``, ``storage``, ``services``, ``config``, Polars and the parsing libraries
(defusedxml, schwifty, python-stdnum, rapidfuzz). Must not import the importers, analytics,
reports or the CLI, and never prints.
"""
