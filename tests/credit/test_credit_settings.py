"""The credit settings: shipped defaults, overrides and clear errors for invalid keys."""

from decimal import Decimal

import pytest

from receivables.config import Settings
from receivables.credit.config import CREDIT_CONFIG_VARIABLE, load_credit_settings
from receivables.domain.credit.classes import RiskClass
from receivables.domain.credit.errors import CreditConfigError


def write(tmp_path, text, name="credit.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_load():
    settings = load_credit_settings(environ={})

    assert settings.scorecard.classes.minimums == (
        Decimal(80),
        Decimal(65),
        Decimal(50),
        Decimal(35),
    )
    assert settings.policy.for_class(RiskClass.E).block_orders


def test_override_file_changes_one_key(tmp_path):
    path = write(tmp_path, "[credit.policy.classes.C]\ngrace_days = 12\n")

    settings = load_credit_settings(environ={CREDIT_CONFIG_VARIABLE: str(path)})

    assert settings.policy.for_class(RiskClass.C).grace_days == 12
    assert settings.policy.for_class(RiskClass.C).payment_terms == "net30"


def test_config_file_credit_table(tmp_path):
    path = write(tmp_path, "[credit.sales_ratio]\nceiling_percent = 55.5\n", "receivables.toml")

    settings = load_credit_settings(Settings(config_file=path), environ={})

    assert settings.sales_ceiling_percent == Decimal("55.5")


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("[credit.scorecard.classes]\nB = 90\n", "scorecard.classes"),
        (
            "[credit.policy.classes.A]\npayment_terms = 'net 30 maybe'\n",
            "policy.classes.A.payment_terms",
        ),
        (
            "[credit.scorecard.behaviour.factors]\nshoe_size = { steps = [[1, 1]] }\n",
            "scorecard.behaviour.factors",
        ),
        (
            "[credit.scorecard.financial.factors]\ncurrent_ratio = { steps = [[2, 1], [1, 2]] }\n",
            "scorecard.financial.factors.current_ratio",
        ),
        ("[credit.bureau.providers.x]\nminimum = 10\nmaximum = 5\n", "bureau.providers.x"),
    ],
)
def test_invalid_key_named(tmp_path, text, key):
    path = write(tmp_path, text)

    with pytest.raises(CreditConfigError) as raised:
        load_credit_settings(environ={CREDIT_CONFIG_VARIABLE: str(path)})

    assert raised.value.key == key


def test_missing_override_file(tmp_path):
    with pytest.raises(CreditConfigError, match="not found"):
        load_credit_settings(environ={CREDIT_CONFIG_VARIABLE: str(tmp_path / "none.toml")})
