"""Payment schedules of many invoices at once: the batch form of ``PaymentTerm.schedule``.

A term's dates depend only on the invoice date, so :meth:`PaymentTerm.line_dates` runs once per
distinct (term, invoice date) pair. The amounts are then computed for every invoice with integer
Polars expressions that apply the domain's rules exactly:

- the shares of :func:`receivables.domain.terms.split_amount`: cumulative half-up rounding when
  every line is a percentage, otherwise each percentage rounded on its own, fixed amounts as
  given and the remainder on the last line;
- the tax split of :func:`receivables.domain.terms.split_cumulative`, in proportion to the
  instalment amounts;
- the discount of :func:`receivables.domain.discounts.discount_on` and its tax part of
  :func:`receivables.domain.discounts.split_discount`.

A percentage ``p`` with ``k`` decimals is the integer ``P = p * 10^k`` over ``D = 100 * 10^k``,
and ``round_half_up(x * P / D)`` is ``(2 x P + D) // (2 D)`` in 128-bit integers, so nothing is
rounded before the named point. Tests compare the result with ``PaymentTerm.schedule`` on random
invoices. A schedule the domain rejects (fixed amounts above the total, a fixed amount finer than
the currency) gets the domain's own message, computed for those invoices only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

import polars as pl

from receivables.domain.discounts import DiscountBase, format_decimal
from receivables.domain.errors import ReceivablesError
from receivables.domain.money import Money
from receivables.domain.terms import FixedAmount, PaymentTerm, Percent, Remainder
from receivables.importers.formats import format_minor

INVOICE_SCHEMA: dict[str, pl.DataType] = {
    "_invoice": pl.Int64(),
    "payment_term": pl.String(),
    "document_date": pl.Date(),
    "currency": pl.String(),
    "minor_unit": pl.Int64(),
    "amount_minor": pl.Int64(),
    "tax_minor": pl.Int64(),
}
INSTALMENT_SCHEMA: dict[str, pl.DataType] = {
    "_invoice": pl.Int64(),
    "instalment": pl.Int64(),
    "due_date": pl.Date(),
    "amount_minor": pl.Int64(),
    "tax_minor": pl.Int64(),
    "discount_offers": pl.String(),
}
FAILURE_SCHEMA: dict[str, pl.DataType] = {"_invoice": pl.Int64(), "reason": pl.String()}

_WIDE = pl.Int128()


@dataclass(frozen=True)
class Schedules:
    """Instalment rows of the invoices that could be scheduled, and the reason for the others."""

    instalments: pl.DataFrame
    failures: pl.DataFrame


def _scaled(value: Decimal) -> tuple[int, int]:
    """Return ``value`` as an integer and the power of ten it is scaled by: 2.5 is (25, 1)."""
    exponent = value.normalize().as_tuple().exponent
    places = max(0, -int(exponent))
    return int(value.scaleb(places)), places


def _line_rows(code: str, term: PaymentTerm) -> list[dict[str, object]]:
    """Describe every line's share as integers: the domain's split rule, ready for expressions."""
    cumulative = all(not isinstance(line.share, FixedAmount) for line in term.lines)
    rows: list[dict[str, object]] = []
    running = Decimal(0)
    for number, line in enumerate(term.lines, 1):
        is_last = number == len(term.lines)
        share = line.share
        value = share.value if isinstance(share, Percent | FixedAmount) else Decimal(0)
        before = running
        running = Decimal(100) if is_last and cumulative else running + value
        scaled, places = _scaled(value)
        before_scaled, before_places = _scaled(before)
        through_scaled, through_places = _scaled(running)
        common = max(before_places, through_places)
        rows.append(
            {
                "payment_term": code,
                "line": number,
                "is_last": is_last,
                "cumulative": cumulative,
                "is_fixed": isinstance(share, FixedAmount),
                "is_remainder": isinstance(share, Remainder) or (is_last and cumulative),
                "share": scaled,
                "share_places": places,
                "before": before_scaled * 10 ** (common - before_places),
                "through": through_scaled * 10 ** (common - through_places),
                "cumulative_places": common,
            }
        )
    return rows


def _tier_rows(code: str, term: PaymentTerm) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for number, line in enumerate(term.lines, 1):
        for index, tier in enumerate(line.discounts):
            scaled, places = _scaled(tier.percent)
            rows.append(
                {
                    "payment_term": code,
                    "line": number,
                    "tier": index,
                    "percent": scaled,
                    "percent_places": places,
                    "percent_text": format_decimal(tier.percent),
                }
            )
    return rows


def _dated_lines(
    pairs: pl.DataFrame, terms: Mapping[str, PaymentTerm]
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Run the domain once per (term, invoice date): due dates, deadlines, and failed pairs."""
    dues, deadlines, failed = [], [], []
    for code, day in pairs.iter_rows():
        try:
            lines = terms[code].line_dates(day)
        except ReceivablesError as error:
            failed.append({"payment_term": code, "document_date": day, "reason": str(error)})
            continue
        for dates in lines:
            dues.append({"payment_term": code, "document_date": day, "line": dates.number,
                         "due_date": dates.due_date})  # fmt: skip
            for index, deadline in enumerate(dates.deadlines):
                deadlines.append({"payment_term": code, "document_date": day,
                                  "line": dates.number, "tier": index,
                                  "deadline": deadline})  # fmt: skip
    key = {"payment_term": pl.String(), "document_date": pl.Date(), "line": pl.Int64()}
    return (
        pl.DataFrame(dues, schema=key | {"due_date": pl.Date()}),
        pl.DataFrame(deadlines, schema=key | {"tier": pl.Int64(), "deadline": pl.Date()}),
        pl.DataFrame(
            failed,
            schema={"payment_term": pl.String(), "document_date": pl.Date(), "reason": pl.String()},
        ),
    )


def _half_up(numerator: pl.Expr, denominator: pl.Expr) -> pl.Expr:
    """``round_half_up(numerator / denominator)`` for non-negative integers, exactly."""
    return (2 * numerator.cast(_WIDE) + denominator.cast(_WIDE)) // (2 * denominator.cast(_WIDE))


def _power_of_ten(places: pl.Expr) -> pl.Expr:
    return pl.lit(10, _WIDE).pow(places.cast(pl.UInt32))


def _parts(rows: pl.DataFrame) -> pl.DataFrame:
    """Add ``part`` (minor units of each line) and ``bad_fixed`` (a fixed amount too fine)."""
    minor = pl.col("amount_minor").cast(_WIDE)
    cumulative_scale = 100 * _power_of_ten(pl.col("cumulative_places"))
    reached_through = _half_up(minor * pl.col("through"), cumulative_scale)
    reached_before = _half_up(minor * pl.col("before"), cumulative_scale)
    percent_part = _half_up(minor * pl.col("share"), 100 * _power_of_ten(pl.col("share_places")))
    fixed_scale = _power_of_ten((pl.col("share_places") - pl.col("minor_unit")).clip(0))
    fixed_part = (
        pl.col("share").cast(_WIDE)
        * _power_of_ten((pl.col("minor_unit") - pl.col("share_places")).clip(0))
        // fixed_scale
    )
    named = pl.when(pl.col("is_fixed")).then(fixed_part).otherwise(percent_part)
    rows = rows.with_columns(
        pl.when(pl.col("cumulative"))
        .then(reached_through - reached_before)
        .when(pl.col("is_last"))
        .then(pl.lit(0, _WIDE))
        .otherwise(named)
        .alias("part"),
        (pl.col("is_fixed") & (pl.col("share").cast(_WIDE) % fixed_scale != 0)).alias("bad_fixed"),
    )
    taken = pl.col("part").sum().over("_invoice")
    remainder = pl.when(~pl.col("cumulative") & pl.col("is_last")).then(minor - taken)
    return rows.with_columns(remainder.fill_null(pl.col("part")).alias("part"))


def _taxes(rows: pl.DataFrame) -> pl.DataFrame:
    """Split the tax in proportion to the parts by cumulative rounding: ``tax_part``."""
    tax = pl.col("tax_minor").cast(_WIDE)
    through = pl.col("part").cum_sum().over("_invoice", order_by="line")
    reached = _half_up(tax * through, pl.col("amount_minor"))
    before = _half_up(tax * (through - pl.col("part")), pl.col("amount_minor"))
    return rows.with_columns(
        pl.when(tax == 0).then(0).otherwise(reached - before).alias("tax_part")
    )


def _offers(instalments: pl.DataFrame, tiers: pl.DataFrame, base: DiscountBase) -> pl.DataFrame:
    """Price every tier of every instalment; return one JSON list of offers per instalment."""
    frame = instalments.join(tiers, on=["payment_term", "document_date", "line"], how="inner")
    scale = 100 * _power_of_ten(pl.col("percent_places"))
    value = pl.col("part") if base is DiscountBase.GROSS else pl.col("part") - pl.col("tax_part")
    frame = frame.with_columns(_half_up(value * pl.col("percent"), scale).alias("discount"))
    tax_part = pl.lit(0, _WIDE)
    if base is DiscountBase.GROSS:
        tax_part = (
            pl.when(pl.col("tax_part") > 0)
            .then(_half_up(pl.col("discount") * pl.col("tax_part"), pl.col("part")))
            .otherwise(0)
        )
    frame = frame.with_columns(tax_part.alias("discount_tax"))

    def money(column: str | pl.Expr) -> pl.Expr:
        expression = pl.col(column) if isinstance(column, str) else column
        return format_minor(expression.cast(pl.Int64), pl.col("minor_unit"))

    offer = pl.concat_str(
        pl.lit('{"percent": "'),
        pl.col("percent_text"),
        pl.lit('", "deadline": "'),
        pl.col("deadline").dt.to_string("%Y-%m-%d"),
        pl.lit(f'", "base": "{base.value}", "amount": "'),
        money("discount"),
        pl.lit('", "net": "'),
        money(pl.col("discount") - pl.col("discount_tax")),
        pl.lit('", "tax": "'),
        money("discount_tax"),
        pl.lit('"}'),
    )
    return (
        frame.sort("_invoice", "line", "tier")
        .group_by("_invoice", "line", maintain_order=True)
        .agg(offer.str.join(", ").alias("_offers"))
        .select("_invoice", "line", ("[" + pl.col("_offers") + "]").alias("discount_offers"))
    )


def _domain_failures(failed: pl.DataFrame, terms: Mapping[str, PaymentTerm]) -> pl.DataFrame:
    """Ask the domain why each failed invoice cannot be scheduled, for its exact message."""
    reasons = []
    for invoice, code, day, currency, amount, tax in failed.select(
        "_invoice", "payment_term", "document_date", "currency", "amount_minor", "tax_minor"
    ).iter_rows():
        try:
            terms[code].schedule(
                day, Money.from_minor(amount, currency), Money.from_minor(tax, currency)
            )
            reason = f"payment term {code} cannot be applied to this invoice"
        except ReceivablesError as error:
            reason = str(error)
        reasons.append((invoice, reason))
    return pl.DataFrame(reasons, schema=FAILURE_SCHEMA, orient="row")


def schedule_invoices(
    invoices: pl.DataFrame, terms: Mapping[str, PaymentTerm], base: DiscountBase
) -> Schedules:
    """Schedule every invoice of ``invoices`` (columns of :data:`INVOICE_SCHEMA`) by its term.

    ``terms`` maps each ``payment_term`` value to its parsed term. Instalments whose share rounds
    to zero are left out and the others keep their line number, as in ``PaymentTerm.schedule``.
    """
    invoices = invoices.select(list(INVOICE_SCHEMA)).cast(INVOICE_SCHEMA)  # type: ignore[arg-type]
    if invoices.is_empty():
        return Schedules(
            pl.DataFrame(schema=INSTALMENT_SCHEMA), pl.DataFrame(schema=FAILURE_SCHEMA)
        )
    codes = invoices.get_column("payment_term").unique().to_list()
    lines = pl.DataFrame([row for code in codes for row in _line_rows(code, terms[code])])
    tiers = pl.DataFrame(
        [row for code in codes for row in _tier_rows(code, terms[code])],
        schema={"payment_term": pl.String(), "line": pl.Int64(), "tier": pl.Int64(),
                "percent": pl.Int64(), "percent_places": pl.Int64(), "percent_text": pl.String()},
    )  # fmt: skip
    pairs = invoices.select("payment_term", "document_date").unique()
    dues, deadlines, bad_pairs = _dated_lines(pairs, terms)
    date_failures = invoices.join(bad_pairs, on=["payment_term", "document_date"], how="inner")
    invoices = invoices.join(bad_pairs, on=["payment_term", "document_date"], how="anti")

    rows = _parts(invoices.join(lines, on="payment_term", how="inner").sort("_invoice", "line"))
    broken = rows.group_by("_invoice").agg(
        (pl.col("bad_fixed").any() | (pl.col("part") < 0).any()).alias("broken")
    )
    failed_ids = broken.filter(pl.col("broken")).select("_invoice")
    rows = _taxes(rows.join(failed_ids, on="_invoice", how="anti")).filter(pl.col("part") != 0)
    rows = rows.join(dues, on=["payment_term", "document_date", "line"], how="left")
    offers = _offers(rows, tiers.join(deadlines, on=["payment_term", "line", "tier"]), base)
    instalments = rows.join(offers, on=["_invoice", "line"], how="left").select(
        "_invoice",
        pl.col("line").alias("instalment"),
        "due_date",
        pl.col("part").cast(pl.Int64).alias("amount_minor"),
        pl.col("tax_part").cast(pl.Int64).alias("tax_minor"),
        "discount_offers",
    )
    failures = pl.concat(
        [
            date_failures.select("_invoice", "reason"),
            _domain_failures(invoices.join(failed_ids, on="_invoice", how="semi"), terms),
        ]
    )
    return Schedules(instalments.sort("_invoice", "instalment"), failures.cast(FAILURE_SCHEMA))  # type: ignore[arg-type]
