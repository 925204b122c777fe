"""Which customers a shock hits, and what each of them faces under a scenario."""

from __future__ import annotations

import polars as pl

from receivables.domain.provisioning import PPM, combined_factor_ppm, rate_ppm
from receivables.domain.scenarios import SELECTORS, Scenario, Shock, ShockKind


def selector_mask(shock: Shock) -> pl.Expr:
    """True for the customers the shock hits: each given attribute is one of its values."""
    mask = pl.lit(True)
    for name in SELECTORS:
        wanted = getattr(shock.selector, name)
        if wanted:
            values = [value.casefold() for value in wanted]
            mask = mask & pl.col(name).str.to_lowercase().is_in(values).fill_null(False)
    return mask


def shock_frame(attributes: pl.DataFrame, scenario: Scenario) -> pl.DataFrame:
    """Return customer_id, ``delay_days`` and ``factor_ppm`` of every customer, shocked or not."""
    delay = pl.lit(0, pl.Int64)
    factor = pl.lit(PPM, pl.Int64)
    for shock in scenario.shocks:
        if shock.kind is ShockKind.PAYMENT_DELAY:
            delay = delay + pl.when(selector_mask(shock)).then(shock.days).otherwise(0)
        elif shock.kind is ShockKind.DEFAULT_RATE:
            shocked = combined_factor_ppm(factor, rate_ppm(shock.value))
            factor = pl.when(selector_mask(shock)).then(shocked).otherwise(factor)
    return attributes.select("customer_id", delay.alias("delay_days"), factor.alias("factor_ppm"))
