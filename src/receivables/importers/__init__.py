"""Imports of ERP exports: CSV and XLSX files mapped onto the ledger through TOML profiles.

Owns reading files, mapping profiles, the vectorized (Polars) checks of every imported row and the
one-transaction write through the bulk upserts of :mod:`receivables.storage.bulk`. Batch work
collects problems, each pointing to its file, row, column and value; it raises only for a bad
profile or bad arguments.

May import ``domain``, ``storage``, ``services``, ``config`` and Polars. Must not import the
analytics, the reports or the CLI, and never prints.
"""

from receivables.importers.layout import RecordType
from receivables.importers.pipeline import import_files
from receivables.importers.problems import Problem
from receivables.importers.profiles import Profile, ProfileError, find_profile, load_profiles
from receivables.importers.result import FileResult, ImportResult, ProgressEvent

__all__ = [
    "FileResult",
    "ImportResult",
    "Problem",
    "Profile",
    "ProfileError",
    "ProgressEvent",
    "RecordType",
    "find_profile",
    "import_files",
    "load_profiles",
]
