"""Expected credit loss (ECL) under IFRS 9's simplified approach: the provision matrix.

Trade receivables without a significant financing component get a loss allowance equal to the
lifetime expected credit loss (IFRS 9, paragraph 5.5.15). The usual practical expedient is a
provision matrix: a loss rate per aging bucket, and per segment of customers with similar loss
patterns, taken from the company's own history and adjusted for conditions expected ahead.

Historical loss rate of a cell (segment, bucket), from month-end snapshots of the ledger:

    rate = sum(written off within the horizon after the snapshot) / sum(open at the snapshot)

over every open item that was in the cell at a snapshot. Amounts are company minor units.

Roll rates (the migration method) chain the share of each bucket that is still open one snapshot
later: ``loss(b) = roll(b) * roll(b + 1) * ... * loss(last)``, where ``loss(last)`` is the
historical loss rate of the last bucket.

Rates are held as integers in parts per million (ppm, 1 ppm = 0.0001 %), rounded half-up at one
named point, :func:`rate_ppm`. The forward-looking factor multiplies the historical rate, capped
at 100 %. An item's allowance is ``open * rate_ppm / 1,000,000`` rounded half-up to the minor
unit (:func:`allowance_minor`), so customer and company totals add up exactly.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from receivables.domain.credit.dates import add_months
from receivables.domain.errors import ReceivablesError

PPM = 1_000_000
POOLED = "all"


class InvalidProvisionInputError(ReceivablesError, ValueError):
    """A provision matrix input is out of range: history window, horizon or adjustment factor."""


class ProvisionMethod(StrEnum):
    LOSS_RATE = "loss_rate"
    ROLL_RATE = "roll_rate"


class RateSource(StrEnum):
    """Where a cell's historical rate comes from."""

    SEGMENT = "segment"
    """The segment's own history had at least the minimum exposure in the bucket."""
    POOLED = "pooled"
    """Too little history in the segment: the bucket's rate over all segments is used."""
    NONE = "none"
    """No history in the bucket at all: the rate is 0 and the output says so."""


@dataclass(frozen=True, slots=True)
class HistoryWindow:
    """Which month-end snapshots feed the matrix as of a date.

    ``lookback_months``: how far back the oldest snapshot may be. ``horizon_months``: how long
    after a snapshot write-offs still count as its loss; a snapshot needs that much time behind
    it before ``as_of``, so its outcome is known.
    """

    lookback_months: int = 36
    horizon_months: int = 12

    def __post_init__(self) -> None:
        if self.horizon_months < 1:
            raise InvalidProvisionInputError(
                f"loss horizon {self.horizon_months} months must be at least 1 month"
            )
        if self.lookback_months <= self.horizon_months:
            raise InvalidProvisionInputError(
                f"history of {self.lookback_months} months must be longer than the loss horizon "
                f"of {self.horizon_months} months"
            )

    def snapshots(self, as_of: date, first_document: date | None) -> list[date]:
        """Return the month-ends from the lookback start to ``as_of`` less the horizon, oldest first.

        Month-ends before the first document of the ledger are left out.
        """
        latest = month_end(add_months(as_of, -self.horizon_months))
        if latest > add_months(as_of, -self.horizon_months):
            latest = month_end(add_months(latest, -1))
        earliest = add_months(as_of, -self.lookback_months)
        result = []
        day = latest
        while day > earliest:
            if first_document is None or day >= first_document:
                result.append(day)
            day = month_end(add_months(day, -1))
        return sorted(result)


def month_end(day: date) -> date:
    """Return the last day of ``day``'s month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


@dataclass(frozen=True, slots=True)
class ForwardLookingAdjustment:
    """The factor applied to every historical rate for conditions expected ahead, and why.

    A factor of 1.10 raises each rate by a tenth; 1 keeps history as it is.
    """

    factor: Decimal = Decimal(1)
    reason: str = "none: historical rates are used as they are"

    def __post_init__(self) -> None:
        if not self.factor.is_finite() or self.factor < 0:
            raise InvalidProvisionInputError(
                f"forward-looking factor {self.factor} must be zero or more, such as 1.10"
            )

    @property
    def factor_ppm(self) -> int:
        return rate_ppm(self.factor)


@dataclass(frozen=True, slots=True)
class CellHistory:
    """What a cell (segment, bucket) saw over the snapshots, in company minor units.

    ``exposure_minor`` adds the open amounts at every snapshot; ``loss_minor`` what of them was
    written off within the horizon; ``still_open_minor`` what of them was still open at the next
    snapshot (the roll-rate numerator).
    """

    segment: str
    bucket: int
    observations: int
    exposure_minor: int
    loss_minor: int
    still_open_minor: int


@dataclass(frozen=True, slots=True)
class MatrixCell:
    """One cell of the provision matrix: its historical rate, where it comes from, and its inputs."""

    segment: str
    bucket: int
    historical_ppm: int
    source: RateSource
    history: CellHistory | None


def rate_ppm(rate: Decimal) -> int:
    """Round a fraction half-up to whole parts per million: 0.0123456 gives 12346."""
    return int((rate * PPM).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def ppm_rate(ppm: int) -> Decimal:
    """Return a ppm integer as an exact fraction."""
    return Decimal(ppm) / PPM


def adjusted_ppm(historical_ppm: int, factor_ppm: int) -> int:
    """Apply a forward-looking factor (in ppm) to a historical rate, half-up, capped at 100 %."""
    product = (historical_ppm * factor_ppm + PPM // 2) // PPM
    return min(PPM, product)


def combined_factor_ppm(first_ppm: Any, second_ppm: Any) -> Any:
    """Multiply two factors held in ppm, rounded half-up: 1.10 and 1.50 give 1.65 (1,650,000).

    Uses only operators, so it takes ``int`` values or column expressions alike.
    """
    return (first_ppm * second_ppm + PPM // 2) // PPM


def allowance_minor(open_minor: Any, applied_ppm: Any) -> Any:
    """The allowance of an open item: ``open * rate`` rounded half-up to the minor unit.

    Uses only operators, so it takes ``int`` values or vectorized column expressions alike;
    open amounts are never negative, so the floor division rounds half up.
    """
    return (open_minor * applied_ppm + PPM // 2) // PPM


def loss_rate_ppm(loss_minor: int, exposure_minor: int) -> int:
    """The historical loss rate of a cell; 0 without exposure."""
    if exposure_minor <= 0:
        return 0
    return rate_ppm(Decimal(loss_minor) / Decimal(exposure_minor))


def roll_rates_ppm(histories: Sequence[CellHistory], buckets: int) -> list[int]:
    """Chain the roll rates of one segment's buckets into a loss rate per bucket.

    ``roll(b) = still_open / exposure`` for every bucket but the last, whose loss rate is its
    historical loss rate. A bucket without exposure rolls at 0, so it and every bucket before it
    lose nothing, which the matrix marks with the source ``none`` of that bucket.
    """
    by_bucket = {history.bucket: history for history in histories}
    last = by_bucket.get(buckets - 1)
    chained = Decimal(last.loss_minor) / last.exposure_minor if last and last.exposure_minor else Decimal(0)
    rates = [0] * buckets
    rates[buckets - 1] = rate_ppm(chained)
    for bucket in range(buckets - 2, -1, -1):
        history = by_bucket.get(bucket)
        roll = (
            Decimal(history.still_open_minor) / history.exposure_minor
            if history and history.exposure_minor
            else Decimal(0)
        )
        chained = min(Decimal(1), roll) * chained
        rates[bucket] = rate_ppm(chained)
    return rates


def build_matrix(
    histories: Sequence[CellHistory],
    buckets: int,
    method: ProvisionMethod,
    minimum_exposure_minor: int,
) -> list[MatrixCell]:
    """Build one cell per segment and bucket, falling back to the pooled rate where history is thin.

    A segment's cell uses its own rate when its exposure in the bucket reaches
    ``minimum_exposure_minor``; otherwise it takes the rate of the bucket over all segments.
    The pooled row itself is returned under the segment ``all``.
    """
    # Without segments every customer is in the pooled row already.
    segments = sorted({history.segment for history in histories} - {POOLED})
    pooled_histories = _pooled(histories, buckets)
    pooled_rates = _rates(pooled_histories, buckets, method)
    cells = [
        MatrixCell(
            POOLED,
            bucket,
            pooled_rates[bucket],
            RateSource.POOLED if history.exposure_minor else RateSource.NONE,
            history,
        )
        for bucket, history in enumerate(pooled_histories)
    ]
    for segment in segments:
        own = [history for history in histories if history.segment == segment]
        rates = _rates(own, buckets, method)
        by_bucket = {history.bucket: history for history in own}
        for bucket in range(buckets):
            history = by_bucket.get(bucket)
            if history is not None and history.exposure_minor >= max(1, minimum_exposure_minor):
                cells.append(MatrixCell(segment, bucket, rates[bucket], RateSource.SEGMENT, history))
            else:
                cells.append(MatrixCell(segment, bucket, pooled_rates[bucket], cells[bucket].source, history))
    return cells


def _pooled(histories: Sequence[CellHistory], buckets: int) -> list[CellHistory]:
    pooled = []
    for bucket in range(buckets):
        rows = [history for history in histories if history.bucket == bucket]
        pooled.append(
            CellHistory(
                POOLED,
                bucket,
                sum(row.observations for row in rows),
                sum(row.exposure_minor for row in rows),
                sum(row.loss_minor for row in rows),
                sum(row.still_open_minor for row in rows),
            )
        )
    return pooled


def _rates(histories: Sequence[CellHistory], buckets: int, method: ProvisionMethod) -> list[int]:
    if method is ProvisionMethod.ROLL_RATE:
        return roll_rates_ppm(histories, buckets)
    by_bucket = {history.bucket: history for history in histories}
    return [
        loss_rate_ppm(by_bucket[b].loss_minor, by_bucket[b].exposure_minor) if b in by_bucket else 0
        for b in range(buckets)
    ]
