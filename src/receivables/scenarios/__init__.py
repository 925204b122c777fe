"""Scenarios: shocks to payment behaviour, default rates and interest, and what they do.

Owns reading a scenario file (:mod:`.files`), the company's baseline figures per customer
(:mod:`.baseline`), the effects of a scenario on DSO, the weekly cash forecast, expected credit
loss and credit limits (:mod:`.effects`), and the policy responses it suggests
(:mod:`.responses`). The shock rules live in :mod:`receivables.domain.scenarios`.

May import ``domain``, ``storage``, ``analytics``, ``credit`` (limits and exposure),
``provisioning`` and ``prediction`` (its weekly forecast of a predictions frame). Must not import
the importers, reports, services or the CLI, and never reads the clock: every function takes
``as_of``.
"""

from receivables.scenarios.effects import ScenarioResult, run_scenario
from receivables.scenarios.files import read_scenario

__all__ = ["ScenarioResult", "read_scenario", "run_scenario"]
