"""From the run's decisions to notices: their items, channel, recipient, language and status.

One notice per customer and level bundles the customer's eligible items that the level lists.
The channel is the level's, unless the contact data cannot carry it:

- an email level for a customer without a valid email address becomes a letter when a postal
  address is known, else a phone-call task;
- a letter level for a customer without a postal address becomes an email when a valid address
  is known, else a phone-call task.

Each such fallback is a problem in the run output. Email addresses are checked against the
"valid email address" pattern of the WHATWG HTML standard, plus a dot in the domain, since a
customer's mailbox never sits on a bare host name.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from receivables.domain.dunning.items import items_key
from receivables.domain.dunning.notices import NoticeStatus
from receivables.domain.dunning.policy import Channel, Dispatch, PolicyBook
from receivables.domain.money import Currency, Money
from receivables.dunning.problems import Problem

EMAIL_PATTERN = (
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)
LANGUAGE_PATTERN = r"^[a-z]{2}$"
MESSAGES = [Channel.EMAIL.value, Channel.LETTER.value]


def level_table(book: PolicyBook, company: Currency) -> pl.DataFrame:
    """Return one row per policy and level with what a notice of it needs."""
    rows = [
        {
            "policy": policy.name,
            "level": number,
            "level_name": level.name,
            "channel": level.channel.value,
            "template": level.template,
            "fee_minor": Money.of(level.fee, company).minor_units(),
            "status": (
                NoticeStatus.DRAFT if level.dispatch is Dispatch.REVIEW else NoticeStatus.APPROVED
            ).value,
            "bundle_from": level.bundle_from_days,
            "task_due_days": level.task_due_days,
            "role": level.role.value,
        }
        for policy in book.policies.values()
        for number, level in enumerate(policy.levels, start=1)
    ]
    return pl.DataFrame(rows, schema_overrides={"level": pl.Int32})


def bundle_items(
    decisions: pl.DataFrame, items: pl.DataFrame, levels: pl.DataFrame
) -> pl.DataFrame:
    """Return the items of each notice: customer_id, level, document_id and amounts."""
    chosen = decisions.filter(pl.col("level") > 0).join(
        levels.select("policy", "level", "bundle_from"), on=["policy", "level"]
    )
    return (
        items.join(chosen.select("customer_id", "level", "bundle_from"), on="customer_id")
        .filter(pl.col("days_past_due") >= pl.col("bundle_from"))
        .select(
            "customer_id", "level", "document_id", "open_minor", "open_company", "days_past_due"
        )
        .sort("customer_id", "document_id")
    )


def _keys(bundled: pl.DataFrame) -> pl.DataFrame:
    grouped = bundled.group_by("customer_id").agg(
        pl.col("document_id").alias("ids"), pl.col("open_company").sum().alias("total_minor")
    )
    # NOTE: one SHA-256 per notice in Python; Polars has no cryptographic hash of a list.
    keys = [items_key(ids) for ids in grouped["ids"].to_list()]
    return grouped.select("customer_id", "total_minor").with_columns(pl.Series("items_key", keys))


def _channels(notices: pl.DataFrame) -> pl.DataFrame:
    email_ok = pl.col("email").str.strip_chars().str.contains(EMAIL_PATTERN).fill_null(False)
    address_ok = pl.all_horizontal(
        [
            pl.col(name).str.strip_chars().str.len_chars().fill_null(0) > 0
            for name in ("street", "postal_code", "city")
        ]
    )
    wanted = pl.col("channel")
    channel = (
        pl.when((wanted == Channel.EMAIL.value) & email_ok)
        .then(pl.lit(Channel.EMAIL.value))
        .when((wanted == Channel.EMAIL.value) & address_ok)
        .then(pl.lit(Channel.LETTER.value))
        .when((wanted == Channel.LETTER.value) & address_ok)
        .then(pl.lit(Channel.LETTER.value))
        .when((wanted == Channel.LETTER.value) & email_ok)
        .then(pl.lit(Channel.EMAIL.value))
        .when(wanted.is_in(MESSAGES))
        .then(pl.lit(Channel.PHONE_CALL.value))
        .otherwise(wanted)
    )
    address = pl.concat_str(
        [pl.col("name"), pl.col("street"), pl.concat_str(["postal_code", "city"], separator=" ")],
        separator="\n",
    )
    recipient = (
        pl.when(pl.col("channel") == Channel.EMAIL.value)
        .then(pl.col("email").str.strip_chars())
        .when(pl.col("channel") == Channel.LETTER.value)
        .then(address)
        .otherwise(pl.col("phone"))
    )
    return (
        notices.with_columns(
            wanted.alias("wanted_channel"),
            email_ok.alias("email_ok"),
            address_ok.alias("address_ok"),
        )
        .with_columns(channel.alias("channel"))
        .with_columns(recipient.alias("recipient"))
    )


def _fallback_problems(notices: pl.DataFrame) -> list[Problem]:
    changed = notices.filter(pl.col("channel") != pl.col("wanted_channel"))
    problems = []
    for row in changed.iter_rows(named=True):
        if row["wanted_channel"] == Channel.EMAIL.value:
            email = row["email"]
            missing = (
                f"invalid email address {email!r}"
                if email and email.strip()
                else "no email address"
            )
        else:
            missing = "no postal address"
        instead = (
            "a letter"
            if row["channel"] == Channel.LETTER.value
            else ("an email" if row["channel"] == Channel.EMAIL.value else "a phone-call task")
        )
        problems.append(
            Problem(
                row["customer_code"],
                f"{row['level_name']} notice",
                f"{missing}; {instead} instead of the {row['wanted_channel'].replace('_', ' ')}",
            )
        )
    return problems


def build_notices(
    book: PolicyBook,
    company: Currency,
    as_of: date,
    decisions: pl.DataFrame,
    items: pl.DataFrame,
    customers: pl.DataFrame,
    default_language: str,
) -> tuple[pl.DataFrame, pl.DataFrame, list[Problem]]:
    """Return the planned notices, their items and the channel fallbacks as problems."""
    levels = level_table(book, company)
    bundled = bundle_items(decisions, items, levels)
    language = pl.col("language").str.to_lowercase().str.slice(0, 2)
    notices = (
        decisions.filter(pl.col("level") > 0)
        .join(levels, on=["policy", "level"])
        .join(_keys(bundled), on="customer_id")
        .join(customers.drop("policy", "hold_until"), on="customer_id")
        .with_columns(
            pl.when(language.str.contains(LANGUAGE_PATTERN))
            .then(language)
            .otherwise(pl.lit(default_language))
            .alias("language"),
            pl.lit(as_of).alias("notice_date"),
            pl.lit(company.code).alias("currency"),
        )
    )
    notices = _channels(notices)
    return notices, bundled, _fallback_problems(notices)
