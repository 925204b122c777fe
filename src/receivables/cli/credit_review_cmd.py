"""``receivables credit review``, ``policy`` and ``sales-ratio``."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

import typer
from rich.console import Console

from receivables.cli.credit_cmd import (
    AsOfOption,
    FormatOption,
    OutputFormat,
    credit_app,
    credit_session,
    print_json,
)
from receivables.cli.credit_tables import print_rows
from receivables.cli.options import note_stale_ledger, parse_day
from receivables.credit.review import ReviewResult, compute_review, run_review
from receivables.credit.sales_ratio import credit_sales_ratio, load_sales_figures
from receivables.domain.credit.classes import CLASS_ORDER
from receivables.domain.credit.dates import add_months
from receivables.domain.credit.settings import CreditSettings
from receivables.storage.frames import load_customers, load_documents

TOP = 20


def _score_text(tenths: int | None) -> str | None:
    return None if tenths is None else str(Decimal(tenths).scaleb(-1))


def review_dict(result: ReviewResult) -> dict[str, Any]:
    counts = dict(result.scores.group_by("risk_class").len().iter_rows())
    changes = result.changes.select("customer_code", "old_class", "risk_class", "score_tenths")
    return {
        "as_of": result.as_of.isoformat(),
        "customers": result.scores.height,
        "classes": {
            risk_class.value: counts.get(risk_class.value, 0) for risk_class in CLASS_ORDER
        },
        "class_changes": [
            {
                "customer": row[0],
                "old_class": row[1],
                "new_class": row[2],
                "score": _score_text(row[3]),
            }
            for row in changes.iter_rows()
        ],
        "warnings": [
            {"customer": row[0], "sign": row[1], "detail": row[2]}
            for row in result.warnings.select("customer_code", "finding", "detail").iter_rows()
        ],
        "due_for_review": [
            {"customer": row[0], "reason": row[1]}
            for row in result.due.select("customer_code", "detail").iter_rows()
        ],
        "problems": result.problems,
    }


@credit_app.command("review")
def review_command(
    ctx: typer.Context,
    as_of: AsOfOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Compute and show the review without storing it.")
    ] = False,
    top: Annotated[int, typer.Option(min=1, help="Rows shown per table in the terminal.")] = TOP,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Re-score every customer, flag warning signs and list the customers due for review."""
    day = parse_day(as_of)
    with credit_session(ctx) as session:
        engine, company, settings = session.context.engine, session.company, session.settings
        note_stale_ledger(engine, as_of, day)
        result = (compute_review if dry_run else run_review)(engine, day, company, settings)
    values = review_dict(result)
    if output is OutputFormat.json:
        print_json(values)
        return
    console = Console()
    classes = ", ".join(f"{name} {count}" for name, count in values["classes"].items())
    stored = "not stored (dry run)" if dry_run else "stored"
    console.print(
        f"review of {values['customers']} customers on {values['as_of']}, {stored}: {classes}"
    )
    print_rows(
        "Class changes",
        ["customer", "old_class", "new_class", "score"],
        values["class_changes"],
        top,
    )
    print_rows("Warning signs", ["customer", "sign", "detail"], values["warnings"], top)
    print_rows("Due for review", ["customer", "reason"], values["due_for_review"], top)
    for problem in values["problems"]:
        console.print(f"[yellow]warning:[/yellow] {problem}", highlight=False)


def policy_rows(settings: CreditSettings) -> list[dict[str, Any]]:
    rows = []
    for risk_class in CLASS_ORDER:
        policy = settings.policy.for_class(risk_class)
        rows.append(
            {
                "risk_class": risk_class.value,
                "payment_terms": policy.payment_terms,
                "limit_cap": None if policy.limit_cap is None else str(policy.limit_cap),
                "grace_days": policy.grace_days,
                "review_months": policy.review_months,
                "deposit_percent": str(policy.deposit_percent),
                "prepayment": policy.prepayment,
                "block_orders": policy.block_orders,
            }
        )
    return rows


@credit_app.command("policy")
def policy_command(ctx: typer.Context, output: FormatOption = OutputFormat.table) -> None:
    """Show the credit policy of each risk class and the class thresholds."""
    with credit_session(ctx, need_currency=False) as session:
        settings = session.settings
    rows = policy_rows(settings)
    minimums = dict(
        zip([c.value for c in CLASS_ORDER], settings.scorecard.classes.minimums, strict=False)
    )
    if output is OutputFormat.json:
        print_json(
            {
                "classes": rows,
                "minimum_scores": {k: str(v) for k, v in minimums.items()},
                "unrated_class": settings.policy.unrated_class.value,
            }
        )
        return
    columns = [
        "risk_class",
        "payment_terms",
        "limit_cap",
        "grace_days",
        "review_months",
        "deposit_percent",
        "block_orders",
    ]
    print_rows("Credit policy", columns, rows)
    Console().print(
        "minimum scores: " + ", ".join(f"{k} {v}" for k, v in minimums.items()) + ", E below"
    )


@credit_app.command("sales-ratio")
def sales_ratio_command(
    ctx: typer.Context,
    as_of: AsOfOption = None,
    months: Annotated[
        int, typer.Option(min=1, max=120, help="Months ending with the as-of month.")
    ] = 12,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Credit sales against total sales by month and segment, against the configured ceiling."""
    day = parse_day(as_of)
    start = add_months(day.replace(day=1), -(months - 1))
    with credit_session(ctx) as session:
        engine = session.context.engine
        note_stale_ledger(engine, as_of, day)
        ratio = credit_sales_ratio(
            load_documents(engine),
            load_customers(engine),
            load_sales_figures(engine),
            start=start,
            end=day,
            company=session.company,
            ceiling_percent=session.settings.sales_ceiling_percent,
        )
    rows = ratio.to_dicts()
    if output is OutputFormat.json:
        print_json(
            {
                "from": start.isoformat(),
                "to": day.isoformat(),
                "currency": ratio.currency.code,
                "ceiling_percent": str(ratio.ceiling_percent),
                "rows": rows,
            }
        )
        return
    shown = [{**row, "over_ceiling": "over" if row["over_ceiling"] else ""} for row in rows]
    columns = [
        "month",
        "segment",
        "credit_sales",
        "cash_sales",
        "total_sales",
        "ratio_percent",
        "over_ceiling",
        "note",
    ]
    print_rows(
        f"Credit-sales ratio in {ratio.currency.code}, ceiling {ratio.ceiling_percent}%",
        columns,
        shown,
    )
