"""The credit settings, built and checked from the ``[credit]`` table of a TOML config.

The table is read with decimals kept exact (``tomllib.loads(..., parse_float=Decimal)``), so a
threshold of 1.23 stays 1.23. Every key is checked; an invalid one raises
:class:`CreditConfigError` naming it. ``src/receivables/credit/defaults.toml`` holds the defaults
and explains each key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from receivables.domain.credit.altman import AltmanModel, ZoneEdges
from receivables.domain.credit.bands import Bands
from receivables.domain.credit.bureau import EventKind, ProviderScale
from receivables.domain.credit.classes import CLASS_ORDER, ClassThresholds, RiskClass
from receivables.domain.credit.errors import CreditConfigError
from receivables.domain.credit.features import FACTORS, Source
from receivables.domain.credit.policy import ClassPolicy, CreditPolicy, LimitSettings
from receivables.domain.credit.scorecard import Scorecard, SourceRules


@dataclass(frozen=True)
class EvaluationSettings:
    """How far back each source looks, in months."""

    history_months: int = 24
    statement_max_age_months: int = 24
    bureau_max_age_months: int = 12
    bureau_event_months: int = 36


@dataclass(frozen=True)
class CreditSettings:
    """Everything credit management reads from the config."""

    scorecard: Scorecard
    policy: CreditPolicy
    evaluation: EvaluationSettings
    manufacturing_industries: frozenset[str]
    zone_edges: ZoneEdges
    providers: Mapping[str, ProviderScale]
    sales_ceiling_percent: Decimal


def _table(parent: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any]:
    value = parent.get(key, {})
    if not isinstance(value, Mapping):
        raise CreditConfigError(f"{where}.{key}", f"expected a table, got {type(value).__name__}")
    return value


def _decimal(value: Any, key: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
        raise CreditConfigError(key, f"{value!r} is not a number")
    try:
        number = Decimal(value)
    except ArithmeticError as error:
        raise CreditConfigError(key, f"{value!r} is not a number") from error
    if not number.is_finite():
        raise CreditConfigError(key, f"{value!r} is not a finite number")
    return number


def _integer(value: Any, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise CreditConfigError(key, f"{value!r} is not a whole number")
    return value


def _bands(spec: Any, key: str) -> Bands:
    if not isinstance(spec, Mapping):
        raise CreditConfigError(
            key, "expected a table { below = ..., steps = [[threshold, points]] }"
        )
    unknown = set(spec) - {"below", "steps", "missing"}
    if unknown:
        raise CreditConfigError(key, f"unknown keys {', '.join(sorted(unknown))}")
    steps = spec.get("steps", [])
    if not isinstance(steps, list) or not all(isinstance(s, list) and len(s) == 2 for s in steps):
        raise CreditConfigError(f"{key}.steps", "expected a list of [threshold, points] pairs")
    pairs = [
        (_decimal(threshold, f"{key}.steps"), _integer(points, f"{key}.steps"))
        for threshold, points in steps
    ]
    below = _integer(spec.get("below", 0), f"{key}.below")
    return Bands.build(key, below, pairs, _integer(spec.get("missing", 0), f"{key}.missing"))


def _source(table: Mapping[str, Any], source: Source) -> SourceRules:
    key = f"scorecard.{source.value}"
    spec = _table(table, source.value, "scorecard")
    weight = _integer(spec.get("weight", 0), f"{key}.weight")
    base = _integer(spec.get("base", 50), f"{key}.base")
    if weight < 0 or not 0 <= base <= 100:
        raise CreditConfigError(key, "weight must not be negative and base must lie in 0..100")
    factors = _table(spec, "factors", key)
    unknown = set(factors) - set(FACTORS[source])
    if unknown:
        known = ", ".join(FACTORS[source])
        raise CreditConfigError(
            f"{key}.factors", f"unknown factors {', '.join(sorted(unknown))}; known: {known}"
        )
    bands = {name: _bands(value, f"{key}.factors.{name}") for name, value in factors.items()}
    return SourceRules(weight, base, bands)


def _class(value: Any, key: str) -> RiskClass:
    try:
        return RiskClass(str(value).strip().upper())
    except ValueError as error:
        raise CreditConfigError(key, f"{value!r} is not a risk class A to E") from error


def parse_scorecard(table: Mapping[str, Any]) -> Scorecard:
    """Build the scorecard from the ``[credit.scorecard]`` table."""
    sources = {source: _source(table, source) for source in Source}
    if sum(rules.weight for rules in sources.values()) <= 0:
        raise CreditConfigError("scorecard", "the source weights must add up to more than 0")
    classes = _table(table, "classes", "scorecard")
    minimums = tuple(
        _decimal(classes.get(c.value), f"scorecard.classes.{c.value}") for c in CLASS_ORDER[:4]
    )
    knockouts_table = _table(table, "knockouts", "scorecard")
    knockouts = {}
    for name, value in knockouts_table.items():
        try:
            kind = EventKind(name)
        except ValueError as error:
            raise CreditConfigError(
                f"scorecard.knockouts.{name}", "is not a bureau event kind"
            ) from error
        knockouts[kind] = _class(value, f"scorecard.knockouts.{name}")
    trend_months = _integer(table.get("trend_months", 6), "scorecard.trend_months")
    if trend_months not in (3, 6, 12):
        raise CreditConfigError("scorecard.trend_months", f"{trend_months} must be 3, 6 or 12")
    no_data = _decimal(table.get("no_data_score", 50), "scorecard.no_data_score")
    if not Decimal(0) <= no_data <= Decimal(100):
        raise CreditConfigError("scorecard.no_data_score", "must lie in 0..100")
    return Scorecard(
        sources=sources,
        classes=ClassThresholds((minimums[0], minimums[1], minimums[2], minimums[3])),
        no_data_score=no_data,
        knockouts=knockouts,
        min_behaviour_items=_integer(
            table.get("min_behaviour_items", 3), "scorecard.min_behaviour_items"
        ),
        trend_months=trend_months,
    )


def _class_policy(risk_class: RiskClass, spec: Mapping[str, Any]) -> ClassPolicy:
    key = f"policy.classes.{risk_class.value}"
    known = {
        "payment_terms",
        "limit_cap",
        "grace_days",
        "review_months",
        "deposit_percent",
        "block_orders",
    }
    unknown = set(spec) - known
    if unknown:
        raise CreditConfigError(key, f"unknown keys {', '.join(sorted(unknown))}")
    terms = spec.get("payment_terms")
    if not isinstance(terms, str):
        raise CreditConfigError(f"{key}.payment_terms", "is missing; give terms such as 'net30'")
    cap = spec.get("limit_cap")
    block = spec.get("block_orders", False)
    if not isinstance(block, bool):
        raise CreditConfigError(f"{key}.block_orders", "must be true or false")
    return ClassPolicy(
        risk_class=risk_class,
        payment_terms=terms,
        limit_cap=None if cap is None else _decimal(cap, f"{key}.limit_cap"),
        grace_days=_integer(spec.get("grace_days", 0), f"{key}.grace_days"),
        review_months=_integer(spec.get("review_months", 12), f"{key}.review_months"),
        deposit_percent=_decimal(spec.get("deposit_percent", 0), f"{key}.deposit_percent"),
        block_orders=block,
    )


def parse_policy(table: Mapping[str, Any]) -> CreditPolicy:
    """Build the credit policy from the ``[credit.policy]`` table."""
    classes = _table(table, "classes", "policy")
    unknown = set(classes) - {item.value for item in RiskClass}
    if unknown:
        raise CreditConfigError("policy.classes", f"unknown classes {', '.join(sorted(unknown))}")
    policies = {
        item: _class_policy(item, _table(classes, item.value, "policy.classes"))
        for item in RiskClass
        if item.value in classes
    }
    limits = _table(table, "limits", "policy")
    defaults = LimitSettings()
    values: dict[str, Any] = {}
    for name in (
        "net_worth_percent",
        "working_capital_percent",
        "purchase_months",
        "own_sales_percent",
        "step",
    ):
        values[name] = _decimal(limits.get(name, getattr(defaults, name)), f"policy.limits.{name}")
    history = limits.get("history_months", defaults.history_months)
    values["history_months"] = _integer(history, "policy.limits.history_months")
    settings = LimitSettings(**values)
    return CreditPolicy(
        classes=policies,
        unrated_class=_class(table.get("unrated_class", "C"), "policy.unrated_class"),
        limits=settings,
        usage_warning_percent=_decimal(
            table.get("usage_warning_percent", 90), "policy.usage_warning_percent"
        ),
        trend_warning_days=_decimal(
            table.get("trend_warning_days", 10), "policy.trend_warning_days"
        ),
    )


def _provider(name: str, spec: Mapping[str, Any]) -> ProviderScale:
    key = f"bureau.providers.{name}"
    higher = spec.get("higher_is_better", True)
    if not isinstance(higher, bool):
        raise CreditConfigError(f"{key}.higher_is_better", "must be true or false")
    minimum = _decimal(spec.get("minimum", 0), f"{key}.minimum")
    maximum = _decimal(spec.get("maximum", 100), f"{key}.maximum")
    if maximum <= minimum:
        raise CreditConfigError(key, f"maximum {maximum} must exceed minimum {minimum}")
    ratings = {}
    for rating, value in _table(spec, "ratings", key).items():
        number = _decimal(value, f"{key}.ratings.{rating}")
        if not Decimal(0) <= number <= Decimal(100) or number != number.quantize(Decimal("0.01")):
            raise CreditConfigError(
                f"{key}.ratings.{rating}", "must lie in 0..100 with at most two decimals"
            )
        ratings[rating.strip().upper()] = number
    return ProviderScale(name, minimum, maximum, higher, ratings)


def _zone_edges(table: Mapping[str, Any]) -> ZoneEdges:
    edges = {}
    for model, key in (
        (AltmanModel.Z_PRIME, "z_prime_zones"),
        (AltmanModel.Z_DOUBLE_PRIME, "z_double_prime_zones"),
    ):
        pair = table.get(key)
        if not isinstance(pair, list) or len(pair) != 2:
            raise CreditConfigError(f"altman.{key}", "expected [distress below, safe above]")
        low, high = (_decimal(value, f"altman.{key}") for value in pair)
        if low >= high:
            raise CreditConfigError(f"altman.{key}", f"{low} must be below {high}")
        edges[model] = (low, high)
    return edges


def _evaluation(table: Mapping[str, Any]) -> EvaluationSettings:
    defaults = EvaluationSettings()
    values = {}
    for name in (
        "history_months",
        "statement_max_age_months",
        "bureau_max_age_months",
        "bureau_event_months",
    ):
        value = _integer(table.get(name, getattr(defaults, name)), f"evaluation.{name}")
        if not 1 <= value <= 120:
            raise CreditConfigError(f"evaluation.{name}", f"{value} must lie in 1..120")
        values[name] = value
    return EvaluationSettings(**values)


def parse_credit_settings(table: Mapping[str, Any]) -> CreditSettings:
    """Build every credit setting from the merged ``[credit]`` table."""
    altman = _table(table, "altman", "credit")
    industries = altman.get("manufacturing_industries", [])
    if not isinstance(industries, list) or not all(isinstance(item, str) for item in industries):
        raise CreditConfigError(
            "altman.manufacturing_industries", "expected a list of industry names"
        )
    providers = _table(_table(table, "bureau", "credit"), "providers", "bureau")
    ceiling = _decimal(
        _table(table, "sales_ratio", "credit").get("ceiling_percent", 70),
        "sales_ratio.ceiling_percent",
    )
    if not Decimal(0) < ceiling <= Decimal(100):
        raise CreditConfigError(
            "sales_ratio.ceiling_percent", f"{ceiling} must lie above 0 and at most 100"
        )
    return CreditSettings(
        scorecard=parse_scorecard(_table(table, "scorecard", "credit")),
        policy=parse_policy(_table(table, "policy", "credit")),
        evaluation=_evaluation(_table(table, "evaluation", "credit")),
        manufacturing_industries=frozenset(item.strip().lower() for item in industries),
        zone_edges=_zone_edges(altman),
        providers={
            name: _provider(name, _table(providers, name, "bureau.providers")) for name in providers
        },
        sales_ceiling_percent=ceiling,
    )
