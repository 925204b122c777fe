"""Payment-date prediction for open items and the weekly cash forecast built on it.

Owns the training rows built from the ledger's own history (:mod:`.history`, :mod:`.features`),
the gradient-boosting model and the two baselines it is measured against (:mod:`.model`,
:mod:`.baselines`), the time-ordered validation (:mod:`.validation`), the explanation of each
prediction (:mod:`.explain`), the weekly forecast with intervals and its backtest
(:mod:`.forecast`, :mod:`.backtest`) and the benchmark (:mod:`.bench`). Other packages call
:mod:`receivables.prediction.api`.

May import ``domain``, ``storage`` (to load frames), ``analytics`` (the ledger frames and open
amounts), the demo's benchmark ledger (in :mod:`.bench` only), Polars, NumPy and scikit-learn.
Must not import the importers, the reports, the CLI or the services, and never reads the clock:
every function takes ``as_of``.
"""
