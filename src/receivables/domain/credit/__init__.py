"""Credit management rules: evaluation, scorecard, limits, the order check, policy and monitoring.

Owns the pure rules of credit decisions:

- financial statements, their ratios and the Altman Z' / Z'' scores with zones (``statements``,
  ``ratios``, ``altman``, ``trend``);
- payment behaviour from the ledger (``behaviour``) and external bureau records (``bureau``);
- the scorecard that combines the three sources into a 0-100 score and a risk class A-E, with the
  factors that moved it (``bands``, ``scorecard``, ``classes``);
- the credit policy per risk class (``policy``), the recommended limit by named methods
  (``limits``), exposure and the order check (``exposure``, ``check``), warning signs
  (``monitoring``) and who may do what (``roles``).

Like the rest of ``receivables.domain`` it must not import SQLAlchemy, Polars, Typer or anything
that does I/O, and never reads the clock: every rule that depends on a date takes ``as_of``.
"""
