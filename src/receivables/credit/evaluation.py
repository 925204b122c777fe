"""The credit evaluation of one customer as of a date: the single-customer path.

Reads the customer's own rows only (see :mod:`receivables.credit.ledger_queries` and
:mod:`receivables.credit.records`), evaluates the three sources with the domain rules and scores
them. ``credit review`` computes the same for every customer with Polars; the tests check that
both give the same score and class.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection

from receivables.credit.ledger_queries import behaviour_items
from receivables.credit.lookup import customer_row
from receivables.credit.records import bureau_of, statements_of
from receivables.domain.credit.altman import AltmanModel, choose_model
from receivables.domain.credit.behaviour import (
    PaymentBehaviour,
    history_start,
    payment_behaviour,
    promise_window,
)
from receivables.domain.credit.bureau import BureauFeatures, bureau_features
from receivables.domain.credit.features import (
    SourceValues,
    behaviour_values,
    bureau_values,
    financial_values,
)
from receivables.domain.credit.scorecard import CreditScore, score_customer
from receivables.domain.credit.settings import CreditSettings
from receivables.domain.credit.statements import FinancialStatement
from receivables.domain.credit.trend import FinancialEvaluation, evaluate_financials
from receivables.domain.money import Currency
from receivables.storage.promise_counts import broken_promise_count


@dataclass(frozen=True)
class CustomerEvaluation:
    """The three evaluations of a customer, its score, and the statements behind it."""

    customer_code: str
    customer_id: int
    as_of: date
    behaviour: PaymentBehaviour
    financial: FinancialEvaluation | None
    bureau: BureauFeatures
    score: CreditScore
    statements: list[FinancialStatement]
    model: AltmanModel
    sources: list[SourceValues]


def evaluate_customer(
    connection: Connection, code: str, as_of: date, company: Currency, settings: CreditSettings
) -> CustomerEvaluation:
    """Evaluate and score the customer ``code`` on ``as_of``."""
    customer, industry, _ = customer_row(connection, code)
    evaluation_settings = settings.evaluation
    start = history_start(as_of, evaluation_settings.history_months)
    broken = broken_promise_count(
        connection, customer, *promise_window(as_of, evaluation_settings.history_months)
    )
    behaviour = payment_behaviour(
        behaviour_items(connection, customer, as_of, start, company),
        as_of,
        evaluation_settings.history_months,
        broken_promises=broken,
    )
    statements, named_model = statements_of(connection, customer, code)
    model = named_model or choose_model(industry, settings.manufacturing_industries)
    financial = evaluate_financials(
        statements, as_of, model, evaluation_settings.statement_max_age_months, settings.zone_edges
    )
    reports, events = bureau_of(connection, customer)
    bureau = bureau_features(
        reports,
        events,
        settings.providers,
        as_of,
        evaluation_settings.bureau_max_age_months,
        evaluation_settings.bureau_event_months,
    )
    card = settings.scorecard
    sources = [
        behaviour_values(behaviour, card.min_behaviour_items, card.trend_months),
        financial_values(financial),
        bureau_values(bureau),
    ]
    score = score_customer(card, sources)
    return CustomerEvaluation(
        code, customer, as_of, behaviour, financial, bureau, score, statements, model, sources
    )
