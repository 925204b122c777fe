"""Checks across rows and files: conflicting duplicates, customer references, currencies and rates.

Each check takes frames of the rows still accepted and returns problems; none writes anything.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from receivables.domain.money import is_currency_code
from receivables.importers.formats import format_minor
from receivables.importers.problems import Check, empty_problems, file_problem, run_checks
from receivables.storage.frames import FX_SCALE

log = logging.getLogger(__name__)

PLACES_SHOWN = 5
FX_DIGITS = len(str(FX_SCALE)) - 1


def place(names: Sequence[str]) -> pl.Expr:
    """``file.csv row 7`` for each row, from ``_file`` and ``_row``; the file without its folder."""
    short = {index: Path(name).name for index, name in enumerate(names)}
    file_name = pl.col("_file").replace_strict(short, return_dtype=pl.String)
    return pl.format("{} row {}", file_name, pl.col("_row"))


def conflicting_duplicates(
    frame: pl.DataFrame, key: list[str], content: list[str], field: str, what: pl.Expr, names: Sequence[str]
) -> pl.DataFrame:
    """Rows that share ``key`` but differ in ``content``: every one of them is a problem.

    Rows equal in everything are harmless repeats; the writer keeps the first.
    """
    if frame.height < 2:
        return empty_problems()
    repeated = frame.select(pl.struct(key).is_duplicated()).to_series()
    if not repeated.any():
        return empty_problems()
    duplicates = frame.filter(repeated).with_columns(place(names).alias("_place"))
    groups = duplicates.group_by(key).agg(
        pl.struct(content).n_unique().alias("_variants"),
        pl.len().alias("_count"),
        pl.col("_place").head(PLACES_SHOWN).str.join(", ").alias("_places"),
    )
    conflicting = duplicates.join(groups.filter(pl.col("_variants") > 1), on=key, how="inner")
    reason = pl.format(
        "{} appears {} times with different values ({}); keep one of them",
        what,
        pl.col("_count"),
        pl.col("_places"),
    )
    return run_checks(conflicting, [Check(field, pl.lit(True), reason)])


def customer_problems(
    documents: pl.DataFrame, known: pl.Series, rejected_customers: pl.DataFrame, names: Sequence[str]
) -> pl.DataFrame:
    """Documents whose customer is neither stored nor imported, or whose customer row was rejected."""
    unknown = documents.filter(~pl.col("customer_code").is_in(known.implode()))
    if unknown.is_empty():
        return empty_problems()
    rejected = (
        rejected_customers.sort("_file", "_row")
        .unique("code", keep="first", maintain_order=True)
        .select(pl.col("code").alias("customer_code"), place(names).alias("_rejected_at"))
    )
    unknown = unknown.join(rejected, on="customer_code", how="left")
    reason = (
        pl.when(pl.col("_rejected_at").is_not_null())
        .then(pl.format("customer {} was rejected ({})", pl.col("customer_code"), pl.col("_rejected_at")))
        .otherwise(
            pl.format(
                "customer {} not found in the files or the database; import it in a customers file",
                pl.col("customer_code"),
            )
        )
    )
    return run_checks(unknown, [Check("customer_code", pl.lit(True), reason)])


@dataclass(frozen=True)
class CompanyCurrency:
    """The company currency for this import; ``is_new`` when the import stores it first."""

    code: str | None
    is_new: bool = False
    problem: str | None = None


def decide_company_currency(
    stored: str | None, configured: str | None, document_currencies: list[str]
) -> CompanyCurrency:
    """Keep the stored currency; else take the configured one; else the documents' only currency."""
    if stored:
        if configured and configured != stored:
            log.warning(
                "company currency %s in the database wins over %s in the settings", stored, configured
            )
        return CompanyCurrency(stored)
    if configured:
        if not is_currency_code(configured):
            return CompanyCurrency(
                None, problem=f"company currency {configured!r} in the settings is not an ISO 4217 code"
            )
        return CompanyCurrency(configured, is_new=True)
    currencies = sorted(set(document_currencies))
    if len(currencies) == 1:
        return CompanyCurrency(currencies[0], is_new=True)
    if not currencies:
        return CompanyCurrency(None)
    return CompanyCurrency(
        None,
        problem=(
            f"the documents are in several currencies ({', '.join(currencies)}) and the database has no "
            "company currency yet; set RECEIVABLES_COMPANY_CURRENCY (or company_currency in the config "
            "file) to the currency reports are in"
        ),
    )


def company_currency_problem(decision: CompanyCurrency, file_index: int) -> pl.DataFrame:
    if decision.problem is None:
        return empty_problems()
    return file_problem(file_index, None, "currency", None, decision.problem)


def rate_problems(rates: pl.DataFrame, company: str | None) -> pl.DataFrame:
    if company is None:
        return empty_problems()
    return run_checks(
        rates,
        [Check("currency", pl.col("currency") == company, "is the company currency; its rate is always 1")],
    )


def known_rates(file_rates: pl.DataFrame, stored_rates: pl.DataFrame) -> pl.DataFrame:
    """Rates by currency and date as text: the imported ones, and the stored ones they do not replace."""
    scaled = pl.col("rate_scaled")
    stored = stored_rates.select(
        "currency",
        "rate_date",
        format_minor(scaled, pl.lit(FX_DIGITS))
        .str.strip_chars_end("0")
        .str.strip_chars_end(".")
        .alias("rate"),
    )
    imported = file_rates.select("currency", "rate_date", "rate").unique(
        ["currency", "rate_date"], keep="first"
    )
    stored = stored.join(imported, on=["currency", "rate_date"], how="anti")
    return pl.concat([imported, stored], how="vertical")


def resolve_fx(
    documents: pl.DataFrame, company: str | None, rates: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Set each document's ``fx_rate``: 1 in the company currency, else the file's or the latest stored rate.

    The stored rate is the one dated on or before the document date (an as-of join per currency).
    """
    if company is None or documents.is_empty():
        return documents, empty_problems()
    in_company = pl.col("currency") == company
    other_rate = in_company & pl.col("fx_rate").is_not_null() & (pl.col("fx_rate") != "1")
    problems = [
        run_checks(
            documents,
            [Check("fx_rate", other_rate, f"must be 1 for documents in the company currency {company}")],
        )
    ]
    documents = documents.with_columns(
        pl.when(in_company).then(pl.lit("1")).otherwise(pl.col("fx_rate")).alias("fx_rate")
    )
    missing = pl.col("fx_rate").is_null()
    if not documents.select(missing.any()).item():
        return documents, problems[0]
    documents = documents.with_row_index("_position")
    needing = documents.filter(missing).select("_position", "currency", "document_date").sort("document_date")
    found = needing.join_asof(
        rates.sort("rate_date"),
        left_on="document_date",
        right_on="rate_date",
        by="currency",
        strategy="backward",
        check_sortedness=False,  # both sides are sorted by date just above
    ).select("_position", pl.col("rate").alias("_looked_up"))
    documents = documents.join(found, on="_position", how="left", maintain_order="left")
    reason = pl.format(
        "no exchange rate for {} on or before {}; add fx_rate to the file or import exchange rates first",
        pl.col("currency"),
        pl.col("document_date"),
    )
    problems.append(
        run_checks(
            documents, [Check("fx_rate", missing & pl.col("_looked_up").is_null(), reason, pl.lit(""))]
        )
    )
    documents = documents.with_columns(pl.col("fx_rate").fill_null(pl.col("_looked_up"))).drop(
        "_position", "_looked_up"
    )
    return documents, pl.concat(problems)
