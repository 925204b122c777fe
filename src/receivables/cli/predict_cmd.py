"""``receivables predict`` and ``receivables forecast``: pay dates of the open items and the cash forecast.

``predict`` trains on the ledger's history up to the as-of date, validates by time and lists each
open item with its predicted pay date, chance of being late and main factors. ``forecast`` sums
the predictions into weeks with 80% intervals; ``forecast --backtest`` replays past as-of dates
and compares the forecasts with what came in. ``predict-bench`` times training and scoring on a
generated ledger and records it in docs/benchmarks.md.

Exit codes: 0 when the output was written (baseline predictions after too little history
included, with a warning); 1 when nothing can be predicted (no company currency, an empty
ledger, invalid stored data); 2 for an invalid option value.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import polars as pl
import typer
from rich.console import Console
from rich.table import Table

from receivables.analytics import AnalyticsError
from receivables.cli.main import app, database_option
from receivables.cli.options import fail, note_stale_ledger, parse_day
from receivables.demo.machine import describe_machine
from receivables.domain.money import Currency
from receivables.prediction.api import PredictionResult, load_payment_history, predict_history
from receivables.prediction.backtest import Backtest, run_backtest
from receivables.prediction.bench import prediction_section, run_prediction_bench
from receivables.prediction.errors import PredictionError
from receivables.prediction.forecast import MAX_WEEKS, weekly_forecast
from receivables.prediction.history import PaymentHistory
from receivables.prediction.validation import ValidationReport
from receivables.services.bench_page import write_section
from receivables.services.context import AppContext, today


class OutputFormat(StrEnum):
    table = "table"
    json = "json"


FormatOption = Annotated[OutputFormat, typer.Option("--format", help="Output as tables or as JSON.")]
AsOfOption = Annotated[
    str | None,
    typer.Option("--as-of", help="Predict the items open at the end of this day, YYYY-MM-DD; default today."),
]
OutputOption = Annotated[
    Path | None, typer.Option(help="Write to this file instead of the terminal.", show_default=False)
]


def _history(ctx: typer.Context, as_of: str | None, day: date) -> PaymentHistory:
    context = AppContext.open(database_option(ctx))
    try:
        history = load_payment_history(context.engine, context.company_currency())
        note_stale_ledger(context.engine, as_of, day)
        return history
    except (PredictionError, AnalyticsError) as error:
        fail(str(error))
    finally:
        context.close()


def _major(minor: int, currency: Currency) -> str:
    """Format company minor units as a decimal amount, such as 1234.50."""
    return str(Decimal(int(minor)).scaleb(-currency.minor_unit))


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        typer.echo(text)
        return
    output.write_text(text + "\n", encoding="utf-8")
    Console(stderr=True).print(f"written to {output}", soft_wrap=True)


def _warn(result: PredictionResult) -> None:
    if result.fallback_reason:
        Console(stderr=True).print(f"[yellow]warning:[/yellow] {result.fallback_reason}", soft_wrap=True)


def _item_dicts(result: PredictionResult) -> list[dict[str, Any]]:
    frame = result.frame.with_columns(pl.col(pl.Date).cast(pl.String), pl.col("p_late").round(4))
    items = frame.drop("open_minor").to_dicts()
    for item, minor in zip(items, result.frame["open_minor"].to_list(), strict=True):
        item["open_amount"] = _major(minor, result.currency)
    return items


def _validation_table(report: ValidationReport | None, console: Console) -> None:
    if report is None or report.skipped_reason:
        reason = report.skipped_reason if report else "not run"
        console.print(f"validation: {reason}", soft_wrap=True)
        return
    months = ", ".join(f"{fold.test_start:%Y-%m}" for fold in report.folds)
    table = Table(title=f"Time-ordered validation (test months {months})")
    for column in ("rows", "method", "items", "MAE days", "within 7 days", "accuracy", "AUC"):
        table.add_column(column, justify="left" if column in ("rows", "method") else "right")
    for score in report.scores:
        table.add_row(
            score.row_kind, score.method, f"{score.rows:,}", _number(score.mae_days, "{:.1f}"),
            _number(score.within_7_days, "{:.0%}"), _number(score.accuracy, "{:.1%}"),
            _number(score.auc, "{:.3f}"),
        )  # fmt: skip
    console.print(table)


def _number(value: float | None, pattern: str) -> str:
    return "-" if value is None else pattern.format(value)


@app.command("predict")
def predict_command(
    ctx: typer.Context,
    as_of: AsOfOption = None,
    output_format: FormatOption = OutputFormat.table,
    output: OutputOption = None,
    validation: Annotated[
        bool, typer.Option(help="Run the time-ordered validation of model and baselines first.")
    ] = True,
    limit: Annotated[
        int, typer.Option(min=0, help="Items to list in the table, latest pay dates last.")
    ] = 20,
) -> None:
    """Predict the pay date of every open item, with its chance of being late and its main factors."""
    day = parse_day(as_of)
    result = _predict(ctx, as_of, day, validation)
    if output_format is OutputFormat.json:
        payload = {
            "as_of": day.isoformat(),
            "currency": result.currency.code,
            "fallback_reason": result.fallback_reason,
            "validation": result.validation.as_dict() if result.validation else None,
            "items": _item_dicts(result),
        }
        _emit(json.dumps(payload, indent=2), output)
        return
    console = Console(file=output.open("w", encoding="utf-8") if output else None, width=140)
    _validation_table(result.validation, console)
    _items_table(result, limit, console)


def _predict(ctx: typer.Context, as_of: str | None, day: date, validation: bool) -> PredictionResult:
    history = _history(ctx, as_of, day)
    try:
        result = predict_history(history, day, validation=validation)
    except (PredictionError, AnalyticsError) as error:
        fail(str(error))
    _warn(result)
    return result


def _items_table(result: PredictionResult, limit: int, console: Console) -> None:
    frame = result.frame
    noun = "open item" if frame.height == 1 else "open items"
    table = Table(
        title=f"{frame.height:,} {noun} on {result.as_of}, first {min(limit, frame.height)} by due date"
    )
    for column in ("customer", "due date", f"open {result.currency.code}", "pay date", "days late", "p late",
                   "method", "main factors"):  # fmt: skip
        table.add_column(column)
    for row in frame.head(limit).iter_rows(named=True):
        factors = "; ".join(f"{f['feature']} {f['days']:+.1f}d" for f in row.get("factors") or [])
        table.add_row(
            row["customer_code"], str(row["due_date"]), _major(row["open_minor"], result.currency),
            str(row["predicted_pay_date"]), f"{row['predicted_days_late']:.0f}", f"{row['p_late']:.2f}",
            row["method"], factors,
        )  # fmt: skip
    console.print(table)


@app.command("forecast")
def forecast_command(
    ctx: typer.Context,
    as_of: AsOfOption = None,
    weeks: Annotated[int, typer.Option(min=1, max=MAX_WEEKS, help="Number of weeks to forecast.")] = 13,
    output_format: FormatOption = OutputFormat.table,
    output: OutputOption = None,
    backtest: Annotated[
        bool, typer.Option(help="Replay past as-of dates and compare their forecasts with what came in.")
    ] = False,
    origins: Annotated[int, typer.Option(min=1, max=52, help="Past as-of dates to replay (--backtest).")] = 6,
    step_weeks: Annotated[
        int, typer.Option(min=1, help="Weeks between replayed as-of dates (--backtest).")
    ] = 4,
    validation: Annotated[
        bool,
        typer.Option(
            help="Size the intervals by the time-ordered validation; without it each item's error "
            "scale is 10 days."
        ),
    ] = True,
) -> None:
    """Forecast the collections of the open items by week with 80% intervals, or backtest the forecast."""
    day = parse_day(as_of)
    if backtest:
        _backtest(ctx, as_of, day, weeks, origins, step_weeks, output_format, output)
        return
    result = _predict(ctx, as_of, day, validation)
    forecast = weekly_forecast(result.frame, day, weeks)
    currency = result.currency
    if output_format is OutputFormat.json:
        rows = forecast.with_columns(pl.col(pl.Date).cast(pl.String)).to_dicts()
        for row in rows:
            for key in ("expected", "low", "high"):
                row[key] = _major(row.pop(f"{key}_minor"), currency)
        payload = {"as_of": day.isoformat(), "currency": currency.code, "weeks": rows,
                   "open_total": _major(int(result.frame["open_minor"].sum()), currency),
                   "fallback_reason": result.fallback_reason}  # fmt: skip
        _emit(json.dumps(payload, indent=2), output)
        return
    table = Table(title=f"Expected collections of the items open on {day}, {currency.code}, 80% interval")
    for column in ("week", "from", "to", "items", "expected", "low", "high"):
        table.add_column(column, justify="right")
    for row in forecast.iter_rows(named=True):
        table.add_row(
            str(row["week"] or "beyond"), str(row["week_start"]), str(row["week_end"] or ""),
            str(row["items"]),
            _major(row["expected_minor"], currency), _major(row["low_minor"], currency),
            _major(row["high_minor"], currency),
        )  # fmt: skip
    Console(file=output.open("w", encoding="utf-8") if output else None, width=140).print(table)


def _backtest(
    ctx: typer.Context, as_of: str | None, day: date, weeks: int, origins: int, step_weeks: int,
    output_format: OutputFormat, output: Path | None,
) -> None:  # fmt: skip
    history = _history(ctx, as_of, day)
    try:
        result = run_backtest(history, day, weeks=weeks, origins=origins, step_weeks=step_weeks)
    except (PredictionError, AnalyticsError) as error:
        fail(str(error))
    if output_format is OutputFormat.json:
        _emit(json.dumps(result.as_dict(), indent=2), output)
        return
    _backtest_table(
        result, history.currency, Console(file=output.open("w", encoding="utf-8") if output else None)
    )


def _backtest_table(result: Backtest, currency: Currency, console: Console) -> None:
    origins = ", ".join(origin.isoformat() for origin in result.origins)
    table = Table(title=f"Forecast backtest, origins {origins}")
    for column in ("method", "weeks", f"actual {currency.code}", "forecast", "WAPE", "bias", "80% coverage"):
        table.add_column(column, justify="left" if column == "method" else "right")
    for score in result.scores:
        table.add_row(
            score.method, str(score.weeks), _major(score.actual_minor, currency),
            _major(score.forecast_minor, currency), _number(score.wape, "{:.1%}"),
            _number(score.bias, "{:+.1%}"),
            _number(score.coverage, "{:.0%}"),
        )  # fmt: skip
    console.print(table)


@app.command("predict-bench")
def predict_bench_command(
    invoices: Annotated[int, typer.Option(min=1_000, help="Invoices of the generated ledger.")] = 1_000_000,
    output: Annotated[Path, typer.Option(help="Benchmark page whose Prediction section is replaced.")] = Path(
        "docs/benchmarks.md"
    ),
) -> None:
    """Time training and scoring on a generated ledger and record it in the benchmark page."""
    import sklearn

    result = run_prediction_bench(invoices, progress=lambda line: Console(stderr=True).print(line))
    machine = describe_machine(None)
    described = (
        f"{machine.cpu}, {machine.cores} cores, {machine.memory_gib:.0f} GiB, Python {machine.python}, "
        f"Polars {machine.polars}, scikit-learn {sklearn.__version__}"
    )
    command = f"receivables predict-bench --invoices {invoices}"
    section = prediction_section(result, command, today().isoformat(), described)
    write_section(output, section)
    typer.echo(section)
