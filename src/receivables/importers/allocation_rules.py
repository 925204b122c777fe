"""The ledger rules of allocations, checked for a whole import at once.

The rules and their order are those of :meth:`receivables.domain.ledger.Ledger.allocate`:

1. both documents exist;
2. the source is a credit document and the target a debit document;
3. both belong to the same customer;
4. the allocation, source and target share one currency;
5. the allocation is dated on or after both documents;
6. it fits what is still open on the target and unapplied on the source
   (see :mod:`receivables.importers.over_allocation`).

The rules apply to the stored ledger with the import applied. Imported documents replace stored
ones of the same kind and number, all instalments at once, and imported allocations replace
stored ones with the same source, target and date. A stored allocation that an imported document
would break (another customer, a later date, an amount below what is already allocated, an
instalment the import leaves out) rejects that document's row.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from receivables.domain.documents import CREDIT_KINDS, DEBIT_KINDS
from receivables.importers.fields import currency_units, unit_of
from receivables.importers.formats import format_minor
from receivables.importers.ledger_checks import place
from receivables.importers.over_allocation import over_allocations
from receivables.importers.problems import Check, concat_problems, empty_problems, run_checks

KEY = [
    "source_kind", "source_number", "source_instalment", "target_kind", "target_number",
    "target_instalment", "allocation_date",
]  # fmt: skip
DOCUMENT_FIELDS = [
    "kind", "number", "instalment", "customer_code", "currency", "document_date", "amount_minor",
]  # fmt: skip
DOCUMENT_KEY = ["kind", "number", "instalment"]
CREDIT_VALUES = sorted(kind.value for kind in CREDIT_KINDS)
DEBIT_VALUES = sorted(kind.value for kind in DEBIT_KINDS)


def _whole(file_documents: pl.DataFrame) -> pl.Expr:
    """Rows that describe a whole document and so replace all its stored instalments."""
    if "_one_instalment" not in file_documents.columns:
        return pl.lit(True)
    return ~pl.col("_one_instalment")


def ledger_documents(file_documents: pl.DataFrame, stored_documents: pl.DataFrame) -> pl.DataFrame:
    """Imported documents, then the stored ones they do not replace, each with an id ``_doc``.

    A row that names its instalment replaces that stored instalment only; any other row replaces
    every stored instalment of its kind and number.
    """
    imported = file_documents.select(*DOCUMENT_FIELDS, "_file", "_row").unique(
        DOCUMENT_KEY, keep="first", maintain_order=True
    )
    whole = file_documents.filter(_whole(file_documents)).select("kind", "number").unique()
    single = file_documents.filter(~_whole(file_documents)).select(DOCUMENT_KEY).unique()
    stored = stored_documents.join(whole, on=["kind", "number"], how="anti").join(
        single, on=DOCUMENT_KEY, how="anti"
    )
    stored = stored.select(
        *DOCUMENT_FIELDS, pl.lit(None, pl.Int32).alias("_file"), pl.lit(None, pl.Int64).alias("_row")
    )
    return pl.concat([imported, stored], how="vertical").with_row_index("_doc")


def _combined(file_allocations: pl.DataFrame, stored: pl.DataFrame) -> pl.DataFrame:
    """Stored allocations (by id), then imported ones (by file, row), numbered by ``_sequence``."""
    imported = file_allocations.sort("_file", "_row", "_order").unique(KEY, keep="first", maintain_order=True)
    kept = stored.join(imported.select(KEY), on=KEY, how="anti").sort("allocation_id")
    # Columns only imported allocations have; a stored one is in its target's currency.
    imported_only = {"currency": pl.String, "_file": pl.Int32, "_row": pl.Int64}
    imported_only |= {"_raw_allocation_date": pl.String, "_raw_allocation_amount": pl.String}
    kept = kept.select(
        *KEY,
        "amount_minor",
        pl.lit(True).alias("_stored"),
        *[pl.lit(None, dtype).alias(name) for name, dtype in imported_only.items()],
    )
    imported = imported.select(*KEY, "amount_minor", pl.lit(False).alias("_stored"), *imported_only)
    return (
        pl.concat([kept, imported], how="vertical")
        .with_row_index("_sequence")
        .with_columns(pl.col("_sequence").cast(pl.Int64))
    )


def _with_documents(allocations: pl.DataFrame, documents: pl.DataFrame) -> pl.DataFrame:
    for side in ("source", "target"):
        renamed = documents.select(
            pl.col("kind").alias(f"{side}_kind"),
            pl.col("number").alias(f"{side}_number"),
            pl.col("instalment").alias(f"{side}_instalment"),
            pl.col("_doc").alias(f"_{side}_doc"),
            pl.col("customer_code").alias(f"_{side}_customer"),
            pl.col("currency").alias(f"_{side}_currency"),
            pl.col("document_date").alias(f"_{side}_date"),
            pl.col("amount_minor").alias(f"_{side}_amount"),
            pl.col("_file").alias(f"_{side}_file"),
            pl.col("_row").alias(f"_{side}_row"),
        )
        allocations = allocations.join(
            renamed,
            on=[f"{side}_kind", f"{side}_number", f"{side}_instalment"],
            how="left",
            maintain_order="left",
        )
    return allocations


def _rule_flags() -> list[pl.Expr]:
    both = pl.col("_source_doc").is_not_null() & pl.col("_target_doc").is_not_null()
    currency = pl.col("currency").fill_null(pl.col("_target_currency"))
    other_currency = (currency != pl.col("_target_currency")) | (
        pl.col("_source_currency") != pl.col("_target_currency")
    )
    latest = pl.max_horizontal("_source_date", "_target_date")
    return [
        pl.col("_source_doc").is_null().alias("_no_source"),
        pl.col("_target_doc").is_null().alias("_no_target"),
        (~pl.col("source_kind").is_in(CREDIT_VALUES)).alias("_source_not_credit"),
        (~pl.col("target_kind").is_in(DEBIT_VALUES)).alias("_target_not_debit"),
        (both & (pl.col("_source_customer") != pl.col("_target_customer"))).alias("_customers_differ"),
        (both & other_currency).alias("_currencies_differ"),
        (both & (pl.col("allocation_date") < latest)).alias("_too_early"),
    ]


def document_name(kind: str, number: str, instalment: str) -> pl.Expr:
    """``invoice INV-1``, or ``invoice INV-1 instalment 2`` for a later instalment."""
    plain = pl.format("{} {}", pl.col(kind), pl.col(number))
    later = pl.format("{} instalment {}", plain, pl.col(instalment))
    return pl.when(pl.col(instalment).fill_null(1) == 1).then(plain).otherwise(later)


def _name(side: str) -> pl.Expr:
    return document_name(f"{side}_kind", f"{side}_number", f"{side}_instalment")


def _rule_reasons() -> dict[str, tuple[str, pl.Expr]]:
    """Per rule flag: the field it points to in an allocation row, and the reason."""
    later = (
        pl.when(pl.col("_source_date") >= pl.col("_target_date"))
        .then(pl.lit("source"))
        .otherwise(pl.lit("target"))
    )
    later_name = pl.when(later == "source").then(_name("source")).otherwise(_name("target"))
    customers = pl.format(
        "customers differ: {} is for {}, {} for {}",
        _name("source"), pl.col("_source_customer"), _name("target"), pl.col("_target_customer"),
    )  # fmt: skip
    currencies = pl.format(
        "currencies differ: allocation {}, {} in {}, {} in {}",
        pl.col("currency").fill_null(pl.col("_target_currency")),
        _name("source"), pl.col("_source_currency"), _name("target"), pl.col("_target_currency"),
    )  # fmt: skip
    early = pl.format(
        "is before the date of {} ({}); an allocation is dated on or after both documents",
        later_name,
        pl.max_horizontal("_source_date", "_target_date"),
    )
    credit = "is not a credit document kind; the source of an allocation is a " + ", ".join(CREDIT_VALUES)
    debit = "is not a debit document kind; the target of an allocation is an " + " or ".join(DEBIT_VALUES)
    return {
        "_source_not_credit": ("source_kind", pl.lit(credit)),
        "_target_not_debit": ("target_kind", pl.lit(debit)),
        "_customers_differ": ("source_number", customers),
        "_currencies_differ": ("currency", currencies),
        "_too_early": ("allocation_date", early),
    }


def _missing_checks() -> list[Check]:
    checks = []
    for side in ("source", "target"):
        rejected_at = pl.col(f"_{side}_rejected_at")
        reason = (
            pl.when(rejected_at.is_not_null())
            .then(pl.format("{} was rejected ({})", _name(side), rejected_at))
            .otherwise(pl.format("{} not found in the files or the database", _name(side)))
        )
        checks.append(Check(f"{side}_number", pl.col(f"_no_{side}"), reason))
    return checks


def _with_rejected_places(
    allocations: pl.DataFrame, rejected_documents: pl.DataFrame, names: Sequence[str]
) -> pl.DataFrame:
    places = rejected_documents.sort("_file", "_row").unique(
        ["kind", "number"], keep="first", maintain_order=True
    )
    places = places.select("kind", "number", place(names).alias("_at"))
    for side in ("source", "target"):
        renamed = places.rename(
            {"kind": f"{side}_kind", "number": f"{side}_number", "_at": f"_{side}_rejected_at"}
        )
        allocations = allocations.join(
            renamed, on=[f"{side}_kind", f"{side}_number"], how="left", maintain_order="left"
        )
    return allocations


def _imported_rule_problems(
    frame: pl.DataFrame, rejected_documents: pl.DataFrame, names: Sequence[str]
) -> pl.DataFrame:
    imported = _with_rejected_places(frame.filter(~pl.col("_stored")), rejected_documents, names)
    checks = _missing_checks()
    for flag, (field, reason) in _rule_reasons().items():
        value = pl.col("_raw_allocation_date") if field == "allocation_date" else None
        checks.append(Check(field, pl.col(flag), reason, value))
    return run_checks(imported, checks)


def _dropped_instalments(stored: pl.DataFrame, file_documents: pl.DataFrame) -> pl.DataFrame:
    """Imported documents that leave out an instalment a stored allocation points to."""
    parts = []
    whole = file_documents.filter(_whole(file_documents))
    imported = whole.select("kind", "number", "_file", "_row").unique()
    for side in ("source", "target"):
        rows = imported.rename(
            {"kind": f"{side}_kind", "number": f"{side}_number", "_file": "_at_file", "_row": "_at_row"}
        )
        dropped = (
            stored.filter(pl.col(f"_no_{side}"))
            .join(rows, on=[f"{side}_kind", f"{side}_number"], how="inner")
            .with_columns(pl.col("_at_file").alias("_file"), pl.col("_at_row").alias("_row"))
        )
        reason = pl.format(
            "would drop {}, to which the stored allocation of {} on {} applies; keep that "
            "instalment or import its allocations anew",
            _name(side),
            _name("source" if side == "target" else "target"),
            pl.col("allocation_date"),
        )
        parts.append(run_checks(dropped, [Check("number", pl.lit(True), reason, pl.col(f"{side}_number"))]))
    return concat_problems(parts)


def _blamed_documents(frame: pl.DataFrame, file_documents: pl.DataFrame) -> pl.DataFrame:
    """Imported documents whose new values break a stored allocation: their rows are rejected."""
    stored = frame.filter(pl.col("_stored"))
    if stored.is_empty():
        return empty_problems()
    document_fields = {
        "_customers_differ": "customer_code",
        "_currencies_differ": "currency",
        "_too_early": "document_date",
    }
    parts = []
    for flag, (_, rule) in _rule_reasons().items():
        if flag not in document_fields:
            continue
        for side in ("source", "target"):
            reason = pl.format(
                "would break the stored allocation of {} to {}: {}", _name("source"), _name("target"), rule
            )
            blamed = stored.filter(pl.col(flag) & pl.col(f"_{side}_file").is_not_null())
            parts.append(_document_problem(blamed, side, document_fields[flag], reason))
    parts.append(_dropped_instalments(stored, file_documents))
    return concat_problems(parts)


def _document_problem(rows: pl.DataFrame, side: str, field: str, reason: pl.Expr) -> pl.DataFrame:
    """Report a problem on the imported document at ``side`` (source or target) of each row."""
    currency = f"_{side}_currency"
    values = {
        "customer_code": pl.col(f"_{side}_customer"),
        "currency": pl.col(currency),
        "document_date": pl.col(f"_{side}_date").cast(pl.String),
        "amount": format_minor(pl.col(f"_{side}_amount"), unit_of(currency, currency_units(rows, currency))),
    }
    frame = rows.with_columns(pl.col(f"_{side}_file").alias("_file"), pl.col(f"_{side}_row").alias("_row"))
    return run_checks(frame, [Check(field, pl.lit(True), reason, values[field])])


def allocation_problems(
    file_allocations: pl.DataFrame,
    file_documents: pl.DataFrame,
    stored_documents: pl.DataFrame,
    stored_allocations: pl.DataFrame,
    rejected_documents: pl.DataFrame,
    names: Sequence[str],
) -> pl.DataFrame:
    """Find the problems of imported allocations, and of imported documents that break stored ones.

    ``stored_allocations`` name their ends by kind and number; ``stored_documents`` has at least
    the documents at those ends that the import does not replace.
    """
    if file_allocations.is_empty() and stored_allocations.is_empty():
        return empty_problems()
    documents = ledger_documents(file_documents, stored_documents)
    combined = _combined(file_allocations, stored_allocations)
    frame = _with_documents(combined, documents).with_columns(_rule_flags())
    problems = [
        _imported_rule_problems(frame, rejected_documents, names),
        _blamed_documents(frame, file_documents),
    ]
    flags = [flag.meta.output_name() for flag in _rule_flags()]
    candidates = frame.filter(~pl.any_horizontal(flags))
    problems.append(_over_allocation_problems(candidates))
    return concat_problems(problems)


def _over_allocation_problems(candidates: pl.DataFrame) -> pl.DataFrame:
    rejected = over_allocations(candidates)
    if rejected.is_empty():
        return empty_problems()
    frame = candidates.join(rejected, on="_sequence", how="inner")
    unit = unit_of("_target_currency", currency_units(frame, "_target_currency"))
    left = format_minor(pl.col("_available"), unit)
    where = (
        pl.when(pl.col("_side") == "target")
        .then(pl.lit("still open on "))
        .otherwise(pl.lit("still unapplied on "))
    )
    named = pl.when(pl.col("_side") == "target").then(_name("target")).otherwise(_name("source"))
    reason = pl.format("exceeds the {} {}{}", left, where, named)
    imported = run_checks(
        frame.filter(~pl.col("_stored")),
        [Check("allocation_amount", pl.lit(True), reason, pl.col("_raw_allocation_amount"))],
    )
    stored = frame.filter(pl.col("_stored"))
    blame = pl.format(
        "is below what stored allocations already apply to it ({} {})", _name("source"), _name("target")
    )
    parts = [imported]
    for side in ("source", "target"):
        rows = stored.filter((pl.col("_side") == side) & pl.col(f"_{side}_file").is_not_null())
        parts.append(_document_problem(rows, side, "amount", blame))
    return concat_problems(parts)
