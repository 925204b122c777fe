"""Applying a profile to a source table: columns renamed to layout fields, codes translated.

The result is still text: one column per layout field (from a file column, a profile constant or a
template), with surrounding spaces stripped and empty cells as null. A field whose codes the
profile translates keeps the cell's original text in ``_raw_<field>`` for problem reports.
Problems of the whole file (a missing column, an unknown record type) point to the header row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from receivables.importers.formats import blank_to_null
from receivables.importers.layout import LAYOUTS, RecordType, all_fields, detect_record_type, fields_of
from receivables.importers.problems import concat_problems, empty_problems, file_problem
from receivables.importers.profiles import GENERIC, PLACEHOLDER, Profile
from receivables.importers.reading import ROW, SourceTable


@dataclass
class MappedTable:
    """A file mapped onto the layout; ``frame`` is ``None`` when the file as a whole is unusable."""

    record_type: RecordType | None
    frame: pl.LazyFrame | None
    labels: dict[str, str]
    problems: pl.DataFrame
    ignored_columns: list[str] = field(default_factory=list)


class _Sources:
    """Per field, the expression that fills it and the label that problems report."""

    def __init__(self, table: SourceTable, profile: Profile, file_index: int) -> None:
        self.table = table
        self.profile = profile
        self.file_index = file_index
        self.lookup: dict[str, str] = {}
        for name in table.header:
            self.lookup.setdefault(name.strip().lower(), name)
        self.expressions: dict[str, pl.Expr] = {}
        self.labels: dict[str, str] = {}
        self.column_fields: list[str] = []
        self.used_columns: set[str] = set()
        self.problems: list[pl.DataFrame] = []

    def column(self, name: str, field_name: str) -> pl.Expr | None:
        """Select the file column ``name`` (exact, else ignoring case and spaces); report it if missing."""
        actual = name if name in self.table.header else self.lookup.get(name.strip().lower())
        if actual is None:
            reason = f"column {name!r} is missing; profile {self.profile.name!r} maps it to {field_name}"
            self.problems.append(file_problem(self.file_index, self.table.header_row, name, None, reason))
            return None
        self.used_columns.add(actual)
        return pl.col(actual)

    def template(self, template: str, field_name: str) -> pl.Expr | None:
        pieces: list[pl.Expr] = []
        position = 0
        for match in PLACEHOLDER.finditer(template):
            if match.start() > position:
                pieces.append(pl.lit(template[position : match.start()]))
            column = self.column(match.group(1), field_name)
            if column is None:
                return None
            pieces.append(blank_to_null(column))
            position = match.end()
        if position < len(template):
            pieces.append(pl.lit(template[position:]))
        return pl.concat_str(pieces) if pieces else pl.lit(template)

    def add(self, field_name: str, expression: pl.Expr | None, label: str, from_column: bool) -> None:
        if expression is None:
            return
        self.expressions[field_name] = expression
        self.labels[field_name] = label
        if from_column:
            self.column_fields.append(field_name)


def _provided_fields(table: SourceTable, profile: Profile) -> set[str]:
    names = {name.strip().lower() for name in table.header} & all_fields()
    return names | set(profile.columns) | set(profile.constants) | set(profile.templates)


def _fill_sources(sources: _Sources, record_type: RecordType) -> None:
    profile = sources.profile
    for name in fields_of(record_type):
        if name in profile.columns:
            column_name = profile.columns[name]
            sources.add(name, sources.column(column_name, name), column_name, True)
        elif name in profile.constants:
            sources.add(name, pl.lit(profile.constants[name], pl.String), f"{name} (profile constant)", False)
        elif name in profile.templates:
            sources.add(
                name, sources.template(profile.templates[name], name), f"{name} (profile template)", False
            )
        elif name in sources.lookup:
            actual = sources.lookup[name]
            sources.used_columns.add(actual)
            sources.add(name, pl.col(actual), actual, True)
    settlement = profile.settlement
    if settlement is not None and record_type is RecordType.DOCUMENTS:
        sources.add(
            "settlement_date",
            sources.column(settlement.date_column, "settlement_date"),
            settlement.date_column,
            True,
        )
        if settlement.amount_column:
            column = sources.column(settlement.amount_column, "settlement_amount")
            sources.add("settlement_amount", column, settlement.amount_column, True)
        if settlement.number:
            template = sources.template(settlement.number, "settlement_number")
            sources.add("settlement_number", template, "settlement.number (profile template)", False)


def _missing_required(sources: _Sources, record_type: RecordType) -> None:
    required = set(LAYOUTS[record_type].required)
    if record_type is RecordType.DOCUMENTS and sources.profile.kind_from_sign is not None:
        required.discard("kind")
    mapped = set(sources.profile.columns) | set(sources.profile.templates)
    for name in LAYOUTS[record_type].required:
        # A field the profile maps to an absent column was reported when its column was looked up.
        if name not in required or name in sources.expressions or name in mapped:
            continue
        reason = f"required column {name!r} is missing"
        sources.problems.append(
            file_problem(sources.file_index, sources.table.header_row, name, None, reason)
        )


def map_source(
    table: SourceTable, profile: Profile, record_type: RecordType | None, file_index: int
) -> MappedTable:
    """Map ``table`` onto the layout of its record type (given, from the profile, or detected)."""
    chosen = record_type or profile.record_type or detect_record_type(_provided_fields(table, profile))
    if chosen is None:
        columns = ", ".join(table.header) or "none"
        reason = (
            f"cannot tell the record type from the columns ({columns}); "
            "use --type customers|documents|allocations|exchange_rates or a profile with record_type"
        )
        return MappedTable(None, None, {}, file_problem(file_index, table.header_row, None, None, reason))
    sources = _Sources(table, profile, file_index)
    _fill_sources(sources, chosen)
    _missing_required(sources, chosen)
    ignored = (
        [name for name in table.header if name not in sources.used_columns] if profile.name == GENERIC else []
    )
    labels = {**sources.labels, **_allocation_labels(sources.labels, chosen, profile)}
    if sources.problems:
        return MappedTable(chosen, None, labels, concat_problems(sources.problems), ignored)
    frame = _mapped_frame(table.frame, sources, profile, file_index)
    return MappedTable(chosen, frame, labels, empty_problems(), ignored)


def _mapped_frame(frame: pl.LazyFrame, sources: _Sources, profile: Profile, file_index: int) -> pl.LazyFrame:
    cleaned = [blank_to_null(expression).alias(name) for name, expression in sources.expressions.items()]
    mapped = frame.select(
        pl.lit(file_index, pl.Int32).alias("_file"), pl.col(ROW).cast(pl.Int64).alias("_row"), *cleaned
    )
    if sources.column_fields:
        # A row whose mapped cells are all empty is a blank line, not a record.
        mapped = mapped.filter(
            pl.any_horizontal([pl.col(name).is_not_null() for name in sources.column_fields])
        )
    translated = [name for name in profile.values if name in sources.expressions]
    if translated:
        mapped = mapped.with_columns(
            *[pl.col(name).alias(f"_raw_{name}") for name in translated],
            *[blank_to_null(pl.col(name).replace(profile.values[name])).alias(name) for name in translated],
        )
    return mapped


def _allocation_labels(labels: dict[str, str], record_type: RecordType, profile: Profile) -> dict[str, str]:
    """Label the allocation rules' fields, which a documents file fills through its settlement."""
    if record_type is RecordType.ALLOCATIONS:
        return {"allocation_amount": labels.get("amount", "amount")}
    if record_type is not RecordType.DOCUMENTS or profile.settlement is None:
        return {}
    number = labels.get("number", "number")
    return {
        "allocation_date": labels.get("settlement_date", "settlement_date"),
        "allocation_amount": labels.get("settlement_amount", labels.get("amount", "amount")),
        "source_number": labels.get("settlement_number", number),
        "source_kind": "settlement.kind (profile)",
        "target_number": number,
        "target_kind": labels.get("kind", "kind"),
    }
