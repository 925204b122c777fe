"""The Altman Z' score for private firms and Z'' for non-manufacturers, with their zones.

Components, each divided by total assets except X4::

    X1 = working capital / total assets      X4 = book equity / total liabilities
    X2 = retained earnings / total assets    X5 = sales / total assets
    X3 = EBIT / total assets

    Z'  = 0.717 X1 + 0.847 X2 + 3.107 X3 + 0.420 X4 + 0.998 X5     (private manufacturers)
    Z'' = 6.56 X1 + 3.26 X2 + 6.72 X3 + 1.05 X4                       (non-manufacturers)

Default zones, the edges most often published with these models::

    Z'  above 2.90 safe, 1.23 to 2.90 grey, below 1.23 distress
    Z'' above 2.60 safe, 1.10 to 2.60 grey, below 1.10 distress

Some published tables apply the Z' edges to Z'' as well, so the edges are settings
(``[credit.altman]`` in the config) and these are only the defaults. A score exactly on an edge
is in the grey zone. The score is computed exactly from integer
minor units and rounded half-up to two decimals once; the components shown are rounded to four
decimals for reading only. When total liabilities are zero, X4 is undefined and the statement
has no score (the note says so) rather than a made-up one.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from receivables.domain.credit.rounding import divide_half_up
from receivables.domain.credit.statements import FinancialStatement


class AltmanModel(StrEnum):
    Z_PRIME = "z_prime"
    Z_DOUBLE_PRIME = "z_double_prime"


class Zone(StrEnum):
    SAFE = "safe"
    GREY = "grey"
    DISTRESS = "distress"

    @property
    def rank(self) -> int:
        """0 for safe, 1 for grey, 2 for distress: a higher rank is worse."""
        return ZONE_ORDER.index(self)


ZONE_ORDER = (Zone.SAFE, Zone.GREY, Zone.DISTRESS)

# Coefficients in thousandths, for X1, X2, X3, X4, X5.
COEFFICIENTS: dict[AltmanModel, tuple[int, int, int, int, int]] = {
    AltmanModel.Z_PRIME: (717, 847, 3107, 420, 998),
    AltmanModel.Z_DOUBLE_PRIME: (6560, 3260, 6720, 1050, 0),
}
COEFFICIENT_SCALE = 1000
ZoneEdges = dict[AltmanModel, tuple[Decimal, Decimal]]
# (distress below, safe above) for each model.
ZONE_EDGES: ZoneEdges = {
    AltmanModel.Z_PRIME: (Decimal("1.23"), Decimal("2.90")),
    AltmanModel.Z_DOUBLE_PRIME: (Decimal("1.10"), Decimal("2.60")),
}
COMPONENT_DECIMALS = 4


@dataclass(frozen=True, slots=True)
class AltmanResult:
    """A Z score with its zone and components, or no score and the note that says why."""

    model: AltmanModel
    score: Decimal | None
    zone: Zone | None
    components: dict[str, Decimal]
    note: str | None = None


def zone_of(score: Decimal, model: AltmanModel, edges: ZoneEdges = ZONE_EDGES) -> Zone:
    """The zone of ``score`` under ``model``; a score on an edge is grey."""
    distress_below, safe_above = edges[model]
    if score > safe_above:
        return Zone.SAFE
    if score < distress_below:
        return Zone.DISTRESS
    return Zone.GREY


def choose_model(industry: str | None, manufacturing_industries: frozenset[str]) -> AltmanModel:
    """Z' for an industry in ``manufacturing_industries`` (compared in lower case), else Z''."""
    if industry is not None and industry.strip().lower() in manufacturing_industries:
        return AltmanModel.Z_PRIME
    return AltmanModel.Z_DOUBLE_PRIME


def altman_terms(statement: FinancialStatement) -> tuple[int, int, int, int, int, int, int]:
    """The integer minor units ``(working capital, retained earnings, EBIT, equity, sales, total
    assets, total liabilities)`` that the score is computed from."""
    minor = statement.minor
    return (
        minor("current_assets") - minor("current_liabilities"),
        minor("retained_earnings"),
        minor("ebit"),
        minor("equity"),
        minor("sales"),
        minor("total_assets"),
        minor("total_liabilities"),
    )


def altman_numerator(
    terms: tuple[int, int, int, int, int, int, int], model: AltmanModel
) -> tuple[int, int]:
    """Return ``(numerator, denominator)`` with ``Z = numerator / denominator`` exactly.

    ``Z = (c1 WC + c2 RE + c3 EBIT + c5 S) / TA + c4 E / TL`` with the coefficients in
    thousandths, brought to the common denominator ``1000 * TA * TL``.
    """
    working_capital, retained, ebit, equity, sales, assets, liabilities = terms
    c1, c2, c3, c4, c5 = COEFFICIENTS[model]
    over_assets = c1 * working_capital + c2 * retained + c3 * ebit + c5 * sales
    numerator = over_assets * liabilities + c4 * equity * assets
    return numerator, COEFFICIENT_SCALE * assets * liabilities


def altman_score(
    statement: FinancialStatement, model: AltmanModel, edges: ZoneEdges = ZONE_EDGES
) -> AltmanResult:
    """Compute the Z score of ``model`` for ``statement``, with its zone and components."""
    terms = altman_terms(statement)
    working_capital, retained, ebit, equity, sales, assets, liabilities = terms
    components = {
        "x1_working_capital_to_assets": divide_half_up(working_capital, assets, COMPONENT_DECIMALS),
        "x2_retained_earnings_to_assets": divide_half_up(retained, assets, COMPONENT_DECIMALS),
        "x3_ebit_to_assets": divide_half_up(ebit, assets, COMPONENT_DECIMALS),
    }
    if model is AltmanModel.Z_PRIME:
        components["x5_sales_to_assets"] = divide_half_up(sales, assets, COMPONENT_DECIMALS)
    if liabilities == 0:
        note = "total liabilities are zero, so X4 (equity / total liabilities) is undefined"
        return AltmanResult(model, None, None, components, note)
    components["x4_equity_to_liabilities"] = divide_half_up(equity, liabilities, COMPONENT_DECIMALS)
    numerator, denominator = altman_numerator(terms, model)
    score = divide_half_up(numerator, denominator)
    return AltmanResult(model, score, zone_of(score, model, edges), components)
