"""Expected credit loss of the trade receivables under IFRS 9's simplified approach.

Owns the batch side of the provision matrix: open items at month-end snapshots, what of them
was written off or still open later (:mod:`.history`), the matrix with its forward-looking
adjustment, and the allowance per open item, customer and in total (:mod:`.allowance`). The
rules and their rounding live in :mod:`receivables.domain.provisioning`.

May import ``domain``, ``storage`` (frame loaders), ``analytics`` (ledger frames and currency
conversion) and Polars. Must not import the importers, reports, services or the CLI, and never
reads the clock: every function takes ``as_of``.
"""

from receivables.provisioning.allowance import ProvisionInputs, compute_provision, customer_attributes
from receivables.provisioning.result import ProvisionResult

__all__ = ["ProvisionInputs", "ProvisionResult", "compute_provision", "customer_attributes"]
