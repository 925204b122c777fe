"""Recommendations from the company's own ledger: measures with their evidence and expected effect.

Owns reading the inputs of the advice (:mod:`.context`: baseline figures, payment behaviour,
expected credit loss, disputes, dunning notices, risk class changes), the recommendations per
concern (:mod:`.customers`, :mod:`.disputes`, :mod:`.collections`, :mod:`.discounts`) and their
ordering by effect (:mod:`.advice`). Thresholds and effect rules live in
:mod:`receivables.domain.advice`.

May import ``domain``, ``storage``, ``analytics``, ``credit`` (payment behaviour),
``provisioning`` and ``scenarios`` (baseline figures). Must not import the importers, reports,
services or the CLI, and never reads the clock: every function takes ``as_of``.
"""

from receivables.advisor.advice import Advice, AdviceOptions, build_advice

__all__ = ["Advice", "AdviceOptions", "build_advice"]
