"""Payment terms and instalment numbers in imported rows: parsing, checks and canonical text.

A term cell is read once per distinct text by :meth:`PaymentTerm.parse`, so a million invoices on
three terms parse three terms. A valid term is stored in its canonical form (``2/10 Net 30``
becomes ``2/10 net30``); an invalid one is a problem of its cell, with the parser's reason.
"""

from __future__ import annotations

import polars as pl

from receivables.domain.errors import ReceivablesError
from receivables.domain.terms import PaymentTerm
from receivables.importers.fields import raw
from receivables.importers.problems import Check

# The largest instalment number the SmallInteger column stores.
MAX_INSTALMENT = 32_767
INSTALMENT_PROBLEM = f"is not an instalment number; use a whole number from 1 to {MAX_INSTALMENT}"


def parse_terms(texts: list[str]) -> tuple[dict[str, PaymentTerm], dict[str, str]]:
    """Parse each text; return the terms by text and the reason of each text that fails."""
    terms: dict[str, PaymentTerm] = {}
    reasons: dict[str, str] = {}
    for text in texts:
        try:
            terms[text] = PaymentTerm.parse(text)
        except ReceivablesError as error:
            reasons[text] = str(error)
    return terms, reasons


def with_canonical_term(frame: pl.DataFrame, field: str) -> tuple[pl.DataFrame, Check]:
    """Replace ``field`` by its canonical term text; return the frame and the check of bad terms.

    The original text stays in ``_raw_<field>`` for the problem report.
    """
    if f"_raw_{field}" not in frame.columns:
        frame = frame.with_columns(pl.col(field).alias(f"_raw_{field}"))
    texts = frame.get_column(field).drop_nulls().unique().to_list()
    terms, reasons = parse_terms(texts)
    canonical = {text: term.to_text() for text, term in terms.items()}
    frame = frame.with_columns(
        pl.col(field).replace_strict(canonical, default=None, return_dtype=pl.String).alias(field),
        pl.col(field)
        .replace_strict(reasons, default=None, return_dtype=pl.String)
        .alias(f"_problem_{field}"),
    )
    check = Check(
        field,
        pl.col(f"_problem_{field}").is_not_null(),
        pl.col(f"_problem_{field}"),
        raw(frame, field),
    )
    return frame, check


def instalment_column(field: str) -> pl.Expr:
    """Parse ``field`` as an instalment number; null when empty or not a valid number."""
    number = pl.col(field).cast(pl.Int64, strict=False)
    return pl.when(number.is_between(1, MAX_INSTALMENT)).then(number).alias(f"_int_{field}")


def instalment_check(frame: pl.DataFrame, field: str) -> Check:
    return Check(
        field,
        pl.col(field).is_not_null() & pl.col(f"_int_{field}").is_null(),
        INSTALMENT_PROBLEM,
        raw(frame, field),
    )
