"""Import of bureau records: scores or ratings of a customer, and recorded events.

Columns: ``customer_code, provider, record_date, score, rating, event, event_amount, currency,
note``. A row with a ``score`` or ``rating`` is a report of the provider on ``record_date``; a row
with an ``event`` (``payment_default``, ``legal_action``, ``insolvency``) is an event on that date;
a row may be both. The provider must be configured (``[credit.bureau.providers.NAME]``) and its
score lie on the provider's scale with at most two decimals; a rating without a score must be in
the provider's ``ratings``. Rows of customers not in the ledger are rejected and listed, so a
bureau file covering more companies than we sell to imports what concerns us and says the rest.
"""

from __future__ import annotations

import polars as pl
from sqlalchemy import Connection

from receivables.credit.reading import (
    FileReport,
    amount_minor,
    amount_problem,
    blank,
    collect_problems,
    hundredths,
    minor_unit_column,
    parse_date,
    require_columns,
    without_problem_rows,
)
from receivables.credit.writing import customer_ids, upsert
from receivables.domain.credit.bureau import EventKind, to_hundredths
from receivables.domain.credit.settings import CreditSettings
from receivables.importers.problems import Check
from receivables.storage.credit_models import BureauEventRow, BureauReportRow

REQUIRED = ("customer_code", "provider", "record_date")
OPTIONAL = ("score", "rating", "event", "event_amount", "currency", "note")
KINDS = [kind.value for kind in EventKind]


def _scales(settings: CreditSettings) -> tuple[pl.DataFrame, pl.DataFrame]:
    scales = pl.DataFrame(
        {
            "provider": list(settings.providers),
            "_min": [to_hundredths(scale.minimum) for scale in settings.providers.values()],
            "_max": [to_hundredths(scale.maximum) for scale in settings.providers.values()],
        },
        schema={"provider": pl.String, "_min": pl.Int64, "_max": pl.Int64},
    )
    pairs = [
        (name, rating) for name, scale in settings.providers.items() for rating in scale.ratings
    ]
    ratings = pl.DataFrame(
        {
            "provider": [name for name, _ in pairs],
            "_rating": [rating for _, rating in pairs],
            "_rating_known": [True] * len(pairs),
        },
        schema={"provider": pl.String, "_rating": pl.String, "_rating_known": pl.Boolean},
    )
    return scales, ratings


def _parsed(frame: pl.DataFrame, ids: dict[str, int], settings: CreditSettings) -> pl.DataFrame:
    scales, ratings = _scales(settings)
    parsed = frame.with_columns(
        pl.col("customer_code")
        .replace_strict(ids, default=None, return_dtype=pl.Int64)
        .alias("_customer_id"),
        parse_date("record_date").alias("_date"),
        hundredths("score").alias("_score"),
        pl.col("rating").str.to_uppercase().alias("_rating"),
        pl.col("event").str.to_lowercase().alias("_event"),
        minor_unit_column(frame).alias("_minor_unit"),
    )
    parsed = parsed.join(scales, on="provider", how="left").join(
        ratings, on=["provider", "_rating"], how="left"
    )
    return parsed.with_columns(
        amount_minor("event_amount", pl.col("_minor_unit")).alias("_amount"),
        (~blank("score") | ~blank("rating")).alias("_is_report"),
    )


def _checks(settings: CreditSettings) -> list[Check]:
    has_report = ~blank("score") | ~blank("rating")
    names = ", ".join(settings.providers) or "none"
    unit = pl.col("_minor_unit")
    return [
        Check("customer_code", blank("customer_code"), "is missing"),
        Check(
            "customer_code",
            ~blank("customer_code") & pl.col("_customer_id").is_null(),
            "is not a known customer; the row is left out",
        ),
        Check(
            "provider",
            pl.col("_max").is_null(),
            f"is not a configured bureau provider ({names}); add [credit.bureau.providers.NAME]",
        ),
        Check("record_date", pl.col("_date").is_null(), "is not a date YYYY-MM-DD"),
        Check(
            "score",
            ~blank("score") & pl.col("_score").is_null(),
            "is not a number with at most two decimals",
        ),
        Check(
            "score",
            ~pl.col("_score").is_between(pl.col("_min"), pl.col("_max")).fill_null(True),
            "lies outside the provider's scale",
        ),
        Check(
            "rating",
            blank("score")
            & ~blank("rating")
            & pl.col("_rating_known").is_null()
            & pl.col("_max").is_not_null(),
            "is not a rating of the provider's ratings table",
        ),
        Check(
            "event",
            ~blank("event") & ~pl.col("_event").is_in(KINDS),
            f"must be one of {', '.join(KINDS)}",
        ),
        Check("event", ~has_report & blank("event"), "the row has no score, rating or event"),
        Check(
            "currency",
            ~blank("event_amount") & unit.is_null(),
            "must be an ISO 4217 currency code when event_amount is given",
        ),
        Check(
            "event_amount",
            ~blank("event_amount")
            & unit.is_not_null()
            & amount_problem("event_amount", unit).is_not_null(),
            amount_problem("event_amount", unit),
        ),
        Check(
            "record_date",
            pl.col("_is_report")
            & pl.struct("_customer_id", "provider", "_date", "_is_report").is_duplicated(),
            "a second report of this provider and customer on this date",
        ),
    ]


def import_bureau(
    connection: Connection, frame: pl.DataFrame, report: FileReport, settings: CreditSettings
) -> None:
    """Check a bureau file, upsert its reports and events; fill in ``report``."""
    frame = require_columns(frame, report.file, REQUIRED, OPTIONAL)
    ids = customer_ids(connection, frame["customer_code"].drop_nulls().to_list())
    parsed = _parsed(frame, ids, settings)
    report.rows_read = parsed.height
    report.problems = collect_problems(parsed, _checks(settings), report.file)
    valid = without_problem_rows(parsed, report.problems)
    reports = valid.filter(pl.col("_is_report")).select(
        pl.col("_customer_id").alias("customer_id"),
        "provider",
        pl.col("_date").alias("report_date"),
        pl.col("_score").alias("score_hundredths"),
        pl.col("_rating").alias("rating"),
    )
    events = (
        valid.filter(pl.col("_event").is_not_null())
        .select(
            pl.col("_customer_id").alias("customer_id"),
            "provider",
            pl.col("_event").alias("event_kind"),
            pl.col("_date").alias("event_date"),
            pl.col("_amount").alias("amount_minor"),
            pl.when(pl.col("_amount").is_not_null())
            .then(pl.col("currency").str.to_uppercase())
            .alias("currency"),
            pl.col("note"),
        )
        .unique(
            ["customer_id", "provider", "event_kind", "event_date"],
            keep="last",
            maintain_order=True,
        )
    )
    keys = ("customer_id", "provider", "report_date")
    written = upsert(connection, BureauReportRow, reports.to_dicts(), keys)
    event_keys = ("customer_id", "provider", "event_kind", "event_date")
    written += upsert(connection, BureauEventRow, events.to_dicts(), event_keys)
    report.rows_written = written
