"""The prediction benchmark: time training and scoring on a generated ledger of a given size.

The ledger comes from the demo's benchmark generator as frames in memory, without a database. So
the figures are those of the prediction itself: the payment history, the training rows and their
features, fitting both models, scoring the items open on the as-of date with their explanations,
and the 13-week forecast. The time-ordered validation trains ``FOLDS`` more models
and is not part of the figures.
"""

from __future__ import annotations

import resource
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import polars as pl

from receivables.demo.generator import DEFAULT_END, generate_benchmark
from receivables.demo.ledger_frames import ledger_frames
from receivables.domain.money import Currency
from receivables.prediction.explain import Explainer, top_factors
from receivables.prediction.features import add_features
from receivables.prediction.forecast import weekly_forecast
from receivables.prediction.history import build_history
from receivables.prediction.model import MAX_TRAINING_ROWS, train
from receivables.prediction.predict import labelled_rows, open_amounts, predict_frame
from receivables.prediction.rows import open_rows

HEADING = "## Prediction"
WIDTH = 100


@dataclass(frozen=True)
class PredictionBench:
    """Sizes and wall-clock seconds of one benchmark run."""

    invoices: int
    documents: int
    training_rows: int
    open_items: int
    generate_seconds: float
    history_seconds: float
    rows_seconds: float
    train_seconds: float
    score_seconds: float
    explain_seconds: float
    forecast_seconds: float
    peak_rss_mb: float


def run_prediction_bench(
    invoices: int, currency: str = "EUR", as_of: date = DEFAULT_END, progress: Callable[[str], None] = print
) -> PredictionBench:
    """Generate ``invoices`` invoices, train as of ``as_of`` and score the open items, timing each step."""
    clock = time.perf_counter()
    ledger = ledger_frames(generate_benchmark(invoices, end=as_of))
    generated = time.perf_counter()
    progress(f"generated {ledger.documents.height:,} documents in {generated - clock:.1f} s")
    history = build_history(ledger, Currency.of(currency))
    history_done = time.perf_counter()
    labelled = labelled_rows(history, as_of)
    rows_done = time.perf_counter()
    progress(f"built {labelled.height:,} training rows in {rows_done - history_done:.1f} s")
    model = train(labelled, as_of)
    trained = time.perf_counter()
    progress(f"trained in {trained - rows_done:.1f} s")
    rows = add_features(history, open_rows(history.items, open_amounts(history, as_of), as_of))
    predictions = predict_frame(rows, model)
    scored = time.perf_counter()
    factors = top_factors(predictions, Explainer(model))
    explained = time.perf_counter()
    weekly_forecast(predictions.with_columns(factors), as_of, 13)
    forecast_done = time.perf_counter()
    progress(f"scored {predictions.height:,} open items in {scored - trained:.1f} s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return PredictionBench(
        invoices=invoices,
        documents=ledger.documents.height,
        training_rows=min(labelled.filter(pl.col("target_days").is_not_null()).height, MAX_TRAINING_ROWS),
        open_items=predictions.height,
        generate_seconds=generated - clock,
        history_seconds=history_done - generated,
        rows_seconds=rows_done - history_done,
        train_seconds=trained - rows_done,
        score_seconds=scored - trained,
        explain_seconds=explained - scored,
        forecast_seconds=forecast_done - explained,
        peak_rss_mb=peak,
    )


INTRO = """Measured with `{command}` on {day}: {machine}. A generated ledger of {invoices:,} invoices
({documents:,} documents with the payments, credit notes and write-offs that settle them), held as
frames in memory. *History s* builds the payment history (allocation totals, company amounts, pay
dates); *rows s* builds the issue and month-end rows with their point-in-time features and labels;
*train s* fits the regressor and the classifier on the {training_rows:,} most recent labelled rows
(the cap is {cap:,}); *score s* builds the features of the {open_items:,} items open on the as-of
date and predicts them; *explain s* computes their partial-dependence factors; *forecast s* sums
them into 13 weeks. The time-ordered validation, three more trainings, is not included.
scikit-learn used one OpenMP thread. Times are wall-clock, taken while other work shared the
machine, so they vary between runs."""


def prediction_section(result: PredictionBench, command: str, day: str, machine: str) -> str:
    """Render the section's Markdown, from its heading to the end of its table."""
    intro = INTRO.format(
        command=command, day=day, machine=machine, invoices=result.invoices, documents=result.documents,
        training_rows=result.training_rows, cap=MAX_TRAINING_ROWS, open_items=result.open_items,
    )  # fmt: skip
    text = textwrap.fill(" ".join(intro.split()), width=WIDTH, break_on_hyphens=False)
    total = result.rows_seconds + result.train_seconds + result.score_seconds + result.explain_seconds
    lines = [
        HEADING, "", text, "",
        "| invoices | history s | rows s | train s | score s | explain s | forecast s | total s "
        "| peak RSS MB |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| {result.invoices:,} | {result.history_seconds:.1f} | {result.rows_seconds:.1f} | "
        f"{result.train_seconds:.1f} | {result.score_seconds:.1f} | {result.explain_seconds:.1f} | "
        f"{result.forecast_seconds:.1f} | {total + result.history_seconds + result.forecast_seconds:.1f} | "
        f"{result.peak_rss_mb:,.0f} |",
    ]  # fmt: skip
    return "\n".join(lines) + "\n"
