"""Invoices without a due date become their instalments, by the payment term they were issued on.

The term is the row's own ``payment_term``. Else it is the term the invoice is already stored
with, so importing it again keeps its schedule even after the customer's term changed. Else it is
its customer's: from the first customer row of a customers file in the same import (in file and
row order), else from the stored customer. The
schedule comes from :func:`receivables.importers.term_schedules.schedule_invoices`. Each
instalment becomes a document row of its own with the file row of the invoice, so a problem on
one of them rejects the row as a whole. The term used is stored on every instalment.

Problems found here: an invoice or debit note with neither a due date nor a term, a term that
cannot apply to the amount (fixed amounts above the total, a holiday calendar not known), and a
settled row (a profile's ``settlement``) whose term gives more than one instalment, because the
export does not say which instalment the settlement paid.
"""

from __future__ import annotations

import polars as pl

from receivables.domain.discounts import DiscountBase
from receivables.domain.documents import DEBIT_KINDS
from receivables.importers.fields import currency_units, unit_of
from receivables.importers.problems import Check, concat_problems, empty_problems, run_checks
from receivables.importers.term_fields import parse_terms
from receivables.importers.term_schedules import schedule_invoices

DEBIT_VALUES = [kind.value for kind in DEBIT_KINDS]
MISSING_DUE_DATE = (
    "is missing; invoices and debit notes need a due date or a payment term (on the row or on "
    "its customer)"
)


def customer_terms(file_customers: pl.DataFrame, stored_terms: pl.DataFrame) -> pl.DataFrame:
    """Return ``customer_code`` and ``customer_term``; a customers file row wins over the stored.

    ``stored_terms`` has ``code`` and ``payment_term``. A customer row without a term clears the
    stored term, as the import replaces the customer.
    """
    imported = (
        file_customers.sort("_file", "_row")
        .unique("code", keep="first", maintain_order=True)
        .select("code", "payment_term")
    )
    stored = stored_terms.join(imported, on="code", how="anti").select("code", "payment_term")
    return pl.concat([imported, stored], how="vertical").select(
        pl.col("code").alias("customer_code"), pl.col("payment_term").alias("customer_term")
    )


def _needs_schedule() -> pl.Expr:
    complete = [
        pl.col(name).is_not_null()
        for name in ("kind", "number", "document_date", "currency", "amount_minor", "tax_minor")
    ]
    is_open_item = pl.col("kind").is_in(DEBIT_VALUES)
    return is_open_item & pl.col("due_date").is_null() & pl.all_horizontal(complete)


def expand_instalments(
    documents: pl.DataFrame,
    terms_of_customers: pl.DataFrame,
    invoice_terms: pl.DataFrame,
    settled_rows: pl.DataFrame,
    base: DiscountBase,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Replace each invoice row without a due date by its instalments; return them and the problems.

    ``terms_of_customers`` comes from :func:`customer_terms`; ``invoice_terms`` has ``kind``,
    ``number`` and the ``stored_term`` of stored invoices; ``settled_rows`` lists the
    ``(_file, _row)`` of rows that carry a settlement. Rows that cannot be scheduled stay as
    they are, with a problem that rejects them.
    """
    pending = documents.filter(_needs_schedule())
    if pending.is_empty():
        return documents, empty_problems()
    kept = documents.filter(~_needs_schedule())
    pending = pending.join(
        terms_of_customers, on="customer_code", how="left", maintain_order="left"
    ).join(invoice_terms, on=["kind", "number"], how="left", maintain_order="left")
    chosen = pl.coalesce("payment_term", "stored_term", "customer_term")
    pending = pending.with_columns(chosen.alias("_term")).with_row_index("_invoice")
    no_term = Check("due_date", pl.col("_term").is_null(), MISSING_DUE_DATE, pl.lit(""))
    problems = [run_checks(pending, [no_term])]
    with_term = pending.filter(pl.col("_term").is_not_null())
    terms, reasons = parse_terms(with_term.get_column("_term").unique().to_list())
    bad_term = pl.col("_term").is_in(list(reasons))
    problems.append(run_checks(with_term, [_bad_customer_term(reasons)]))
    with_term = with_term.filter(~bad_term)

    schedules = schedule_invoices(_invoice_frame(with_term), terms, base)
    failed = with_term.join(schedules.failures, on="_invoice", how="inner")
    failed_check = Check("payment_term", pl.lit(True), pl.col("reason"), pl.col("_term"))
    problems.append(run_checks(failed, [failed_check]))
    replaced = ["due_date", "amount_minor", "tax_minor", "instalment", "discount_offers"]
    instalments = with_term.drop(replaced).join(schedules.instalments, on="_invoice", how="inner")
    problems.append(_settled_problems(instalments, settled_rows))
    expanded = instalments.with_columns(pl.col("_term").alias("payment_term"))
    columns = documents.columns
    rows = pl.concat(
        [kept, pending.filter(pl.col("_term").is_null() | bad_term).select(columns),
         failed.select(columns), expanded.select(columns)],
        how="vertical",
    )  # fmt: skip
    return rows, concat_problems(problems)


def _bad_customer_term(reasons: dict[str, str]) -> Check:
    """Flag a customer's stored term that no longer parses; rows' own terms were checked before."""
    return Check(
        "payment_term",
        pl.col("_term").is_in(list(reasons)),
        pl.format(
            "the payment term of customer {} is invalid: {}",
            pl.col("customer_code"),
            pl.col("_term").replace_strict(reasons, default=None, return_dtype=pl.String),
        ),
        pl.col("_term"),
    )


def _invoice_frame(rows: pl.DataFrame) -> pl.DataFrame:
    units = currency_units(rows, "currency")
    return rows.select(
        pl.col("_invoice").cast(pl.Int64),
        pl.col("_term").alias("payment_term"),
        "document_date",
        "currency",
        unit_of("currency", units).alias("minor_unit"),
        "amount_minor",
        "tax_minor",
    )


def _settled_problems(instalments: pl.DataFrame, settled_rows: pl.DataFrame) -> pl.DataFrame:
    if settled_rows.is_empty():
        return empty_problems()
    several = instalments.filter(pl.len().over("_invoice") > 1).join(
        settled_rows, on=["_file", "_row"], how="semi"
    )
    reason = (
        "gives more than one instalment, and a settled row cannot say which one it paid; give "
        "the row a due date"
    )
    return run_checks(
        several.unique("_invoice"), [Check("payment_term", pl.lit(True), reason, pl.col("_term"))]
    )


def settlement_rows(allocations: pl.DataFrame, documents: pl.DataFrame) -> pl.DataFrame:
    """Return the ``(_file, _row)`` of document rows that also yield an allocation (settlements)."""
    rows = documents.select("_file", "_row").unique()
    return allocations.select("_file", "_row").unique().join(rows, on=["_file", "_row"], how="semi")
