"""Import of customer contact data for collections from a CSV file.

Columns (header row, UTF-8, comma, semicolon or tab), matched without regard to case:
``customer_code`` (required), ``contact_name``, ``email``, ``phone``, ``language`` (ISO 639-1,
such as ``de``), ``street``, ``postal_code``, ``city``, ``country`` (ISO 3166 alpha-2). Empty
cells are missing values. Each row replaces the stored contact of its customer.

Every row is checked first; a problem names the row (the header is row 1), the column, the
value and the reason. Without ``skip_invalid`` one problem writes nothing; with it, the valid
rows are written.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
from sqlalchemy import Connection, Engine, text

from receivables.dunning.audit import record, utc_now
from receivables.dunning.bulk import stage, wait_for_writers
from receivables.dunning.bundles import EMAIL_PATTERN

COLUMNS = (
    "customer_code",
    "contact_name",
    "email",
    "phone",
    "language",
    "street",
    "postal_code",
    "city",
    "country",
)
LIMITS = {
    "contact_name": 200,
    "email": 254,
    "phone": 40,
    "street": 200,
    "postal_code": 20,
    "city": 100,
}
CHECKS = {
    "email": (EMAIL_PATTERN, "is not a valid email address"),
    "language": (r"^[a-z]{2}$", "is not a two-letter ISO 639-1 language code such as de"),
    "country": (r"^[A-Z]{2}$", "is not a two-letter ISO 3166 country code such as DE"),
    "phone": (r"^\+?[0-9 ()./-]{3,40}$", "is not a phone number (digits, spaces, + ( ) . / -)"),
}


@dataclass(frozen=True)
class ContactProblem:
    row: int
    column: str
    value: str
    reason: str


@dataclass
class ContactImport:
    rows: int = 0
    written: int = 0
    problems: list[ContactProblem] = field(default_factory=list)


def read_contacts(path: Path) -> pl.DataFrame:
    """Read the file as text columns with a ``row`` number; raise ValueError when unreadable."""
    sample = path.read_text(encoding="utf-8-sig")[:4096]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    frame = pl.read_csv(path, separator=delimiter, infer_schema=False, encoding="utf8-lossy")
    frame = frame.rename({name: name.strip().lower() for name in frame.columns})
    if "customer_code" not in frame.columns:
        raise ValueError(f"{path.name}: the header has no customer_code column")
    missing = [pl.lit(None, pl.String).alias(name) for name in COLUMNS if name not in frame.columns]
    frame = frame.with_columns(missing).select(COLUMNS)
    cleaned = [pl.col(name).str.strip_chars().replace("", None) for name in COLUMNS]
    return frame.with_columns(cleaned).with_columns(
        pl.col("language").str.to_lowercase(),
        pl.col("country").str.to_uppercase(),
        (pl.int_range(pl.len()) + 2).alias("row"),
    )


def check_contacts(frame: pl.DataFrame, known: pl.DataFrame) -> list[ContactProblem]:
    """Return the problems of every row: unknown customer, bad formats, texts too long."""
    checks = [(pl.col("customer_code").is_null(), "customer_code", "is missing")]
    unknown = ~pl.col("customer_code").is_in(known["code"].implode())
    reason = "is not a stored customer; import the customers first"
    checks.append((unknown & pl.col("customer_code").is_not_null(), "customer_code", reason))
    for column, (pattern, reason) in CHECKS.items():
        checks.append(
            (pl.col(column).is_not_null() & ~pl.col(column).str.contains(pattern), column, reason)
        )
    for column, limit in LIMITS.items():
        checks.append(
            (pl.col(column).str.len_chars() > limit, column, f"is longer than {limit} characters")
        )
    duplicated = pl.col("customer_code").is_duplicated() & pl.col("customer_code").is_not_null()
    checks.append((duplicated, "customer_code", "appears in more than one row"))
    problems = []
    for condition, column, reason in checks:
        for row in frame.filter(condition.fill_null(False)).select("row", column).iter_rows():
            problems.append(ContactProblem(row[0], column, row[1] or "", reason))
    return sorted(problems, key=lambda problem: (problem.row, problem.column))


CONTACT_STAGE = {name: pl.String() for name in COLUMNS}


def store_contacts(connection: Connection, frame: pl.DataFrame) -> None:
    """Upsert checked contact rows (the columns of ``COLUMNS``) by customer code."""
    stage(connection, "stage_contacts", frame, CONTACT_STAGE)
    columns = [name for name in COLUMNS if name != "customer_code"]
    updates = ", ".join(f"{name} = excluded.{name}" for name in [*columns, "updated_at"])
    connection.execute(
        text(
            f"INSERT INTO customer_contacts (customer_id, {', '.join(columns)}, updated_at) "
            f"SELECT c.id, {', '.join('s.' + name for name in columns)}, :now "
            "FROM stage_contacts s JOIN customers c ON c.code = s.customer_code WHERE 1 = 1 "
            f"ON CONFLICT (customer_id) DO UPDATE SET {updates}"
        ),
        {"now": utc_now()},
    )


def import_contacts(
    engine: Engine, path: Path, skip_invalid: bool = False, user: str | None = None
) -> ContactImport:
    """Check the contacts file and write its rows (all, or only the valid ones)."""
    frame = read_contacts(path)
    result = ContactImport(rows=frame.height)
    with engine.begin() as connection:
        wait_for_writers(connection)
        known = pl.DataFrame(
            connection.execute(text("SELECT code FROM customers")).all(),
            schema={"code": pl.String()},
            orient="row",
        )
        result.problems = check_contacts(frame, known)
        if result.problems and not skip_invalid:
            return result
        bad_rows = {problem.row for problem in result.problems}
        valid = frame.filter(~pl.col("row").is_in(list(bad_rows)))
        store_contacts(connection, valid)
        result.written = valid.height
        record(connection, user, "contacts_imported", {"file": path.name, "rows": valid.height})
    return result
