"""Our invoice numbers as customers write them: keys that survive prefixes, zeros and separators.

Each open item gets four keys from its number, ``INV-2024-000123`` for example:

=============  =================  =================================================
key            value              matches a customer who wrote
=============  =================  =================================================
``alnum``      ``INV2024000123``  ``inv 2024000123``, ``INV/2024/000123``
``prefixed``   ``INV:2024.123``   ``INV 2024-123``, ``Inv.2024/00123``
``groups``     ``2024.123``       ``Invoice no. 2024-123``, ``2024 / 0123``
``digits``     ``2024000123``     ``2024000123``
=============  =================  =================================================

``groups`` drops the leading zeros of each digit group and ``prefixed`` adds the leading letters;
the two digit-only keys count only with at least ``min_digits`` significant digits, so short
numbers such as ``12`` never match on digits alone. :func:`item_keys` (one number) and
:func:`with_item_keys` (a Polars column) compute the same keys; a test checks that they agree.

:func:`text_keys` finds the candidates in remittance text: every run of digit groups with the
word before it, and every window of up to four consecutive groups of a run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import polars as pl

from receivables.banking.rules.references import RF_IN_TEXT, rf_body_for

PREFIX = r"^([A-Z]+)"
DIGIT_GROUP = r"\d+"
MAX_WINDOW = 4
RUN = re.compile(r"(?:(?P<prefix>[A-Z]+)[ .:#/_-]{0,3})?(?P<run>\d+(?:[ ./_-]\d+)*)")


@dataclass(frozen=True, slots=True)
class ItemKeys:
    alnum: str
    prefixed: str | None
    groups: str | None
    digits: str | None


@dataclass(frozen=True, slots=True)
class TextKey:
    """A candidate found in text: the key, its kind, and the word written before it."""

    key: str
    kind: str
    prefix: str


def _strip_zeros(group: str) -> str:
    return group.lstrip("0") or "0"


def _significant(groups: list[str]) -> int:
    return len("".join(groups).lstrip("0"))


def item_keys(number: str, min_digits: int = 4) -> ItemKeys:
    """The matching keys of one invoice number."""
    upper = number.upper()
    prefix_match = re.match(PREFIX, upper)
    prefix = prefix_match.group(1) if prefix_match else ""
    raw_groups = re.findall(DIGIT_GROUP, upper)
    groups = ".".join(_strip_zeros(group) for group in raw_groups) if raw_groups else None
    enough = _significant(raw_groups) >= min_digits
    return ItemKeys(
        alnum=rf_body_for(number),
        prefixed=f"{prefix}:{groups}" if prefix and groups else None,
        groups=groups if enough else None,
        digits="".join(raw_groups) if raw_groups and enough else None,
    )


def with_item_keys(
    frame: pl.DataFrame, column: str = "number", min_digits: int = 4
) -> pl.DataFrame:
    """Add ``key_alnum``, ``key_prefixed``, ``key_groups`` and ``key_digits`` of ``column``.

    ``key_alnum`` holds the creditor-reference body only for numbers of at most 21 letters and
    digits; longer numbers get a hashed body that the caller fills from :func:`rf_body_for`.
    The parts are computed once in a first step and combined in a second.
    """
    upper = pl.col(column).str.to_uppercase()
    parts = frame.with_columns(
        upper.str.replace_all(r"[^0-9]", "").alias("_digits"),
        # Digit groups joined by ".", each without its leading zeros ("0" stays "0").
        upper.str.replace_all(r"[^0-9]+", ".")
        .str.strip_chars(".")
        .str.replace_all(r"(^|\.)0+([0-9])", "${1}${2}")
        .alias("_groups"),
        upper.str.extract(PREFIX, 1).alias("_prefix"),
        upper.str.replace_all(r"[^A-Z0-9]", "").alias("_alnum"),
    )
    digits, groups, alnum = pl.col("_digits"), pl.col("_groups"), pl.col("_alnum")
    has_digits = digits.str.len_chars() > 0
    enough = has_digits & (digits.str.strip_chars_start("0").str.len_chars() >= min_digits)
    return parts.with_columns(
        pl.when(alnum.str.len_chars().is_between(1, 21)).then(alnum).alias("key_alnum"),
        pl.when(pl.col("_prefix").is_not_null() & has_digits)
        .then(pl.concat_str([pl.col("_prefix"), pl.lit(":"), groups]))
        .alias("key_prefixed"),
        pl.when(enough).then(groups).alias("key_groups"),
        pl.when(enough).then(digits).alias("key_digits"),
    ).drop("_digits", "_groups", "_prefix", "_alnum")


def text_keys(text: str, min_digits: int = 4) -> list[TextKey]:
    """The candidate keys of invoice numbers in free text, without RF references.

    RF-shaped references are removed first: valid ones are matched by the structured-reference
    rule, and invalid ones must not pass as an invoice number (see :func:`reference_body_keys`).
    """
    upper = RF_IN_TEXT.sub(" ", text.upper())
    found: dict[tuple[str, str], TextKey] = {}
    for match in RUN.finditer(upper):
        prefix = match.group("prefix") or ""
        raw_groups = re.findall(DIGIT_GROUP, match.group("run"))
        for key in _run_keys(prefix, raw_groups, min_digits):
            found.setdefault((key.key, key.kind), key)
    return list(found.values())


def _run_keys(prefix: str, raw_groups: list[str], min_digits: int) -> list[TextKey]:
    keys = []
    if prefix:
        keys.append(TextKey(prefix + "".join(raw_groups), "alnum", prefix))
    if _significant(raw_groups) >= min_digits:
        keys.append(TextKey("".join(raw_groups), "alnum", prefix))
    for start in range(len(raw_groups)):
        for end in range(start + 1, min(len(raw_groups), start + MAX_WINDOW) + 1):
            window = raw_groups[start:end]
            groups = ".".join(_strip_zeros(group) for group in window)
            if start == 0 and prefix:
                keys.append(TextKey(f"{prefix}:{groups}", "prefixed", prefix))
            if _significant(window) >= min_digits:
                keys.append(TextKey(groups, "groups", prefix if start == 0 else ""))
                keys.append(TextKey("".join(window), "digits", prefix if start == 0 else ""))
    return keys


def reference_body_keys(reference: str) -> list[str]:
    """The alphanumeric body of an RF-shaped reference, to look for near misses."""
    compact = "".join(reference.split()).upper()
    return [compact[4:]] if len(compact) > 4 else []
