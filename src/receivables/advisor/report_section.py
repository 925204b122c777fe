"""The ``ecl`` and ``advice`` sections of the company report, as JSON-ready dicts."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Engine

from receivables.advisor.advice import AdviceOptions, build_advice
from receivables.analytics import load_ledger
from receivables.domain.money import Currency
from receivables.provisioning import ProvisionInputs, customer_attributes

TOP_CUSTOMERS = 10


def advice_sections(engine: Engine, as_of: date, company: Currency, period_days: int) -> dict[str, Any]:
    """Return ``ecl`` (the provision matrix with default inputs) and ``advice``; empty without a ledger."""
    ledger = load_ledger(engine, company)
    if ledger.is_empty:
        return {}
    options = AdviceOptions(period_days=period_days)
    advice = build_advice(
        engine, ledger, customer_attributes(engine), ProvisionInputs(as_of, company), options
    )
    return {"ecl": advice.context.provision.to_dict(top=TOP_CUSTOMERS), "advice": advice.to_dict()}
