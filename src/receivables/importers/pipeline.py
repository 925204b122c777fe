"""``import_files``: read, check and write a set of files in one transaction."""

from __future__ import annotations

import hashlib
import logging
import tempfile
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from os import PathLike
from pathlib import Path

import polars as pl
from sqlalchemy import Engine

from receivables.config import Settings
from receivables.domain.discounts import DiscountBase
from receivables.domain.documents import DEBIT_KINDS
from receivables.importers.batch import Outcome, Records, check_batch, combine
from receivables.importers.layout import RecordType
from receivables.importers.loading import LoadedFile, load_file
from receivables.importers.profiles import find_profile
from receivables.importers.rejects import write_rejects
from receivables.importers.result import STAGES, FileResult, ImportResult, ProgressCallback, ProgressEvent
from receivables.importers.state import load_state
from receivables.importers.writing import record_runs, write_records

log = logging.getLogger(__name__)


def file_sha256(path: Path) -> str | None:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


def _record_type(value: RecordType | str | None) -> RecordType | None:
    if value is None or isinstance(value, RecordType):
        return value
    try:
        return RecordType(value)
    except ValueError:
        choices = ", ".join(item.value for item in RecordType)
        raise ValueError(f"record type {value!r} is invalid; use one of {choices}") from None


class _Progress:
    def __init__(self, callback: ProgressCallback | None, names: Sequence[str]) -> None:
        self.callback = callback
        self.names = names

    def __call__(self, index: int, stage: str, rows: int | None = None) -> None:
        if self.callback is not None:
            self.callback(ProgressEvent(self.names[index], stage, STAGES.index(stage) + 1, len(STAGES), rows))


def _allocation_ends(records: Records) -> pl.DataFrame:
    """Return the kind and number of every source and target of the imported allocations."""
    allocations = records.allocations
    frames = [
        allocations.select(pl.col("source_kind").alias("kind"), pl.col("source_number").alias("number")),
        allocations.select(pl.col("target_kind").alias("kind"), pl.col("target_number").alias("number")),
    ]
    return pl.concat(frames, how="vertical").drop_nulls().unique()


def _term_keys(records: Records) -> pl.DataFrame:
    """Return kind and number of the invoices and debit notes a stored payment term may schedule."""
    documents = records.documents
    waiting = pl.col("due_date").is_null() & pl.col("payment_term").is_null()
    debit = pl.col("kind").is_in([kind.value for kind in DEBIT_KINDS])
    return documents.filter(waiting & debit).select("kind", "number").drop_nulls().unique()


def _position(loaded: LoadedFile, label: str) -> int:
    """Return the column's position in the file's header, so a row's problems read left to right."""
    header = loaded.table.header if loaded.table else []
    return header.index(label) if label in header else len(header)


def _result_problems(problems: pl.DataFrame, files: Sequence[LoadedFile]) -> pl.DataFrame:
    """Problems with file names and the columns as each file names them, in file and row order.

    Keeps ``_file`` so that two inputs with the same name stay apart.
    """
    labels = pl.DataFrame(
        [
            (loaded.index, name, label, _position(loaded, label))
            for loaded in files
            for name, label in loaded.labels.items()
        ],
        schema={"_file": pl.Int32(), "field": pl.String(), "_label": pl.String(), "_position": pl.Int64()},
        orient="row",
    )
    names = {loaded.index: loaded.name for loaded in files}
    frame = problems.join(labels, on=["_file", "field"], how="left", maintain_order="left")
    return frame.sort("_file", "row", "_position", nulls_last=False, maintain_order=True).select(
        "_file",
        pl.col("_file").replace_strict(names, return_dtype=pl.String).alias("file"),
        "row",
        pl.col("_label").fill_null(pl.col("field")).alias("column"),
        "value",
        "reason",
    )


def _file_results(
    files: Sequence[LoadedFile], problems: pl.DataFrame, digests: Sequence[Future[str | None]]
) -> list[FileResult]:
    per_file = (
        problems.filter(pl.col("row").is_not_null())
        .group_by("_file")
        .agg(pl.col("row").n_unique().alias("rows"))
    )
    rejected = dict(per_file.iter_rows())
    results = []
    for loaded, digest in zip(files, digests, strict=True):
        rows_rejected = loaded.rows_read if loaded.unusable else int(rejected.get(loaded.index, 0))
        results.append(
            FileResult(
                file=loaded.name,
                profile=loaded.profile.name,
                record_type=loaded.record_type.value if loaded.record_type else None,
                rows_read=loaded.rows_read,
                rows_rejected=rows_rejected,
                ignored_columns=loaded.ignored_columns,
                sha256=digest.result(),
            )
        )
    return results


def import_files(
    engine: Engine,
    files: Sequence[str | PathLike[str]],
    *,
    settings: Settings,
    profile: str | None = None,
    record_type: RecordType | str | None = None,
    skip_invalid: bool = False,
    rejects_dir: str | PathLike[str] | None = None,
    progress: ProgressCallback | None = None,
) -> ImportResult:
    """Import ``files`` (CSV or XLSX) into the ledger at ``engine``, all in one transaction.

    Without ``skip_invalid`` any problem writes nothing. With it, the good rows are written and
    each file's rejected rows go to a rejects CSV (in ``rejects_dir``, else next to the file).
    Raises :class:`~receivables.importers.profiles.ProfileError` for an unknown or invalid
    profile and ``ValueError`` for an invalid ``record_type``; problems in the files are returned.
    """
    chosen = find_profile(profile, settings)
    forced = _record_type(record_type)
    paths = [Path(item) for item in files]
    if not paths:
        raise ValueError("no files to import")
    notify = _Progress(progress, [str(path) for path in paths])
    started = datetime.now(UTC)  # audit time of the run, not an accounting date
    with (
        tempfile.TemporaryDirectory(prefix="receivables-import-") as scratch,
        ThreadPoolExecutor(max_workers=1) as pool,
    ):
        digests = [pool.submit(file_sha256, path) for path in paths]
        loaded = []
        for index, path in enumerate(paths):
            notify(index, "read")
            loaded.append(load_file(index, path, chosen, forced, Path(scratch)))
        records, file_problems = combine(loaded)
        for index, item in enumerate(loaded):
            notify(index, "check", item.rows_read)
        outcome, results, committed = _check_and_write(
            engine, loaded, records, file_problems, settings, skip_invalid, digests, notify, started
        )
        problems = _result_problems(outcome.problems, loaded)
        if committed and skip_invalid:
            _write_rejects(loaded, problems, results, Path(rejects_dir) if rejects_dir else None)
    log.info(
        "import of %d files: %d rows read, %d rejected, %s",
        len(results), sum(item.rows_read for item in results), sum(item.rows_rejected for item in results),
        "committed" if committed else "nothing written",
    )  # fmt: skip
    company_set = committed and outcome.company.is_new
    return ImportResult(results, problems.drop("_file"), committed, outcome.company.code, company_set)


def _check_and_write(
    engine: Engine,
    loaded: list[LoadedFile],
    records: Records,
    file_problems: pl.DataFrame,
    settings: Settings,
    skip_invalid: bool,
    digests: Sequence[Future[str | None]],
    notify: _Progress,
    started: datetime,
) -> tuple[Outcome, list[FileResult], bool]:
    names = [item.name for item in loaded]
    currencies = records.documents.get_column("currency").drop_nulls().unique().to_list()
    with engine.connect() as connection:
        transaction = connection.begin()
        try:
            document_keys = records.documents.select("kind", "number").drop_nulls()
            state = load_state(
                connection, document_keys, _allocation_ends(records), currencies, _term_keys(records)
            )
            base = DiscountBase(settings.discount_base)
            outcome = check_batch(records, file_problems, state, settings.company_currency, names, base)
            results = _file_results(loaded, outcome.problems, digests)
            if outcome.blocked or not (outcome.problems.is_empty() or skip_invalid):
                transaction.rollback()
                return outcome, results, False
            for index in range(len(loaded)):
                notify(index, "write")
            write_records(connection, outcome, state, results)
            record_runs(connection, results, started, datetime.now(UTC))
            transaction.commit()
        except BaseException:
            transaction.rollback()
            raise
    return outcome, results, True


def _write_rejects(
    loaded: Sequence[LoadedFile],
    problems: pl.DataFrame,
    results: Sequence[FileResult],
    directory: Path | None,
) -> None:
    taken: set[Path] = set()
    for item, result in zip(loaded, results, strict=True):
        own = problems.filter(pl.col("_file") == item.index)
        result.rejects_file = write_rejects(item, own, directory, taken)
