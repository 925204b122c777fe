"""``receivables terms``: payment schedules, discount costs, late interest and reference rates.

``schedule``, ``cost``, ``interest`` and ``rates`` compute from their options alone and open no
database. The commands on the stored ledger (``settle``, ``charge``, ``simulate``) and on
contracts add themselves to the same group from :mod:`receivables.cli.terms_ledger_cmd` and
:mod:`receivables.cli.contracts_cmd`.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from receivables.cli.main import app
from receivables.cli.options import fail, parse_day
from receivables.domain.day_count import DayCount
from receivables.domain.discount_economics import term_costs
from receivables.domain.discounts import DiscountBase, format_decimal
from receivables.domain.errors import ReceivablesError
from receivables.domain.interest import (
    ContractualInterest,
    DatedPayment,
    InterestCalculation,
    InterestPeriod,
    InterestRegime,
    accrue_interest,
)
from receivables.domain.money import Money
from receivables.domain.reference_rates import ReferenceRateTable
from receivables.domain.schedules import PaymentSchedule
from receivables.domain.terms import PaymentTerm
from receivables.rates import RatesFileError, load_rate_book

terms_app = typer.Typer(
    help="Payment terms: instalment schedules, discount costs, late interest and reference rates.",
    no_args_is_help=True,
)
app.add_typer(terms_app, name="terms")

TERM_HELP = "Payment term in text form, e.g. 'net30', '2/10 net30', '50% net30, net60 @DE'."


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


FormatOption = Annotated[
    OutputFormat, typer.Option("--format", help="Output as a table or as JSON.")
]
RatesFileOption = Annotated[
    Path | None,
    typer.Option(
        "--rates-file",
        help="Reference rate TOML file; default: $RECEIVABLES_REFERENCE_RATES_FILE, else the "
        "shipped file.",
    ),
]


def _parse_term(text: str, calendar: str | None) -> PaymentTerm:
    try:
        term = PaymentTerm.parse(text)
        return term if calendar is None else term.with_calendar(calendar)
    except ReceivablesError as error:
        fail(str(error), 2)


def _money(amount: str, currency: str, option: str) -> Money:
    try:
        return Money.of(amount, currency)
    except ReceivablesError as error:
        fail(f"{option}: {error}", 2)


def _print_json(values: Any) -> None:
    typer.echo(json.dumps(values, indent=2, ensure_ascii=False))


@terms_app.command("schedule")
def schedule_command(
    term: Annotated[str, typer.Argument(help=TERM_HELP)],
    invoice_date: Annotated[str, typer.Option("--invoice-date", help="Invoice date, YYYY-MM-DD.")],
    amount: Annotated[str, typer.Option(help="Invoice total including tax, e.g. 1190.00.")],
    currency: Annotated[str, typer.Option(help="ISO 4217 currency of the invoice, e.g. EUR.")],
    tax: Annotated[str, typer.Option(help="Tax part of the total.")] = "0",
    calendar: Annotated[
        str | None,
        typer.Option(help="Holiday calendar (DE, DE-BY, weekends); replaces the term's calendar."),
    ] = None,
    discount_base: Annotated[
        DiscountBase, typer.Option("--discount-base", help="Discount on the gross or net amount.")
    ] = DiscountBase.GROSS,
    output: FormatOption = OutputFormat.TABLE,
) -> None:
    """Print the instalments of an invoice: due dates, amounts, tax and discount offers."""
    parsed = _parse_term(term, calendar)
    day = parse_day(invoice_date, "--invoice-date")
    try:
        schedule = parsed.schedule(
            day, _money(amount, currency, "--amount"), _money(tax, currency, "--tax"),
            discount_base=discount_base,
        )  # fmt: skip
    except ReceivablesError as error:
        fail(str(error), 2)
    if output is OutputFormat.JSON:
        _print_json(schedule.to_dict())
        return
    _print_schedule(schedule)


def _print_schedule(schedule: PaymentSchedule) -> None:
    currency = schedule.amount.currency.code
    table = Table(title=f"{schedule.term} on {schedule.amount} dated {schedule.invoice_date}")
    for column in ("#", "due date", f"amount {currency}", f"tax {currency}", "discount offers"):
        table.add_column(column, justify="right" if column != "discount offers" else "left")
    for instalment in schedule.instalments:
        due = str(instalment.due_date)
        if instalment.unadjusted_due_date != instalment.due_date:
            due += f" (from {instalment.unadjusted_due_date})"
        offers = "; ".join(
            f"{format_decimal(o.percent)}% by {o.deadline}: {o.amount.amount} "
            f"(net {o.net.amount}, tax {o.tax.amount})"
            for o in instalment.offers
        )
        table.add_row(
            str(instalment.number), due, str(instalment.amount.amount),
            str(instalment.tax.amount), offers or "none",
        )  # fmt: skip
    Console().print(table)


@terms_app.command("cost")
def cost_command(
    term: Annotated[str, typer.Argument(help=TERM_HELP)],
    invoice_date: Annotated[
        str | None,
        typer.Option("--invoice-date", help="Needed for due rules other than netN, YYYY-MM-DD."),
    ] = None,
    output: FormatOption = OutputFormat.TABLE,
) -> None:
    """Print the yearly cost of each discount tier of a term, simple and compounded."""
    parsed = _parse_term(term, None)
    day = None if invoice_date is None else parse_day(invoice_date, "--invoice-date")
    try:
        costs = term_costs(parsed, day)
    except ReceivablesError as error:
        fail(str(error), 2)
    if not costs:
        fail(f"term {parsed} offers no discount; write e.g. 2/10 net30", 2)
    rows = [
        {
            "instalment": cost.instalment,
            "discount": cost.tier.to_text(),
            "net_days": cost.net_days,
            "simple_percent": _percent(cost.simple),
            "compound_percent": _percent(cost.compound),
        }
        for cost in costs
    ]
    if output is OutputFormat.JSON:
        _print_json({"term": parsed.to_text(), "costs": rows})
        return
    table = Table(title=f"Yearly cost of the discounts of {parsed}")
    for column in ("instalment", "discount", "net days", "simple %", "compounded %"):
        table.add_column(column, justify="right")
    for row in rows:
        table.add_row(*(str(value) for value in row.values()))
    Console().print(table)


def _percent(fraction: Decimal) -> str:
    return str((fraction * 100).quantize(Decimal("0.01")))


def _payment(text: str, currency: str) -> DatedPayment:
    day, separator, amount = text.partition("=")
    if not separator:
        fail(f"--payment {text!r} must be DATE=AMOUNT, e.g. 2024-04-30=3000.00", 2)
    return DatedPayment(parse_day(day, "--payment"), _money(amount, currency, "--payment"))


CONTRACT_REGIME = "contract"


@terms_app.command("interest")
def interest_command(
    due_date: Annotated[str, typer.Option("--due-date", help="Due date of the item, YYYY-MM-DD.")],
    amount: Annotated[str, typer.Option(help="Amount of the item, e.g. 10000.00.")],
    currency: Annotated[str, typer.Option(help="ISO 4217 currency of the item.")],
    period_from: Annotated[
        str, typer.Option("--from", help="First day of the interest period, YYYY-MM-DD.")
    ],
    period_to: Annotated[
        str, typer.Option("--to", help="Last day of the interest period, YYYY-MM-DD.")
    ],
    payments: Annotated[
        list[str] | None,
        typer.Option("--payment", help="A payment as DATE=AMOUNT; repeat for several."),
    ] = None,
    regime: Annotated[
        str,
        typer.Option(help="'contract', or a statutory regime of the rates file: eu, uk, de, fr."),
    ] = CONTRACT_REGIME,
    rate: Annotated[
        str | None, typer.Option(help="Contract rate in percent per year, e.g. 9.5.")
    ] = None,
    day_count: Annotated[
        DayCount, typer.Option("--day-count", help="Day-count convention of the contract rate.")
    ] = DayCount.ACT_365,
    grace_days: Annotated[
        int, typer.Option("--grace-days", min=0, help="Days after the due date free of interest.")
    ] = 0,
    minimum: Annotated[
        str | None, typer.Option(help="Contract minimum: less interest than this is waived.")
    ] = None,
    rates_file: RatesFileOption = None,
    output: FormatOption = OutputFormat.TABLE,
) -> None:
    """Compute the late interest of one item over a period, with the breakdown by sub-period."""
    item = _money(amount, currency, "--amount")
    settled = [_payment(text, currency) for text in payments or []]
    chosen = _regime(regime, rate, day_count, grace_days, minimum, currency, rates_file)
    try:
        period = InterestPeriod(parse_day(period_from, "--from"), parse_day(period_to, "--to"))
        result = accrue_interest(parse_day(due_date, "--due-date"), item, settled, period, chosen)
    except ReceivablesError as error:
        fail(str(error), 2)
    waived = chosen.minimum is not None and result.interest < chosen.minimum
    if output is OutputFormat.JSON:
        _print_json(_interest_json(result, waived))
        return
    _print_interest(result, waived)


def _regime(
    code: str,
    rate: str | None,
    day_count: DayCount,
    grace_days: int,
    minimum: str | None,
    currency: str,
    rates_file: Path | None,
) -> InterestRegime:
    if code != CONTRACT_REGIME:
        if rate is not None or minimum is not None:
            fail("--rate and --minimum belong to --regime contract", 2)
        try:
            return load_rate_book(rates_file).regime(code)
        except (RatesFileError, ReceivablesError) as error:
            fail(str(error), 2)
    if rate is None:
        fail("--regime contract needs --rate, the yearly rate in percent", 2)
    try:
        return ContractualInterest(
            Decimal(rate),
            day_count,
            grace_days,
            None if minimum is None else _money(minimum, currency, "--minimum"),
        )
    except (InvalidOperation, ReceivablesError) as error:
        fail(f"--rate {rate!r}: {error}", 2)


def _interest_json(result: InterestCalculation, waived: bool) -> dict[str, Any]:
    return {
        "regime": result.regime,
        "due_date": result.due_date.isoformat(),
        "interest_start": result.interest_start.isoformat(),
        "period": {
            "from": result.period.first_day.isoformat(),
            "to": result.period.last_day.isoformat(),
        },
        "currency": result.interest.currency.code,
        "rows": [
            {
                "from": row.first_day.isoformat(),
                "to": row.last_day.isoformat(),
                "days": row.days,
                "base": str(row.base.amount),
                "rate_percent": format_decimal(row.rate),
                "interest": str(row.interest.amount),
                "source": row.source,
            }
            for row in result.rows
        ],
        "interest": str(result.interest.amount),
        "below_minimum": waived,
        "compensation": None if result.compensation is None else str(result.compensation.amount),
    }


def _print_interest(result: InterestCalculation, waived: bool) -> None:
    currency = result.interest.currency.code
    table = Table(title=f"Interest ({result.regime}) due {result.due_date}, period {result.period}")
    for column in (
        "from",
        "to",
        "days",
        f"base {currency}",
        "rate %",
        f"interest {currency}",
        "rate source",
    ):
        table.add_column(column, justify="left" if column == "rate source" else "right")
    for row in result.rows:
        table.add_row(
            str(row.first_day), str(row.last_day), str(row.days), str(row.base.amount),
            format_decimal(row.rate), str(row.interest.amount), row.source,
        )  # fmt: skip
    console = Console()
    console.print(table)
    console.print(
        f"interest: {result.interest}" + (" (below the minimum: waived)" if waived else "")
    )
    if result.compensation is not None:
        console.print(f"fixed compensation, once per late item: {result.compensation}")


@terms_app.command("rates")
def rates_command(
    table: Annotated[
        str | None, typer.Option(help="Show the changes of one table, e.g. ecb_mro.")
    ] = None,
    rates_file: RatesFileOption = None,
    output: FormatOption = OutputFormat.TABLE,
) -> None:
    """List the reference rate tables and statutory regimes, or the changes of one table."""
    try:
        book = load_rate_book(rates_file)
    except RatesFileError as error:
        fail(str(error), 2)
    if table is not None and table not in book.tables:
        fail(f"unknown rate table {table!r}; known tables: {', '.join(sorted(book.tables))}", 2)
    tables = [book.tables[table]] if table else list(book.tables.values())
    table_rows = [
        {
            "code": t.code,
            "name": t.name,
            "source": t.source,
            "verified_through": t.verified_through.isoformat(),
            "changes": [
                {"from": c.effective_from.isoformat(), "rate": str(c.rate)}
                for c in (t.changes if table else t.changes[-1:])
            ],
        }
        for t in tables
    ]
    regime_rows = [
        {
            "code": r.code,
            "name": r.name,
            "table": r.table.code,
            "margin": format_decimal(r.margin),
            "fixing": r.fixing.value,
            "day_count": r.day_count.value,
        }
        for r in book.regimes.values()
    ]
    if output is OutputFormat.JSON:
        _print_json({"tables": table_rows, "regimes": regime_rows})
        return
    _print_rates(table, tables, regime_rows)


def _print_rates(
    selected: str | None, tables: list[ReferenceRateTable], regime_rows: list[dict[str, str]]
) -> None:
    console = Console()
    rates = Table(title=f"Changes of {selected}" if selected else "Latest reference rates")
    for column in ("table", "name", "from", "rate %", "verified through"):
        rates.add_column(column)
    for entry in tables:
        for change in entry.changes if selected else entry.changes[-1:]:
            rates.add_row(
                entry.code,
                entry.name,
                str(change.effective_from),
                str(change.rate),
                str(entry.verified_through),
            )
    console.print(rates)
    for entry in tables:
        console.print(f"{entry.code} source: {entry.source}", soft_wrap=True)
    regimes = Table(title="Statutory regimes")
    for column in ("regime", "name", "table", "margin", "fixing", "day count"):
        regimes.add_column(column)
    for row in regime_rows:
        regimes.add_row(*row.values())
    console.print(regimes)
