"""Scenarios: shocks to economic and industry conditions, and the rules that price them.

A scenario file (TOML) names the scenario and lists its shocks. Each shock has a ``kind`` and may
be limited to customers by ``industry``, ``country``, ``segment`` or ``risk_class``, each a value
or a list of values. A customer matches when it matches every attribute given, and a shock
without any applies to all customers. The kinds:

- ``payment_delay``: the customers pay ``days`` days later than they do now;
- ``default_rate``: their expected loss rates are multiplied by ``factor``;
- ``interest_rate``: the yearly cost of financing receivables rises by ``points`` percentage
  points (applies to the whole company, so it takes no customer attributes).

Rules used to price the shocks, each in steady state, with the period's credit sales:

- a customer paying ``n`` days later holds ``daily sales * n`` more receivables, and the
  company's simple DSO rises by ``sum(sales_c * n_c) / sum(sales)`` days;
- a default-rate factor ``k`` above 1 keeps a customer's expected loss on a fully used limit
  unchanged when the limit is cut to ``limit / k`` (expected loss = loss rate * exposure);
- financing costs ``receivables * rate`` a year, so a rise of ``p`` points costs
  ``receivables * p / 100`` a year more.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from receivables.domain.errors import ReceivablesError
from receivables.domain.provisioning import PPM

SELECTORS = ("industry", "country", "segment", "risk_class")
TOP_LEVEL = ("name", "description", "cost_of_capital_percent", "forecast_weeks", "shocks")
DEFAULT_COST_OF_CAPITAL = Decimal(8)
DEFAULT_WEEKS = 13
MAX_DELAY_DAYS = 365
MAX_FACTOR = Decimal(100)


class ScenarioFileError(ReceivablesError, ValueError):
    """A scenario file that cannot be used: an unknown or missing field, or a value out of range."""

    def __init__(self, source: str, field: str, message: str) -> None:
        super().__init__(f"{source}: field {field!r}: {message}" if field else f"{source}: {message}")
        self.source = source
        self.field = field


class ShockKind(StrEnum):
    PAYMENT_DELAY = "payment_delay"
    DEFAULT_RATE = "default_rate"
    INTEREST_RATE = "interest_rate"


VALUE_FIELDS = {
    ShockKind.PAYMENT_DELAY: "days",
    ShockKind.DEFAULT_RATE: "factor",
    ShockKind.INTEREST_RATE: "points",
}


@dataclass(frozen=True, slots=True)
class CustomerSelector:
    """The customers a shock hits: every attribute given must match, and none given means all.

    Values compare case-insensitively, so ``construction`` selects ``Construction``.
    """

    industry: tuple[str, ...] = ()
    country: tuple[str, ...] = ()
    segment: tuple[str, ...] = ()
    risk_class: tuple[str, ...] = ()

    def describe(self) -> str:
        """Name the customers, such as ``industry Construction, country DE``, or ``all customers``."""
        parts = [f"{name} {' or '.join(getattr(self, name))}" for name in SELECTORS if getattr(self, name)]
        return ", ".join(parts) or "all customers"


@dataclass(frozen=True, slots=True)
class Shock:
    """One shock: its kind, its size (days, factor or points) and the customers it hits."""

    kind: ShockKind
    value: Decimal
    selector: CustomerSelector

    @property
    def days(self) -> int:
        return int(self.value)

    def describe(self) -> str:
        if self.kind is ShockKind.PAYMENT_DELAY:
            return f"{self.selector.describe()} pay {self.days} days later"
        if self.kind is ShockKind.DEFAULT_RATE:
            return f"default rates of {self.selector.describe()} multiplied by {self.value}"
        return f"interest rates up {self.value} percentage points"


@dataclass(frozen=True, slots=True)
class Scenario:
    name: str
    description: str
    shocks: tuple[Shock, ...]
    cost_of_capital_percent: Decimal = DEFAULT_COST_OF_CAPITAL
    forecast_weeks: int = DEFAULT_WEEKS

    @property
    def interest_points(self) -> Decimal:
        """The sum of the interest rate shocks, in percentage points."""
        return sum(
            (shock.value for shock in self.shocks if shock.kind is ShockKind.INTEREST_RATE), Decimal(0)
        )


def parse_scenario(data: Mapping[str, Any], source: str) -> Scenario:
    """Build a scenario from the parsed TOML ``data`` of file ``source``; raise on any bad field."""
    _reject_unknown(data, TOP_LEVEL, source, "")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ScenarioFileError(source, "name", "is missing; give the scenario a name")
    shocks = data.get("shocks")
    if not isinstance(shocks, list) or not shocks:
        raise ScenarioFileError(source, "shocks", "is missing; add at least one [[shocks]] table")
    cost = _decimal(
        data.get("cost_of_capital_percent", DEFAULT_COST_OF_CAPITAL), source, "cost_of_capital_percent"
    )
    if not Decimal(0) <= cost <= 100:
        raise ScenarioFileError(source, "cost_of_capital_percent", f"{cost} must be between 0 and 100")
    weeks = data.get("forecast_weeks", DEFAULT_WEEKS)
    if not isinstance(weeks, int) or isinstance(weeks, bool) or not 1 <= weeks <= 104:
        raise ScenarioFileError(source, "forecast_weeks", f"{weeks!r} must be a whole number from 1 to 104")
    description = data.get("description", "")
    if not isinstance(description, str):
        raise ScenarioFileError(source, "description", "must be text")
    parsed = tuple(_shock(entry, source, f"shocks[{index}]") for index, entry in enumerate(shocks, 1))
    return Scenario(name.strip(), description.strip(), parsed, cost, weeks)


def _shock(entry: Any, source: str, where: str) -> Shock:
    if not isinstance(entry, Mapping):
        raise ScenarioFileError(source, where, 'must be a table with a kind, such as kind = "payment_delay"')
    kinds = ", ".join(kind.value for kind in ShockKind)
    try:
        kind = ShockKind(str(entry.get("kind")))
    except ValueError:
        raise ScenarioFileError(
            source, f"{where}.kind", f"{entry.get('kind')!r} is unknown; use one of {kinds}"
        ) from None
    value_field = VALUE_FIELDS[kind]
    allowed = ("kind", value_field) + (() if kind is ShockKind.INTEREST_RATE else SELECTORS)
    _reject_unknown(entry, allowed, source, f"{where}.")
    if value_field not in entry:
        raise ScenarioFileError(
            source, f"{where}.{value_field}", f"is missing; a {kind.value} shock needs it"
        )
    value = _decimal(entry[value_field], source, f"{where}.{value_field}")
    _check_size(kind, value, source, f"{where}.{value_field}")
    selector = CustomerSelector(
        **{name: _texts(entry.get(name), source, f"{where}.{name}") for name in SELECTORS}
    )
    return Shock(kind, value, selector)


def _check_size(kind: ShockKind, value: Decimal, source: str, field: str) -> None:
    if kind is ShockKind.PAYMENT_DELAY and (
        value != value.to_integral_value() or abs(value) > MAX_DELAY_DAYS
    ):
        raise ScenarioFileError(source, field, f"{value} must be whole days between -365 and 365")
    if kind is ShockKind.DEFAULT_RATE and not Decimal(0) <= value <= MAX_FACTOR:
        raise ScenarioFileError(source, field, f"{value} must be a factor between 0 and 100, such as 1.5")
    if kind is ShockKind.INTEREST_RATE and abs(value) > 100:
        raise ScenarioFileError(source, field, f"{value} must be percentage points between -100 and 100")


def _reject_unknown(table: Mapping[str, Any], allowed: tuple[str, ...], source: str, prefix: str) -> None:
    for key in table:
        if key not in allowed:
            raise ScenarioFileError(
                source, f"{prefix}{key}", f"is not a known field; use {', '.join(allowed)}"
            )


def _decimal(value: Any, source: str, field: str) -> Decimal:
    if isinstance(value, bool):
        raise ScenarioFileError(source, field, f"{value!r} is not a number")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise ScenarioFileError(source, field, f"{value!r} is not a number") from None
    if not number.is_finite():
        raise ScenarioFileError(source, field, f"{value!r} is not a finite number")
    return number


def _texts(value: Any, source: str, field: str) -> tuple[str, ...]:
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(item, str) and item.strip() for item in items):
        raise ScenarioFileError(source, field, 'must be a name or a list of names, such as ["Construction"]')
    return tuple(item.strip() for item in items)


def dso_increase(sales_times_delay: int, sales: int) -> Decimal | None:
    """Days the simple DSO rises by: ``sum(sales_c * delay_c) / sum(sales)``; None without sales."""
    return Decimal(sales_times_delay) / Decimal(sales) if sales > 0 else None


def limit_for_factor(limit_minor: Any, factor_ppm: Any) -> Any:
    """The limit that keeps expected loss on a fully used limit when loss rates grow by a factor.

    ``limit / factor`` rounded down to the minor unit, with the factor in ppm (1,500,000 is 1.5).
    Uses only operators, so it takes ``int`` values or column expressions; callers apply it to
    factors above 1 only, because a lower loss rate is no reason to raise a limit.
    """
    return limit_minor * PPM // factor_ppm


def yearly_financing_minor(receivables_minor: int, rate_percent: Decimal) -> int:
    """Return the yearly cost of financing receivables at ``rate_percent``, rounded down to the minor unit."""
    return int((Decimal(receivables_minor) * rate_percent / 100).to_integral_value(rounding=ROUND_FLOOR))
