"""The weekly forecast on hand-made prediction frames: weeks, intervals, shifts and bad input."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from receivables.prediction.errors import InvalidForecastError
from receivables.prediction.forecast import weekly_forecast

AS_OF = date(2025, 3, 31)  # a Monday; week 1 is 2025-04-01 to 2025-04-07


def _predictions(pay_dates: list[date], amounts: list[int], spread: float = 0.0) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "customer_id": list(range(1, len(pay_dates) + 1)),
            "open_minor": amounts,
            "predicted_pay_date": pay_dates,
            "spread_days": [spread] * len(pay_dates),
        }
    )


def _expected(forecast: pl.DataFrame) -> list[int]:
    return forecast["expected_minor"].to_list()


def test_exact_dates_fall_in_their_week() -> None:
    predictions = _predictions([date(2025, 4, 1), date(2025, 4, 8), date(2025, 4, 14), date(2025, 6, 1)],
                               [10_000, 20_000, 5_000, 7_000])  # fmt: skip
    forecast = weekly_forecast(predictions, AS_OF, 3)
    assert forecast["period"].to_list() == ["week", "week", "week", "beyond"]
    assert forecast["week_start"].to_list()[:2] == [date(2025, 4, 1), date(2025, 4, 8)]
    assert forecast["week_end"].to_list()[0] == date(2025, 4, 7)
    assert _expected(forecast) == [10_000, 25_000, 0, 7_000]
    assert forecast["low_minor"].to_list() == _expected(forecast)
    assert forecast["high_minor"].to_list() == _expected(forecast)


def test_items_counted_in_their_pay_week() -> None:
    # With a spread, most of an item's probability may lie beyond two weeks; it still counts in its week.
    pay_dates = [date(2025, 4, 2), date(2025, 4, 9), date(2025, 7, 1)]
    predictions = _predictions(pay_dates, [1_000] * 3, spread=20.0)

    forecast = weekly_forecast(predictions, AS_OF, 2)

    assert forecast["items"].to_list() == [1, 1, 1]


def test_overdue_dates_count_tomorrow() -> None:
    forecast = weekly_forecast(_predictions([date(2025, 3, 1)], [9_900]), AS_OF, 2)
    assert _expected(forecast) == [9_900, 0, 0]


def test_spread_keeps_the_total() -> None:
    predictions = _predictions([date(2025, 4, 20), date(2025, 5, 5)], [100_000, 50_000], spread=10.0)
    forecast = weekly_forecast(predictions, AS_OF, 13)
    assert sum(_expected(forecast)) == pytest.approx(150_000, abs=14)
    assert max(_expected(forecast)) < 100_000
    weeks = forecast.filter(pl.col("period") == "week")
    assert (weeks["low_minor"] <= weeks["expected_minor"]).all()
    assert (weeks["expected_minor"] <= weeks["high_minor"]).all()


def test_shifted_pay_dates_move_the_amounts() -> None:
    predictions = _predictions([date(2025, 4, 2)], [40_000])
    shifted = predictions.with_columns(pl.col("predicted_pay_date") + pl.duration(days=14))
    assert _expected(weekly_forecast(shifted, AS_OF, 4)) == [0, 0, 40_000, 0, 0]


def test_one_customer_widens_the_interval() -> None:
    together = _predictions([date(2025, 4, 20)] * 2, [50_000, 50_000], spread=7.0)
    apart = together.with_columns(pl.Series("customer_id", [1, 2]))
    together = together.with_columns(pl.Series("customer_id", [1, 1]))
    week = 3  # 2025-04-15 to 2025-04-21
    width_together = _width(weekly_forecast(together, AS_OF, 4), week)
    width_apart = _width(weekly_forecast(apart, AS_OF, 4), week)
    assert width_together > width_apart


def _width(forecast: pl.DataFrame, week: int) -> int:
    row = forecast.filter(pl.col("week") == week).row(0, named=True)
    return int(row["high_minor"] - row["low_minor"])


def test_no_open_items_give_zero_weeks() -> None:
    forecast = weekly_forecast(_predictions([], []), AS_OF, 2)
    assert _expected(forecast) == [0, 0, 0]


@pytest.mark.parametrize("weeks", [0, -1, 105])
def test_invalid_weeks_raise(weeks: int) -> None:
    with pytest.raises(InvalidForecastError, match="weeks"):
        weekly_forecast(_predictions([AS_OF], [1]), AS_OF, weeks)
