"""``receivables terms settle|charge|simulate``: payment terms applied to the stored ledger.

Exit codes: 0 on success; 2 when the action is rejected or an option is invalid (a document not
found, another customer, a period after the as-of date), with nothing written.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from receivables.advisor.discounts import parse_offer
from receivables.analytics import load_ledger
from receivables.analytics.payment_history import payment_history
from receivables.cli.main import database_option
from receivables.cli.options import fail, note_stale_ledger, parse_day
from receivables.cli.terms_cmd import (
    FormatOption,
    OutputFormat,
    RatesFileOption,
    _print_json,
    terms_app,
)
from receivables.domain.discount_economics import DiscountSimulation, simulate_discount_offer
from receivables.domain.discounts import DiscountTier, format_decimal
from receivables.domain.documents import DocumentKind
from receivables.domain.errors import ReceivablesError
from receivables.domain.interest import InterestPeriod
from receivables.domain.money import Currency, Money
from receivables.rates import RatesFileError
from receivables.services.context import AppContext
from receivables.services.late_charge_runs import ChargeRun, WrittenNote, run_late_charges
from receivables.services.settlement import settle_invoice


@contextmanager
def _context(ctx: typer.Context) -> Iterator[AppContext]:
    context = AppContext.open(database_option(ctx))
    try:
        yield context
    finally:
        context.close()


@terms_app.command("settle")
def settle_command(
    ctx: typer.Context,
    invoice: Annotated[str, typer.Argument(help="Number of the invoice (or debit note) paid.")],
    payment: Annotated[str, typer.Option("--payment", help="Number of the stored payment.")],
    instalment: Annotated[
        int | None,
        typer.Option(min=1, help="Instalment to settle; default: the first one still open."),
    ] = None,
    amount: Annotated[
        str | None,
        typer.Option(help="Part of the payment for this instalment; default: all still unapplied."),
    ] = None,
    debit_note: Annotated[
        bool, typer.Option("--debit-note", help="INVOICE is the number of a debit note.")
    ] = False,
    output: FormatOption = OutputFormat.TABLE,
) -> None:
    """Apply a stored payment to an instalment and post the early-payment discount it earned."""
    part = None
    if amount is not None:
        try:
            part = Decimal(amount)
        except InvalidOperation:
            fail(f"--amount {amount!r} is not a number", 2)
    kind = DocumentKind.DEBIT_NOTE if debit_note else DocumentKind.INVOICE
    with _context(ctx) as context:
        try:
            outcome = settle_invoice(
                context.engine, invoice, payment, instalment=instalment, amount=part, kind=kind
            )
        except ReceivablesError as error:
            fail(str(error), 2)
    values = outcome.to_dict()
    if output is OutputFormat.JSON:
        _print_json(values)
        return

    table = Table(
        title=f"Payment {payment} on {kind.value} {invoice}, instalment {outcome.instalment}"
    )
    table.add_column("figure")
    table.add_column(f"value ({outcome.currency})", justify="right")
    for key in ("applied", "discount", "discount_tax", "residual", "payment_unapplied"):
        table.add_row(key.replace("_", " "), str(values[key]))
    console = Console()
    console.print(table)
    if outcome.discount_number:
        console.print(
            f"discount document {outcome.discount_number}: {values['discount_percent']}% "
            f"by {values['discount_deadline']}"
        )
    if not outcome.written:
        console.print("already settled before: nothing was written")


@terms_app.command("charge")
def charge_command(
    ctx: typer.Context,
    period_start: Annotated[
        str, typer.Option("--period-start", help="First day of the interest period, YYYY-MM-DD.")
    ],
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Date of the debit notes, YYYY-MM-DD; default today."),
    ] = None,
    period_end: Annotated[
        str | None,
        typer.Option("--period-end", help="Last day of the period, YYYY-MM-DD; default --as-of."),
    ] = None,
    regime: Annotated[
        str,
        typer.Option(
            help="'contract' (each customer's contract), or a statutory regime: eu, uk, de, fr."
        ),
    ] = "eu",
    customer: Annotated[
        str | None, typer.Option(help="Charge one customer only, by customer code.")
    ] = None,
    due_days: Annotated[
        int, typer.Option("--due-days", min=0, help="Days from the note date to its due date.")
    ] = 0,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show the debit notes without writing them.")
    ] = False,
    rates_file: RatesFileOption = None,
    output: FormatOption = OutputFormat.TABLE,
) -> None:
    """Write late interest and compensation debit notes for a period, never twice for a day."""
    day = parse_day(as_of)
    last = day if period_end is None else parse_day(period_end, "--period-end")
    with _context(ctx) as context:
        note_stale_ledger(context.engine, as_of, day)
        try:
            period = InterestPeriod(parse_day(period_start, "--period-start"), last)
            run = run_late_charges(
                context.engine, as_of=day, period=period, regime=regime, dry_run=dry_run,
                due_days=due_days, customer=customer, rates_file=rates_file,
            )  # fmt: skip
        except (ReceivablesError, RatesFileError) as error:
            fail(str(error), 2)
    values = charge_json(run)
    if output is OutputFormat.JSON:
        _print_json(values)
        return
    _print_charges(values)


def charge_json(run: ChargeRun) -> dict[str, Any]:
    """Return the JSON form of a late-charge run."""
    plan = run.plan
    return {
        "as_of": run.as_of.isoformat(),
        "period": {"from": run.period.first_day.isoformat(), "to": run.period.last_day.isoformat()},
        "regime": run.regime,
        "dry_run": run.dry_run,
        "notes": [_note_json(written) for written in run.notes],
        "waived": [
            {"key": str(line.key), "amount": str(line.amount.amount)}
            for line in (plan.waived if plan else ())
        ],
        "problems": [
            {"customer_code": p.customer_code, "reference": p.reference, "reason": p.reason}
            for p in (plan.problems if plan else ())
        ]
        + [
            {"customer_code": code, "reference": None, "reason": reason}
            for code, reason in run.skipped
        ],
    }


def _note_json(written: WrittenNote) -> dict[str, Any]:
    note = written.note
    return {
        "number": written.number,
        "customer_code": note.customer_code,
        "currency": note.currency,
        "total": str(note.total.amount),
        "lines": [
            {"key": str(line.key), "kind": line.key.kind.value, "amount": str(line.amount.amount)}
            for line in note.lines
        ],
    }


def _print_charges(values: dict[str, Any]) -> None:
    period = values["period"]
    verb = "would be written" if values["dry_run"] else "written"
    table = Table(title=f"Late charges {period['from']} to {period['to']} ({values['regime']})")
    for column in ("note", "customer", "charge", "amount"):
        table.add_column(column, justify="right" if column == "amount" else "left")
    for note in values["notes"]:
        for line in note["lines"]:
            table.add_row(note["number"] or "-", note["customer_code"], line["key"], line["amount"])
    console = Console()
    console.print(table)
    console.print(f"{len(values['notes'])} debit notes {verb}")
    for problem in values["problems"]:
        console.print(f"not charged: {problem['customer_code']} {problem['reference'] or ''}: "
                      f"{problem['reason']}", soft_wrap=True)  # fmt: skip


def _offer(text: str) -> tuple[DiscountTier, int]:
    """Read an offer such as ``2/10 net30``; exit with the error when it is not one."""
    try:
        return parse_offer(text)
    except ReceivablesError as error:
        fail(str(error), 2)


@terms_app.command("simulate")
def simulate_command(
    ctx: typer.Context,
    offer: Annotated[str, typer.Argument(help="The discount offered, such as '2/10 net30'.")],
    customers: Annotated[
        str | None,
        typer.Option(help="Comma-separated customer codes; default every customer with history."),
    ] = None,
    cost_of_capital: Annotated[
        str, typer.Option("--cost-of-capital", help="Yearly cost of capital as a fraction: 0.08.")
    ] = "0.08",
    take_up: Annotated[
        str,
        typer.Option("--take-up", help="Fraction of late-paid sales expected to take the offer."),
    ] = "0.5",
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="End of the history, YYYY-MM-DD; default today.")
    ] = None,
    history_days: Annotated[
        int, typer.Option("--history-days", min=1, help="Days of payment history to use.")
    ] = 365,
    output: FormatOption = OutputFormat.TABLE,
) -> None:
    """Estimate DSO change, discount cost and financing benefit of offering a discount."""
    tier, net_days = _offer(offer)
    capital, share = (
        _fraction(cost_of_capital, "--cost-of-capital"),
        _fraction(take_up, "--take-up"),
    )
    day = parse_day(as_of)
    codes = None if customers is None else [code.strip() for code in customers.split(",")]
    with _context(ctx) as context:
        currency = context.company_currency()
        if currency is None:
            fail("no company currency is set; import a ledger first", 2)
        note_stale_ledger(context.engine, as_of, day)
        ledger = load_ledger(context.engine, currency)

    summaries = payment_history(ledger, day, currency, tier.days, history_days, codes)
    if not summaries:
        fail("no customer has items settled in the history window; widen --history-days", 2)
    try:
        result = simulate_discount_offer(
            summaries, tier, net_days, capital * 100, share, currency.code
        )
    except ReceivablesError as error:
        fail(str(error), 2)
    values = simulation_json(offer, result, currency, capital, share)
    if output is OutputFormat.JSON:
        _print_json(values)
        return

    table = Table(title=f"Offer {values['offer']} to {len(result.customers)} customers")
    table.add_column("figure")
    table.add_column("value", justify="right")
    for key, value in values.items():
        if key != "customers":
            table.add_row(key.replace("_", " "), str(value))
    Console().print(table)


def _fraction(text: str, option: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        fail(f"{option} {text!r} is not a number", 2)
    if not Decimal(0) <= value <= 1:
        fail(f"{option} {text} must be a fraction from 0 to 1, such as 0.08 for 8 %", 2)
    return value


def simulation_json(
    offer: str, result: DiscountSimulation, currency: Currency, capital: Decimal, share: Decimal
) -> dict[str, Any]:
    """Return the JSON form of a simulation; days to one decimal, rates in percent."""
    return {
        "offer": offer,
        "currency": currency.code,
        "cost_of_capital": format_decimal(capital),
        "take_up": format_decimal(share),
        "offer_cost_simple_percent": str(
            (result.offer_cost_simple * 100).quantize(Decimal("0.01"))
        ),
        "dso_before": str(result.dso_before),
        "dso_after": str(result.dso_after),
        "dso_change": str(result.dso_change),
        "receivables_released": str(result.receivables_released.amount),
        "annual_discount_cost": str(result.annual_discount_cost.amount),
        "financing_benefit": str(result.financing_benefit.amount),
        "net_benefit": str(result.net_benefit.amount),
        "customers": [
            {
                "customer_code": effect.customer_code,
                "days_before": str(effect.days_before.quantize(Decimal("0.1"))),
                "days_after": str(effect.days_after.quantize(Decimal("0.1"))),
                "discount_cost": str(Money.of(effect.discount_cost, currency).rounded().amount),
            }
            for effect in result.customers
        ],
    }
