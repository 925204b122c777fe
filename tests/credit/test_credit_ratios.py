"""Ratios and Altman scores of the sample balance sheet, worked by hand.

Muster GmbH, fiscal year 2024, EUR:
current assets 400,000 (cash 50,000, inventory 150,000), current liabilities 250,000,
total assets 1,000,000, total liabilities 600,000, equity 400,000, retained earnings 300,000,
sales 1,500,000, EBIT 120,000, net income 80,000, interest expense 20,000.
"""

from decimal import Decimal

import pytest
from statements_book import statement

from receivables.domain.credit.altman import AltmanModel, Zone, altman_score, choose_model, zone_of
from receivables.domain.credit.errors import InvalidStatementError
from receivables.domain.credit.ratios import financial_ratios
from receivables.domain.credit.rounding import divide_half_up


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("current_ratio", "1.60"),  # 400,000 / 250,000
        ("quick_ratio", "1.00"),  # (400,000 - 150,000) / 250,000
        ("cash_ratio", "0.20"),  # 50,000 / 250,000
        ("debt_to_equity", "1.50"),  # 600,000 / 400,000
        ("interest_coverage", "6.00"),  # 120,000 / 20,000
        ("net_margin", "5.33"),  # 80,000 / 1,500,000 * 100 = 5.333...
    ],
)
def test_sample_ratios(name, expected):
    ratios = financial_ratios(statement())

    assert ratios[name].value == Decimal(expected)


def test_z_prime_of_sample():
    # X1 0.15, X2 0.30, X3 0.12, X4 0.6667, X5 1.50:
    # 0.717*0.15 + 0.847*0.30 + 3.107*0.12 + 0.420*(2/3) + 0.998*1.50 = 2.51149
    result = altman_score(statement(), AltmanModel.Z_PRIME)

    assert result.score == Decimal("2.51")
    assert result.zone is Zone.GREY
    assert result.components["x4_equity_to_liabilities"] == Decimal("0.6667")


def test_z_double_prime_of_sample():
    # 6.56*0.15 + 3.26*0.30 + 6.72*0.12 + 1.05*(2/3) = 0.984 + 0.978 + 0.8064 + 0.7 = 3.4684
    result = altman_score(statement(), AltmanModel.Z_DOUBLE_PRIME)

    assert result.score == Decimal("3.47")
    assert result.zone is Zone.SAFE
    assert "x5_sales_to_assets" not in result.components


@pytest.mark.parametrize(
    ("score", "model", "zone"),
    [
        ("2.90", AltmanModel.Z_PRIME, Zone.GREY),
        ("2.91", AltmanModel.Z_PRIME, Zone.SAFE),
        ("1.23", AltmanModel.Z_PRIME, Zone.GREY),
        ("1.22", AltmanModel.Z_PRIME, Zone.DISTRESS),
        ("2.60", AltmanModel.Z_DOUBLE_PRIME, Zone.GREY),
        ("1.09", AltmanModel.Z_DOUBLE_PRIME, Zone.DISTRESS),
    ],
)
def test_zone_edges_are_grey(score, model, zone):
    assert zone_of(Decimal(score), model) is zone


def test_zero_total_assets_rejected():
    with pytest.raises(InvalidStatementError, match="total_assets 0 EUR must be positive"):
        statement(total_assets="0", current_assets="0", cash="0", inventory="0")


def test_negative_asset_rejected():
    with pytest.raises(InvalidStatementError, match="inventory -1 EUR is negative"):
        statement(inventory="-1")


def test_negative_equity_has_no_leverage():
    # Liabilities 1,100,000 exceed assets of 1,000,000: equity -100,000.
    negative = statement(total_liabilities="1100000", equity="-100000", retained_earnings="-150000")

    ratios = financial_ratios(negative)

    assert ratios["debt_to_equity"].value is None
    assert ratios["debt_to_equity"].note == "negative equity: debt to equity has no meaning"
    assert "negative equity -100000 EUR: liabilities exceed assets" in negative.notes()


def test_negative_equity_lowers_z():
    # X2 = -0.15, X4 = -100,000 / 1,100,000: 0.984 - 0.489 + 0.8064 - 0.09545 = 1.20595
    result = altman_score(
        statement(total_liabilities="1100000", equity="-100000", retained_earnings="-150000"),
        AltmanModel.Z_DOUBLE_PRIME,
    )

    assert result.score == Decimal("1.21")
    assert result.zone is Zone.GREY


def test_zero_liabilities_give_no_score():
    result = altman_score(
        statement(total_liabilities="0", current_liabilities="0", equity="1000000"),
        AltmanModel.Z_PRIME,
    )

    assert result.score is None
    assert result.note is not None and "X4" in result.note


def test_zero_current_liabilities_give_no_ratio():
    ratios = financial_ratios(statement(current_liabilities="0"))

    assert ratios["current_ratio"].value is None
    assert ratios["current_ratio"].note == "current liabilities are zero"


def test_unbalanced_sheet_noted():
    notes = statement(equity="300000").notes()

    assert any("more than 1 %" in note for note in notes)


def test_model_by_industry():
    manufacturing = frozenset({"manufacturing"})

    assert choose_model(" Manufacturing ", manufacturing) is AltmanModel.Z_PRIME
    assert choose_model("retail", manufacturing) is AltmanModel.Z_DOUBLE_PRIME
    assert choose_model(None, manufacturing) is AltmanModel.Z_DOUBLE_PRIME


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        (5, 8, "0.63"),
        (-5, 8, "-0.63"),
        (5, -8, "-0.63"),
        (1, 200, "0.01"),
        (1, 201, "0.00"),
        (0, 7, "0.00"),
    ],
)
def test_divide_rounds_half_away(numerator, denominator, expected):
    assert divide_half_up(numerator, denominator) == Decimal(expected)
