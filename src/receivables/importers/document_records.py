"""Typed documents from a mapped frame, with the settlements and customers a profile derives.

Amounts are positive and the kind gives the sign. A profile may instead read signed amounts: a
``sign`` column (codes translated to ``+`` or ``-``) flips the amount, and ``kind_from_sign``
names the kind of positive and of negative amounts for rows without a kind.

A profile's ``settlement`` turns each debit row with a settlement date into three records: the
document itself, a credit document of the settlement kind dated that day, and an allocation of the
settled amount from the second to the first. All three share the file row, so a problem in any of
them rejects the row as a whole.

An invoice or debit note without a due date keeps it empty here: the checks across files give it
the due dates of its payment term (its own, or its customer's) in
:mod:`receivables.importers.term_expansion`. A credit document's due date is its document date.
"""

from __future__ import annotations

import polars as pl

from receivables.domain.documents import DEBIT_KINDS
from receivables.importers.fields import (
    country_check,
    currency_check,
    currency_units,
    date_check,
    date_column,
    ensure_fields,
    keep_original,
    kind_check,
    length_checks,
    normalized_kind,
    raw,
    required_checks,
    unit_of,
)
from receivables.importers.formats import decimal_text, parse_bool, rate_problem, with_number_parts
from receivables.importers.layout import LAYOUTS, SETTLEMENT_FIELDS, RecordType, fields_of
from receivables.importers.problems import Check, run_checks
from receivables.importers.profiles import Profile
from receivables.importers.records import (
    ALLOCATION_COLUMNS,
    CUSTOMER_COLUMNS,
    FileRecords,
    amount_check,
    with_amount,
)
from receivables.importers.term_fields import instalment_check, instalment_column, with_canonical_term

DOCUMENT_COLUMNS = [
    "_file", "_row", "_order", "customer_code", "kind", "number", "document_date", "due_date",
    "currency", "amount_minor", "tax_minor", "fx_rate", "disputed", "reference", "instalment",
    "payment_term", "discount_offers", "_one_instalment",
]  # fmt: skip
DEBIT_KIND_VALUES = [kind.value for kind in DEBIT_KINDS]
DATE_FIELDS = ("document_date", "due_date", "settlement_date")
NEGATIVE_AMOUNT = (
    "is negative; amounts are positive and the kind gives the sign (or set kind_from_sign in a profile)"
)


def document_records(frame: pl.DataFrame, profile: Profile) -> FileRecords:
    frame = ensure_fields(frame, [*fields_of(RecordType.DOCUMENTS), *SETTLEMENT_FIELDS])
    frame = keep_original(frame, ["kind", "currency", "customer_country", "customer_currency"])
    frame = frame.with_columns(
        normalized_kind("kind"),
        pl.col("currency").str.to_uppercase(),
        pl.col("customer_country").str.to_uppercase(),
        pl.col("customer_currency").str.to_uppercase(),
        *[date_column(name, profile.date_format) for name in DATE_FIELDS],
        parse_bool("disputed").alias("_bool_disputed"),
        instalment_column("instalment"),
    )
    frame = with_number_parts(frame, "fx_rate", profile.decimal_separator, profile.thousands_separator)
    frame, term_check = with_canonical_term(frame, "payment_term")

    units = currency_units(frame, "currency")
    unit = unit_of("currency", units)
    for name in ("amount", "tax_amount", "settlement_amount"):
        frame = with_amount(frame, name, unit, profile)
    frame = _signed_amounts(frame, profile)
    checks = [*_document_checks(frame, profile, units, unit), *_term_checks(frame, term_check)]
    problems = run_checks(frame, checks)

    documents = [_main_documents(frame)]
    allocations = None
    if profile.settlement is not None:
        settled = frame.filter(
            pl.col("kind").is_in(DEBIT_KIND_VALUES) & pl.col("_date_settlement_date").is_not_null()
        )
        documents.append(_settling_documents(settled, profile))
        allocations = _settling_allocations(settled, profile)
    row_customers = _row_customers(frame) if profile.customers_from_rows else None
    return FileRecords(
        documents=pl.concat(documents, how="vertical"),
        allocations=allocations,
        row_customers=row_customers,
        problems=problems,
    )


def _signed_amounts(frame: pl.DataFrame, profile: Profile) -> pl.DataFrame:
    """Apply the sign column and ``kind_from_sign``: ``_amount`` and ``_tax`` in minor units."""
    sign = pl.col("sign")
    factor = (
        pl.when(sign.is_null() | (sign == "+"))
        .then(pl.lit(1, pl.Int64))
        .when(sign == "-")
        .then(pl.lit(-1, pl.Int64))
    )
    frame = frame.with_columns(factor.alias("_sign_factor"))
    signed = pl.col("_minor_amount") * pl.col("_sign_factor")
    tax = pl.col("_minor_tax_amount").fill_null(pl.when(pl.col("tax_amount").is_null()).then(0)) * pl.col(
        "_sign_factor"
    )
    if profile.kind_from_sign is None:
        return frame.with_columns(signed.alias("_amount"), tax.alias("_tax"))
    positive, negative = profile.kind_from_sign
    by_sign = (
        pl.when(signed < 0)
        .then(pl.lit(negative.value))
        .when(signed.is_not_null())
        .then(pl.lit(positive.value))
    )
    flip = pl.when(signed < 0).then(-1).otherwise(1)
    return frame.with_columns(
        pl.col("kind").fill_null(by_sign),
        signed.abs().alias("_amount"),
        (tax * flip).alias("_tax"),
    )


def _document_checks(
    frame: pl.DataFrame, profile: Profile, units: dict[str, int], unit: pl.Expr
) -> list[Check]:
    required = [
        name
        for name in LAYOUTS[RecordType.DOCUMENTS].required
        if name != "kind" or profile.kind_from_sign is None
    ]
    customer_units = currency_units(frame, "customer_currency")
    return [
        *required_checks(required),
        kind_check(frame, "kind"),
        Check("sign", pl.col("sign").is_not_null() & pl.col("_sign_factor").is_null(),
              "is not a sign; map its codes to + or - in [profiles.NAME.values.sign]", raw(frame, "sign")),
        *length_checks(frame, ["number", "customer_code", "reference", "customer_name", "customer_industry",
                               "customer_segment", "settlement_number"]),
        currency_check(frame, "currency", units),
        *_amount_checks(frame, unit),
        *[date_check(frame, name, profile.date_format) for name in DATE_FIELDS],
        Check("due_date", pl.col("_date_due_date") < pl.col("_date_document_date"),
              "is before the document date", raw(frame, "due_date")),
        Check("fx_rate", pl.col("fx_rate").is_not_null() & rate_problem("_parts_fx_rate").is_not_null(),
              rate_problem("_parts_fx_rate"), raw(frame, "fx_rate")),
        Check("disputed", pl.col("disputed").is_not_null() & pl.col("_bool_disputed").is_null(),
              "is not true or false (also yes/no, y/n, 1/0)", raw(frame, "disputed")),
        country_check(frame, "customer_country"),
        currency_check(frame, "customer_currency", customer_units),
    ]  # fmt: skip


def _term_checks(frame: pl.DataFrame, term_check: Check) -> list[Check]:
    """Checks of the instalment and payment term cells; the terms themselves come from the batch."""
    is_debit = pl.col("kind").is_in(DEBIT_KIND_VALUES)
    credit = pl.col("kind").is_not_null() & ~is_debit
    numbered = pl.col("_int_instalment")
    return [
        instalment_check(frame, "instalment"),
        term_check,
        Check("instalment", credit & numbered.is_not_null() & (numbered != 1),
              "must be 1 or empty; only invoices and debit notes have instalments", raw(frame, "instalment")),
        Check("instalment", is_debit & pl.col("instalment").is_not_null() & pl.col("due_date").is_null(),
              "needs a due date; leave instalment empty to let the payment term give the instalments",
              raw(frame, "instalment")),
        Check("payment_term", credit & pl.col("_raw_payment_term").is_not_null(),
              "is for invoices and debit notes only; leave it empty on credit documents",
              raw(frame, "payment_term")),
    ]  # fmt: skip


def _amount_checks(frame: pl.DataFrame, unit: pl.Expr) -> list[Check]:
    currency = pl.col("currency")
    settled = pl.col("_minor_settlement_amount")
    return [
        amount_check(frame, "amount", unit, currency),
        Check("amount", pl.col("_amount") == 0, "must not be zero", raw(frame, "amount")),
        Check("amount", pl.col("_amount") < 0, NEGATIVE_AMOUNT, raw(frame, "amount")),
        amount_check(frame, "tax_amount", unit, currency),
        Check("tax_amount", (pl.col("_amount") > 0) & ~pl.col("_tax").is_between(0, pl.col("_amount")),
              "must lie between 0 and the amount", raw(frame, "tax_amount")),
        amount_check(frame, "settlement_amount", unit, currency),
        Check("settlement_amount", settled <= 0, "must be positive", raw(frame, "settlement_amount")),
        Check("settlement_amount", settled > pl.col("_amount"), "is more than the document amount",
              raw(frame, "settlement_amount")),
    ]  # fmt: skip


def _main_documents(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.select(
        "_file",
        "_row",
        pl.lit(0, pl.Int32).alias("_order"),
        "customer_code",
        "kind",
        "number",
        pl.col("_date_document_date").alias("document_date"),
        pl.when(pl.col("kind").is_in(DEBIT_KIND_VALUES))
        .then(pl.col("_date_due_date"))
        .otherwise(pl.col("_date_due_date").fill_null(pl.col("_date_document_date")))
        .alias("due_date"),
        "currency",
        pl.col("_amount").alias("amount_minor"),
        pl.col("_tax").fill_null(0).alias("tax_minor"),
        decimal_text("_parts_fx_rate").alias("fx_rate"),
        pl.col("_bool_disputed").fill_null(False).alias("disputed"),
        "reference",
        pl.col("_int_instalment").fill_null(1).alias("instalment"),
        "payment_term",
        pl.lit(None, pl.String).alias("discount_offers"),
        pl.col("_int_instalment").is_not_null().alias("_one_instalment"),
    )


def _settled_amount() -> pl.Expr:
    return pl.col("_minor_settlement_amount").fill_null(pl.col("_amount"))


def _settling_number() -> pl.Expr:
    return pl.col("settlement_number").fill_null(pl.col("number"))


def _settling_documents(settled: pl.DataFrame, profile: Profile) -> pl.DataFrame:
    assert profile.settlement is not None
    return settled.select(
        "_file",
        "_row",
        pl.lit(1, pl.Int32).alias("_order"),
        "customer_code",
        pl.lit(profile.settlement.kind.value).alias("kind"),
        _settling_number().alias("number"),
        pl.col("_date_settlement_date").alias("document_date"),
        pl.col("_date_settlement_date").alias("due_date"),
        "currency",
        _settled_amount().alias("amount_minor"),
        pl.lit(0, pl.Int64).alias("tax_minor"),
        pl.lit(None, pl.String).alias("fx_rate"),
        pl.lit(False).alias("disputed"),
        pl.lit(None, pl.String).alias("reference"),
        pl.lit(1, pl.Int64).alias("instalment"),
        pl.lit(None, pl.String).alias("payment_term"),
        pl.lit(None, pl.String).alias("discount_offers"),
        pl.lit(False).alias("_one_instalment"),
    )


def _settling_allocations(settled: pl.DataFrame, profile: Profile) -> pl.DataFrame:
    assert profile.settlement is not None
    amount_text = pl.col("settlement_amount").fill_null(raw(settled, "amount"))
    return settled.select(
        "_file",
        "_row",
        pl.lit(2, pl.Int32).alias("_order"),
        pl.lit(profile.settlement.kind.value).alias("source_kind"),
        _settling_number().alias("source_number"),
        pl.col("kind").alias("target_kind"),
        pl.col("number").alias("target_number"),
        pl.col("_date_settlement_date").alias("allocation_date"),
        _settled_amount().alias("amount_minor"),
        "currency",
        pl.col("settlement_date").alias("_raw_allocation_date"),
        amount_text.alias("_raw_allocation_amount"),
        pl.lit(1, pl.Int64).alias("source_instalment"),
        pl.col("_int_instalment").fill_null(1).alias("target_instalment"),
    ).select(ALLOCATION_COLUMNS)


def _row_customers(frame: pl.DataFrame) -> pl.DataFrame:
    """Build one customer per row, named after its code unless the profile maps a name."""
    return (
        frame.filter(pl.col("customer_code").is_not_null())
        .select(
            "_file",
            "_row",
            pl.col("customer_code").alias("code"),
            pl.col("customer_name").fill_null(pl.col("customer_code")).alias("name"),
            pl.col("customer_country").alias("country"),
            pl.col("customer_currency").alias("currency"),
            pl.col("customer_industry").alias("industry"),
            pl.col("customer_segment").alias("segment"),
            pl.lit(None, pl.String).alias("payment_term"),
        )
        .select(CUSTOMER_COLUMNS)
    )
