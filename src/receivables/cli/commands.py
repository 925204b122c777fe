"""Imports every command module so that each registers its commands on the app.

The import order is the order in which ``receivables --help`` lists the commands, so the block
keeps it instead of sorting the names.
"""

# isort: off
from receivables.cli import setup_cmd  # noqa: F401
from receivables.cli import demo_cmd  # noqa: F401
from receivables.cli import import_cmd  # noqa: F401
from receivables.cli import terms_cmd  # noqa: F401
from receivables.cli import report_cmd  # noqa: F401
from receivables.cli import bank_cmd  # noqa: F401
from receivables.cli import credit_cmd  # noqa: F401
from receivables.cli import terms_ledger_cmd  # noqa: F401
from receivables.cli import contracts_cmd  # noqa: F401
from receivables.cli import collect_cmd  # noqa: F401
from receivables.cli import advise_cmd  # noqa: F401
from receivables.cli import serve_cmd  # noqa: F401
from receivables.cli import serve_bench_cmd  # noqa: F401
from receivables.cli import predict_cmd  # noqa: F401
# isort: on
