"""Storage of ``credit review``: what it reads from earlier runs and what it stores.

Stored in one transaction: the latest score of every customer (replacing the previous ones), a
row in ``risk_class_changes`` for each customer whose class differs from its stored class, and
the review with its findings. A second run for the same as-of date replaces that review and its
findings, and records no class change twice, since the stored classes already match.
"""

from __future__ import annotations

import logging
from datetime import date, datetime

import polars as pl
from sqlalchemy import Engine, delete, func, insert, select

from receivables.credit.bulk import insert_frame
from receivables.credit.lookup import utc_now
from receivables.storage.credit_models import (
    CreditReviewFindingRow,
    CreditReviewRow,
    CreditScoreRow,
)
from receivables.storage.frames import read_frame

log = logging.getLogger(__name__)

STATE_SQL = (
    "SELECT c.id AS customer_id, s.risk_class AS old_class, l.amount_minor AS limit_minor, "
    "l.review_date FROM customers c "
    "LEFT JOIN credit_scores s ON s.customer_id = c.id "
    "LEFT JOIN (SELECT customer_id, MAX(id) AS id FROM credit_limits GROUP BY customer_id) m "
    "ON m.customer_id = c.id LEFT JOIN credit_limits l ON l.id = m.id"
)
STATE_SCHEMA: dict[str, pl.DataType] = {
    "customer_id": pl.Int64(),
    "old_class": pl.String(),
    "limit_minor": pl.Int64(),
    "review_date": pl.Date(),
}
SCORE_COLUMNS = [
    "customer_id",
    "as_of",
    "score_tenths",
    "risk_class",
    "score_class",
    "behaviour_score",
    "financial_score",
    "bureau_score",
]


def previous_review(engine: Engine, as_of: date) -> date | None:
    """Return the as-of date of the latest review before ``as_of``, if any."""
    with engine.connect() as connection:
        return connection.execute(
            select(func.max(CreditReviewRow.as_of)).where(CreditReviewRow.as_of < as_of)
        ).scalar()


def stored_state(engine: Engine) -> pl.DataFrame:
    """Load customer_id, the stored ``old_class`` and the limit in force (``limit_minor``,
    ``review_date``)."""
    return read_frame(engine, STATE_SQL, STATE_SCHEMA)


def store_review(
    engine: Engine, as_of: date, scored: pl.DataFrame, findings: pl.DataFrame, started_at: datetime
) -> int:
    """Write the scores, class changes, review and findings of a review; return the review id.

    ``scored`` has the columns of :attr:`ReviewResult.scores`, ``findings`` customer_id, finding
    and detail, the warnings first and then the customers due for review.
    """
    scores = scored.select(
        "customer_id",
        pl.lit(as_of).alias("as_of"),
        "score_tenths",
        "risk_class",
        "score_class",
        "behaviour_score",
        "financial_score",
        pl.col("bureau_sub_score").alias("bureau_score"),
    )
    changed = pl.col("old_class").is_null() | (pl.col("old_class") != pl.col("risk_class"))
    changes = scored.filter(changed).select(
        "customer_id",
        pl.lit(as_of).alias("as_of"),
        "old_class",
        pl.col("risk_class").alias("new_class"),
        "score_tenths",
    )
    warnings = findings.filter(pl.col("finding") != "due_for_review").height
    due = findings.height - warnings
    with engine.begin() as connection:
        connection.execute(delete(CreditScoreRow))
        insert_frame(connection, "credit_scores", scores)
        insert_frame(connection, "risk_class_changes", changes)
        old = connection.execute(
            select(CreditReviewRow.id).where(CreditReviewRow.as_of == as_of)
        ).scalar()
        if old is not None:
            connection.execute(
                delete(CreditReviewFindingRow).where(CreditReviewFindingRow.review_id == old)
            )
            connection.execute(delete(CreditReviewRow).where(CreditReviewRow.id == old))
        review_id = connection.execute(
            insert(CreditReviewRow)
            .values(
                as_of=as_of,
                started_at=started_at,
                finished_at=utc_now(),
                customers=scores.height,
                class_changes=changes.height,
                warnings=warnings,
                due_for_review=due,
            )
            .returning(CreditReviewRow.id)
        ).scalar_one()
        insert_frame(
            connection,
            "credit_review_findings",
            findings.select(
                pl.lit(review_id).alias("review_id"),
                "customer_id",
                "finding",
                pl.col("detail").str.slice(0, 500),
            ),
        )
    log.info(
        "credit review %s: %d customers scored, %d class changes, %d warnings, %d due for review",
        as_of,
        scores.height,
        changes.height,
        warnings,
        due,
    )
    return review_id
