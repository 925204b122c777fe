"""Reference interest rates: dated tables of a central bank's rate, for statutory late interest.

A table lists the dates on which the rate changed and the rate in force from that date, in percent
per year, with the source it was copied from. ``verified_through`` is the last date for which the
table is known to be complete: asking for a later date raises :class:`ReferenceRateUnknownError`
instead of silently using a rate that may have changed since. Update the table, then raise that
date.

The tables are data, read by :mod:`receivables.rates` from a TOML file and passed in here; the
domain reads no file itself.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from receivables.domain.errors import ReceivablesError


class ReferenceRateError(ReceivablesError, ValueError):
    """A reference rate table is malformed."""


class ReferenceRateUnknownError(ReceivablesError, LookupError):
    """The table has no rate for the date asked: before its first entry or after it was verified."""

    def __init__(self, table: str, day: date, reason: str) -> None:
        self.table = table
        self.day = day
        super().__init__(f"reference rate {table!r} on {day}: {reason}")


@dataclass(frozen=True, slots=True)
class RateChange:
    """``rate`` percent per year, in force from ``effective_from`` (included) to the next change."""

    effective_from: date
    rate: Decimal


@dataclass(frozen=True, slots=True)
class ReferenceRateTable:
    """The history of one reference rate, sorted by date, each date at most once."""

    code: str
    name: str
    source: str
    verified_through: date
    changes: tuple[RateChange, ...]

    def __post_init__(self) -> None:
        if not self.changes:
            raise ReferenceRateError(f"reference rate table {self.code!r} has no entries")
        days = [change.effective_from for change in self.changes]
        if days != sorted(set(days)):
            raise ReferenceRateError(
                f"reference rate table {self.code!r}: dates must be increasing and unique"
            )
        if self.verified_through < days[-1]:
            raise ReferenceRateError(
                f"reference rate table {self.code!r}: verified_through {self.verified_through} "
                f"is before its last change on {days[-1]}"
            )

    def rate_on(self, day: date) -> Decimal:
        """Return the rate in force on ``day``."""
        if day > self.verified_through:
            raise ReferenceRateUnknownError(
                self.code,
                day,
                f"the table is verified only through {self.verified_through}; add the later "
                "changes from its source and raise verified_through",
            )
        index = bisect_right([change.effective_from for change in self.changes], day)
        if index == 0:
            raise ReferenceRateUnknownError(
                self.code, day, f"the table starts on {self.changes[0].effective_from}"
            )
        return self.changes[index - 1].rate

    @staticmethod
    def from_dict(code: str, values: Mapping[str, Any]) -> ReferenceRateTable:
        """Read a ``[tables.CODE]`` table with name, source, verified_through and changes."""
        try:
            changes = tuple(
                RateChange(_date(row["from"]), Decimal(str(row["rate"])))
                for row in values["changes"]
            )
            return ReferenceRateTable(
                code=code,
                name=str(values["name"]),
                source=str(values["source"]),
                verified_through=_date(values["verified_through"]),
                changes=changes,
            )
        except KeyError as error:
            raise ReferenceRateError(
                f"reference rate table {code!r} misses the key {error.args[0]!r}"
            ) from error
        except (InvalidOperation, TypeError, ValueError) as error:
            raise ReferenceRateError(f"reference rate table {code!r}: {error}") from error


def _date(value: Any) -> date:
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))
