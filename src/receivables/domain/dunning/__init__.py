"""Dunning rules: policies, the level a customer is due for, promises, disputes, tasks, worklists.

Owns the pure rules of collections:

- dunning policies with ordered levels, and which policy a customer follows (``policy``,
  ``policy_config``, ``assignment``);
- which items a notice may chase and bundles (``items``), and the level a customer is due for
  from the age of its oldest eligible item and its contact history (``choice``);
- the state machines of notices, deliveries, disputes, promises to pay and tasks (``notices``,
  ``disputes``, ``promises``, ``tasks``);
- value at risk and the next best action of the worklist (``worklist``) and who may do what
  (``roles``).

The level choice, the promise outcome, value at risk and the next best action are written with
comparisons and arithmetic only (``formulas``), so the same function takes plain integers for
one customer and Polars column expressions for the whole ledger.

Like the rest of ``receivables.domain`` it must not import SQLAlchemy, Polars, Typer or anything
that does I/O, and never reads the clock: every rule that depends on a date takes ``as_of``.
"""
