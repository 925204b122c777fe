"""``receivables ecl``, ``scenario`` and ``advise``: expected credit loss, shocks and measures.

Exit codes: 0 when the output was written; 1 when it cannot be computed (no company currency, an
empty ledger, an invalid scenario file or config); 2 for an invalid option value.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated

import polars as pl
import typer

from receivables.advisor import AdviceOptions, build_advice
from receivables.advisor.discounts import DiscountOffer
from receivables.analytics import AnalyticsError, LedgerFrames, load_ledger
from receivables.cli.advise_output import print_advice, print_provision, print_scenario
from receivables.cli.collect_common import AsOfOption, FormatOption, OutputFormat, print_json
from receivables.cli.main import app, database_option
from receivables.cli.options import fail, note_stale_ledger, parse_day
from receivables.cli.terms_ledger_cmd import _offer as offer_tier
from receivables.config import ConfigError, Settings, load_settings
from receivables.credit.summary import credit_positions
from receivables.domain.advice import AdvicePolicy
from receivables.domain.aging import AgingBuckets, InvalidBucketsError
from receivables.domain.errors import ReceivablesError
from receivables.domain.money import Currency, Money
from receivables.domain.provisioning import ForwardLookingAdjustment, HistoryWindow, ProvisionMethod
from receivables.domain.scenarios import ScenarioFileError
from receivables.prediction.api import predict_open_items
from receivables.provisioning import ProvisionInputs, compute_provision, customer_attributes
from receivables.provisioning.allowance import SegmentBy
from receivables.scenarios import read_scenario, run_scenario
from receivables.scenarios.effects import ScenarioInputs
from receivables.services.context import AppContext


@dataclass
class AdvisorSession:
    """The open database, the settings, the company currency and the loaded ledger."""

    context: AppContext
    settings: Settings
    company: Currency
    ledger: LedgerFrames
    attributes: pl.DataFrame


@contextmanager
def advisor_session(ctx: typer.Context) -> Iterator[AdvisorSession]:
    """Open the database and load the ledger; turn rule and data errors into exit code 1."""
    try:
        settings = load_settings()
    except ConfigError as error:
        fail(str(error))
    context = AppContext.open(database_option(ctx), settings)
    try:
        company = context.company_currency()
        if company is None:
            fail(
                "no company currency is set: run 'receivables init --company-currency EUR' (your code), "
                "set RECEIVABLES_COMPANY_CURRENCY, or import a ledger first"
            )
        ledger = load_ledger(context.engine, company)
        if ledger.is_empty:
            fail("the ledger has no documents: import a ledger first ('receivables import FILES')")
        yield AdvisorSession(context, settings, company, ledger, customer_attributes(context.engine))
    except (ReceivablesError, AnalyticsError, ValueError) as error:
        fail(str(error))
    finally:
        context.close()


def parse_factor(text: str, option: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        fail(f"{option} {text!r} is not a number; write it like 1.10", 2)
    if not value.is_finite() or value < 0:
        fail(f"{option} {text!r} must be a number of zero or more, such as 1.10", 2)
    return value


MethodOption = Annotated[
    ProvisionMethod,
    typer.Option("--method", help="Historical loss rates per bucket, or chained roll rates."),
]
SegmentOption = Annotated[
    SegmentBy, typer.Option("--segment-by", help="Customer attribute that splits the matrix.")
]
BucketsOption = Annotated[
    str, typer.Option("--buckets", help="Upper edges of the aging buckets in days past due.")
]
LookbackOption = Annotated[
    int, typer.Option("--lookback-months", min=2, help="Months of history the snapshots cover.")
]
HorizonOption = Annotated[
    int,
    typer.Option("--horizon-months", min=1, help="Months after a snapshot in which write-offs count."),
]
FactorOption = Annotated[
    str,
    typer.Option("--adjustment", help="Forward-looking factor on every historical rate: 1.10 adds a tenth."),
]
ReasonOption = Annotated[
    str | None,
    typer.Option("--adjustment-reason", help="Why the factor was chosen; shown with the result."),
]
MinimumOption = Annotated[
    str,
    typer.Option(
        "--minimum-exposure",
        help="Summed history (company currency) below which a segment's cell takes the pooled rate.",
    ),
]


@dataclass(frozen=True)
class MatrixOptions:
    """The provision options shared by ``ecl`` and ``scenario``."""

    method: ProvisionMethod
    segment_by: SegmentBy
    buckets: str
    lookback_months: int
    horizon_months: int
    adjustment: str
    reason: str | None
    minimum_exposure: str

    def inputs(self, as_of: date, company: Currency) -> ProvisionInputs:
        try:
            buckets = AgingBuckets.parse(self.buckets)
            window = HistoryWindow(self.lookback_months, self.horizon_months)
        except (InvalidBucketsError, ReceivablesError) as error:
            fail(str(error), 2)
        factor = parse_factor(self.adjustment, "--adjustment")
        if factor == 1 and self.reason is None:
            adjustment = ForwardLookingAdjustment()
        else:
            adjustment = ForwardLookingAdjustment(factor, self.reason or "not stated")
        try:
            minimum = Money.of(self.minimum_exposure, company).minor_units()
        except (ReceivablesError, InvalidOperation, ValueError) as error:
            fail(f"--minimum-exposure {self.minimum_exposure!r} is not an amount: {error}", 2)
        return ProvisionInputs(
            as_of, company, self.method, self.segment_by, buckets, window, adjustment, minimum
        )


@app.command("ecl")
def ecl_command(
    ctx: typer.Context,
    as_of: AsOfOption = None,
    method: MethodOption = ProvisionMethod.LOSS_RATE,
    segment_by: SegmentOption = SegmentBy.SEGMENT,
    buckets: BucketsOption = "0,30,60,90",
    lookback_months: LookbackOption = 36,
    horizon_months: HorizonOption = 12,
    adjustment: FactorOption = "1",
    adjustment_reason: ReasonOption = None,
    minimum_exposure: MinimumOption = "0",
    top: Annotated[int, typer.Option(min=0, help="Customers with the largest allowance to list.")] = 20,
    output_format: FormatOption = OutputFormat.table,
) -> None:
    """Show the IFRS 9 provision matrix and the loss allowance per customer and in total."""
    day = parse_day(as_of)
    options = MatrixOptions(
        method, segment_by, buckets, lookback_months, horizon_months, adjustment, adjustment_reason,
        minimum_exposure,
    )  # fmt: skip
    with advisor_session(ctx) as session:
        note_stale_ledger(session.context.engine, as_of, day)
        inputs = options.inputs(day, session.company)
        result = compute_provision(session.ledger, session.attributes, inputs)
    values = result.to_dict(top=top)
    if output_format is OutputFormat.json:
        print_json(values)
    else:
        print_provision(values)


def load_limits(session: AdvisorSession, as_of: date) -> pl.DataFrame:
    """Return customer_id, limit_minor and exposure_minor of every customer, from the credit tables."""
    positions = credit_positions(session.context.engine, as_of, session.company)
    ids = session.attributes.select("customer_id", "customer_code")
    return positions.join(ids, on="customer_code").select("customer_id", "limit_minor", "exposure_minor")


def load_predictions(session: AdvisorSession, as_of: date) -> pl.DataFrame:
    """Predict the pay dates of the open items with the prediction package's model.

    NOTE: the time-ordered validation is skipped here, because only the pay dates are needed;
    the forecast intervals then use the prediction package's default error scale.
    """
    result = predict_open_items(
        session.context.engine, as_of, currency=session.company.code, validation=False
    )
    return result.frame


@app.command("scenario")
def scenario_command(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Scenario file (TOML) with its shocks; see docs/advisor.md.")],
    as_of: AsOfOption = None,
    forecast: Annotated[
        bool,
        typer.Option(
            "--forecast/--no-forecast",
            help="Predict the open items' pay dates and compare the weekly cash forecast.",
        ),
    ] = True,
    period_days: Annotated[
        int | None,
        typer.Option(min=1, help="Days of the sales period behind DSO; default from the settings."),
    ] = None,
    method: MethodOption = ProvisionMethod.LOSS_RATE,
    segment_by: SegmentOption = SegmentBy.SEGMENT,
    buckets: BucketsOption = "0,30,60,90",
    lookback_months: LookbackOption = 36,
    horizon_months: HorizonOption = 12,
    adjustment: FactorOption = "1",
    adjustment_reason: ReasonOption = None,
    minimum_exposure: MinimumOption = "0",
    output_format: FormatOption = OutputFormat.table,
) -> None:
    """Apply a scenario's shocks and show their effect on DSO, cash, expected loss and limits."""
    day = parse_day(as_of)
    try:
        scenario = read_scenario(file)
    except ScenarioFileError as error:
        fail(str(error))
    options = MatrixOptions(
        method, segment_by, buckets, lookback_months, horizon_months, adjustment, adjustment_reason,
        minimum_exposure,
    )  # fmt: skip
    with advisor_session(ctx) as session:
        note_stale_ledger(session.context.engine, as_of, day)
        inputs = ScenarioInputs(
            options.inputs(day, session.company), period_days or session.settings.period_days
        )
        predictions = load_predictions(session, day) if forecast else None
        result = run_scenario(
            session.ledger, session.attributes, scenario, inputs, predictions, load_limits(session, day)
        )
    values = result.to_dict()
    if output_format is OutputFormat.json:
        print_json(values)
    else:
        print_scenario(values)


def parse_fraction(text: str, option: str) -> Decimal:
    value = parse_factor(text, option)
    if value > 1:
        fail(f"{option} {text} must be a fraction from 0 to 1, such as 0.08 for 8 %", 2)
    return value


@app.command("advise")
def advise_command(
    ctx: typer.Context,
    as_of: AsOfOption = None,
    period_days: Annotated[
        int | None,
        typer.Option(min=1, help="Days of the sales period behind DSO; default from the settings."),
    ] = None,
    offer: Annotated[
        str,
        typer.Option("--discount-offer", help="The early-payment discount to test, such as '2/10 net30'."),
    ] = "2/10 net30",
    cost_of_capital: Annotated[
        str, typer.Option("--cost-of-capital", help="Yearly cost of capital as a fraction: 0.08.")
    ] = "0.08",
    take_up: Annotated[
        str, typer.Option("--take-up", help="Fraction of late-paid sales expected to take the discount.")
    ] = "0.5",
    late_days: Annotated[
        int, typer.Option("--late-days", min=1, help="Weighted days late that warrant shorter terms.")
    ] = 15,
    top: Annotated[
        int, typer.Option(min=1, help="Recommendations listed per kind, largest effect first.")
    ] = 10,
    output_format: FormatOption = OutputFormat.table,
) -> None:
    """List measures that raise turnover or cut risk, each with its evidence and expected effect."""
    day = parse_day(as_of)
    tier, net_days = offer_tier(offer)
    capital = parse_fraction(cost_of_capital, "--cost-of-capital")
    share = parse_fraction(take_up, "--take-up")
    with advisor_session(ctx) as session:
        note_stale_ledger(session.context.engine, as_of, day)
        options = AdviceOptions(
            AdvicePolicy(late_days=late_days, top=top),
            DiscountOffer(tier, net_days, offer, capital * 100, share),
            period_days or session.settings.period_days,
        )
        advice = build_advice(
            session.context.engine, session.ledger, session.attributes,
            ProvisionInputs(day, session.company), options,
        )  # fmt: skip
    values = advice.to_dict()
    if output_format is OutputFormat.json:
        print_json(values)
    else:
        print_advice(values)
