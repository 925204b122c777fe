"""The batch check of promises to pay on an as-of date: which are kept, broken or still open.

The rule is :func:`receivables.domain.dunning.promises.promise_state`, applied to columns. The
open amount now of a promise is the company-currency open amount of its covered items on
``as_of`` (0 for a settled item).
"""

from __future__ import annotations

from datetime import date

import polars as pl

from receivables.domain.dunning.promises import PROMISE_STATES, PromiseState, promise_state

EPOCH = date(1970, 1, 1)


def evaluate_promises(
    promises: pl.DataFrame, promise_items: pl.DataFrame, items: pl.DataFrame, as_of: date
) -> pl.DataFrame:
    """Return promise_id, customer_id and ``state`` of every open promise on ``as_of``."""
    pending = promises.filter(pl.col("state") == PromiseState.OPEN.value)
    open_now = (
        promise_items.join(
            items.select("document_id", "open_company"), on="document_id", how="left"
        )
        .group_by("promise_id")
        .agg(pl.col("open_company").fill_null(0).sum().alias("open_now"))
    )
    day = (as_of - EPOCH).days
    deadline = pl.col("promised_date").cast(pl.Int32) + pl.col("grace_days")
    code = promise_state(
        pl.col("amount_minor"),
        pl.col("open_at_promise_minor"),
        pl.col("open_now").fill_null(0),
        pl.lit(day, pl.Int32) - deadline,
    )
    names = {state.code: state.value for state in PROMISE_STATES}
    return pending.join(open_now, on="promise_id", how="left").select(
        "promise_id",
        "customer_id",
        code.replace_strict(names, return_dtype=pl.String).alias("state"),
    )
