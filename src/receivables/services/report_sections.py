"""Optional sections of the company report: credit classes and limits, and cash application.

:func:`build_sections` returns plain JSON-ready dicts that the CLI attaches to
:attr:`receivables.analytics.Report.sections`, so the analytics package never imports credit or
banking code. A section is left out when its data is absent:

- ``credit`` appears once a credit review stored a score or a limit, or sales figures were
  imported. Its ``classes`` then list every risk class, with ``unrated`` for customers never
  reviewed. Its ``sales_ratio`` lists the company rows (segment ``all``) of the months of the
  report period, and is empty without imported sales figures.
- ``cash_application`` appears once a bank transaction booked on or before ``as_of`` exists.
- ``ecl`` and ``advice`` appear when asked for and the ledger has documents (see
  :mod:`receivables.advisor.report_section`).

Amounts are fixed-place strings: credit amounts in the company currency, bank amounts in each
transaction's own currency. Percentages are strings with two decimals, or None.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import polars as pl
from sqlalchemy import Engine, text

from receivables.advisor.report_section import advice_sections
from receivables.analytics.report import amount_text
from receivables.config import Settings
from receivables.credit.config import load_credit_settings
from receivables.credit.sales_ratio import ALL, credit_sales_ratio, load_sales_figures
from receivables.credit.summary import class_summary, credit_positions
from receivables.domain.metrics import round_figure
from receivables.domain.money import Currency, Money
from receivables.storage.frames import load_customers, load_documents

OUTCOMES = ("auto_applied", "applied_after_review", "suggested", "unmatched")
BANK_SQL = (
    "SELECT t.currency, t.status, COALESCE(p.decided_by, '') AS decided_by, "
    "COUNT(*) AS lines, SUM(t.amount_minor) AS amount_minor "
    "FROM bank_transactions t LEFT JOIN match_proposals p "
    "ON p.transaction_id = t.id AND p.status = 'applied' "
    "WHERE t.booking_date <= :as_of "
    "GROUP BY t.currency, t.status, COALESCE(p.decided_by, '')"
)


def build_sections(
    engine: Engine, as_of: date, company_currency: Currency, settings: Settings, *, advice: bool = False
) -> dict[str, Any]:
    """Compute the optional report sections that have data, keyed ``credit`` and
    ``cash_application``, and with ``advice`` also ``ecl`` and ``advice``. The dict is empty when
    none has any."""
    # The advice sections come first, so credit and cash application stay the last report keys.
    sections: dict[str, Any] = {}
    if advice:
        sections.update(advice_sections(engine, as_of, company_currency, settings.period_days))
    credit = credit_section(engine, as_of, company_currency, settings)
    if credit is not None:
        sections["credit"] = credit
    cash = cash_application_section(engine, as_of)
    if cash is not None:
        sections["cash_application"] = cash
    return sections


def credit_section(
    engine: Engine, as_of: date, company: Currency, settings: Settings
) -> dict[str, Any] | None:
    """Summarize risk classes, limits and the credit-sales ratio, or return None without credit data.

    Exposure and the limit in force are those of :func:`receivables.credit.summary.credit_positions`
    on ``as_of``. ``over_limit`` counts the customers with a limit whose exposure exceeds it; a customer
    without a limit is not counted, unlike the order check, which treats no limit as 0.
    """
    positions = credit_positions(engine, as_of, company)
    figures = load_sales_figures(engine)
    reviewed = positions.filter(pl.col("risk_class").is_not_null() | pl.col("limit_minor").is_not_null())
    if reviewed.is_empty() and figures.is_empty():
        return None
    over_limit = (
        positions.with_columns(pl.col("risk_class").fill_null("unrated"))
        .group_by("risk_class")
        .agg((pl.col("available_minor") < 0).sum().alias("over_limit"))
    )
    classes = class_summary(positions).join(over_limit, on="risk_class", how="left")
    ceiling = load_credit_settings(settings).sales_ceiling_percent
    return {
        "as_of": as_of.isoformat(),
        "reviewed_customers": reviewed.height,
        "classes": [_class_row(row, company) for row in classes.iter_rows(named=True)],
        "sales_ratio_ceiling_percent": format(round_figure(ceiling), "f"),
        "sales_ratio": _sales_ratio(engine, figures, as_of, company, settings, ceiling),
    }


def _class_row(row: dict[str, Any], company: Currency) -> dict[str, Any]:
    exposure = _money(row["exposure_minor"], company)
    limit = _money(row["limit_minor"] or 0, company)
    return {
        "risk_class": row["risk_class"],
        "customers": row["customers"],
        "with_limit": row["with_limit"],
        "over_limit": row["over_limit"],
        "exposure": exposure,
        "limit": limit,
    }


def _sales_ratio(
    engine: Engine,
    figures: pl.DataFrame,
    as_of: date,
    company: Currency,
    settings: Settings,
    ceiling: Decimal,
) -> list[dict[str, Any]]:
    """Return the company rows of the months that overlap the report period."""
    if figures.is_empty():
        return []
    start = (as_of - timedelta(days=settings.period_days - 1)).replace(day=1)
    ratio = credit_sales_ratio(
        load_documents(engine),
        load_customers(engine),
        figures,
        start=start,
        end=as_of,
        company=company,
        ceiling_percent=ceiling,
    )
    return [row for row in ratio.to_dicts() if row["segment"] == ALL]


def cash_application_section(engine: Engine, as_of: date) -> dict[str, Any] | None:
    """Count bank receipts booked up to ``as_of`` by their current matching outcome.

    Outcomes: ``auto_applied`` (applied by a matching run), ``applied_after_review`` (accepted or
    split by a user), ``suggested`` (waiting for review) and ``unmatched`` (unapplied cash).
    Ignored lines (payments out, reversals) are counted apart and in no share. The share is the
    percentage of receipts applied automatically. Returns None when no line is booked yet.
    """
    with engine.connect() as connection:
        rows = connection.execute(text(BANK_SQL), {"as_of": as_of}).all()
    if not rows:
        return None
    frame = pl.DataFrame(
        [tuple(row) for row in rows],
        schema={
            "currency": pl.String(),
            "status": pl.String(),
            "decided_by": pl.String(),
            "lines": pl.Int64(),
            "amount_minor": pl.Int64(),
        },
        orient="row",
    ).with_columns(_outcome().alias("outcome"))
    counts = dict(frame.group_by("outcome").agg(pl.col("lines").sum()).iter_rows())
    receipts = sum(counts.get(name, 0) for name in OUTCOMES)
    share = None if receipts == 0 else round_figure(Decimal(counts.get(OUTCOMES[0], 0) * 100) / receipts)
    return {
        "as_of": as_of.isoformat(),
        "transactions": receipts,
        **{name: counts.get(name, 0) for name in OUTCOMES},
        "ignored": counts.get("ignored", 0),
        "auto_applied_share": None if share is None else format(share, "f"),
        "amounts": _amounts(frame),
    }


def _outcome() -> pl.Expr:
    status = pl.col("status")
    return (
        pl.when((status == "applied") & (pl.col("decided_by") == "auto"))
        .then(pl.lit("auto_applied"))
        .when(status == "applied")
        .then(pl.lit("applied_after_review"))
        .otherwise(status)
    )


def _amounts(frame: pl.DataFrame) -> list[dict[str, Any]]:
    """Sum the receipts per currency and outcome, leaving out the ignored lines.

    NOTE: bank amounts stay in each line's own currency, because a bank line carries no rate
    to the company currency.
    """
    totals = (
        frame.filter(pl.col("outcome").is_in(list(OUTCOMES)))
        .pivot("outcome", index="currency", values="amount_minor", aggregate_function="sum")
        .sort("currency")
    )
    result = []
    for row in totals.iter_rows(named=True):
        currency = Currency.of(row["currency"])
        parts = {name: _money(row.get(name) or 0, currency) for name in OUTCOMES}
        total = sum((row.get(name) or 0 for name in OUTCOMES), 0)
        result.append({"currency": currency.code, "transactions": _money(total, currency), **parts})
    return result


def _money(minor: int, currency: Currency) -> str:
    return amount_text(Money.from_minor(minor, currency).amount, currency)
