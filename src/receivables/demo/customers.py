"""The customers of the synthetic company and how each of them pays.

Every customer gets a country (which fixes its currency and VAT), an industry, a segment (which
fixes its size and payment terms) and one payment behaviour from :data:`BEHAVIOURS`. The arrays
of :class:`CustomerBook` are indexed by customer position, so the invoice and payment steps look
up a customer's parameters with one fancy-indexing operation per array.

Each customer's payment term is also written as text in its ``payment_term``, the form the
importer reads: ``net14``, ``net30``, ``net60``, ``eom+30`` (a quarter of the 30-day customers),
``50% net30, net60`` (two instalments, for 40 % of the 60-day customers) and ``2/10 net30`` for
the customers who take cash discounts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl

from receivables.demo.calendar import Calendar
from receivables.storage.bulk import CUSTOMER_SCHEMA

COMPANY_CURRENCY = "EUR"


@dataclass(frozen=True)
class Behaviour:
    """Payment habits of a group of customers, as distribution parameters per invoice.

    ``delay_mean`` and ``delay_sd`` are days past the due date. ``deterioration`` is the extra
    mean delay in days reached by the end of the period, growing quadratically from zero.
    """

    name: str
    share: float
    delay_mean: float
    delay_sd: float
    partial: float
    dispute: float
    short_pay: float
    deterioration: float = 0.0


BEHAVIOURS = (
    Behaviour("prompt", 0.34, -1.0, 3.0, 0.0, 0.005, 0.004),
    Behaviour("discount", 0.14, 0.0, 3.0, 0.0, 0.005, 0.0),
    Behaviour("late", 0.20, 24.0, 14.0, 0.04, 0.02, 0.03),
    Behaviour("partial", 0.10, 30.0, 15.0, 0.6, 0.03, 0.04),
    Behaviour("disputer", 0.08, 12.0, 9.0, 0.03, 0.22, 0.02),
    Behaviour("deteriorating", 0.09, 3.0, 6.0, 0.1, 0.04, 0.03, deterioration=95.0),
    Behaviour("defaulter", 0.05, 9.0, 8.0, 0.15, 0.04, 0.02),
)
PROFILE = {behaviour.name: index for index, behaviour in enumerate(BEHAVIOURS)}

# How a customer's due dates follow from ``terms``: net days, the end of the invoice month plus
# 30 days, or half after 30 days and the rest after 60.
TERM_NET, TERM_END_OF_MONTH, TERM_INSTALMENTS = 0, 1, 2
END_OF_MONTH_SHARE = 0.25  # of the 30-day customers without discounts
INSTALMENT_SHARE = 0.4  # of the 60-day customers
DISCOUNT_TERM = "2/10 net30"


def behaviour_array(field: str) -> npt.NDArray[np.float64]:
    """Return one parameter of every behaviour, indexed by profile number."""
    return np.array([getattr(behaviour, field) for behaviour in BEHAVIOURS], dtype=np.float64)


# (country, currency, share of customers, VAT rate in basis points, legal forms). A German
# seller charges German VAT at home; sales to other EU businesses are reverse charge and exports
# carry none.
COUNTRIES = (
    ("DE", "EUR", 0.42, 1900, ("GmbH", "AG", "KG", "GmbH & Co. KG")),
    ("FR", "EUR", 0.09, 0, ("SAS", "SARL", "SA")),
    ("NL", "EUR", 0.08, 0, ("B.V.", "N.V.")),
    ("AT", "EUR", 0.06, 0, ("GmbH", "AG")),
    ("IT", "EUR", 0.05, 0, ("S.r.l.", "S.p.A.")),
    ("ES", "EUR", 0.04, 0, ("S.L.", "S.A.")),
    ("BE", "EUR", 0.04, 0, ("BV", "NV", "SRL")),
    ("GB", "GBP", 0.08, 0, ("Ltd", "plc", "LLP")),
    ("US", "USD", 0.14, 0, ("Inc.", "LLC", "Corp.")),
)
INDUSTRIES = (
    ("Manufacturing", "Engineering"),
    ("Wholesale", "Trading"),
    ("Retail", "Stores"),
    ("Construction", "Bau"),
    ("Software", "Systems"),
    ("Healthcare", "Medical"),
    ("Logistics", "Logistics"),
    ("Hospitality", "Hotels"),
    ("Energy", "Energy"),
    ("Food", "Foods"),
)
# (segment, share of customers, relative invoices per month, median net invoice in major units,
# payment terms in days and their probabilities)
SEGMENTS = (
    ("enterprise", 0.15, 8.0, 9_000.0, (30, 60), (0.3, 0.7)),
    ("mid-market", 0.40, 3.0, 2_500.0, (14, 30, 60), (0.1, 0.75, 0.15)),
    ("small business", 0.45, 1.0, 600.0, (14, 30), (0.5, 0.5)),
)
STEMS = (
    "Adler", "Berg", "Falken", "Nord", "Helio", "Lumen", "Vortex", "Kessel", "Stein", "Marin",
    "Orion", "Polar", "Quell", "Rhein", "Sonnen", "Tauber", "Ulmen", "Vega", "Weiden", "Zephyr",
    "Aurel", "Brixen", "Corvin", "Delta", "Elbe", "Fjord", "Granit", "Hansa", "Isar", "Jura",
    "Kobalt", "Linden", "Mosel", "Neckar", "Oder", "Pionier", "Rubin", "Saphir", "Titan", "Urban",
    "Alpen", "Bora", "Cedar", "Dune", "Ember", "Fern", "Garnet", "Harbor", "Iris", "Juniper",
    "Kite", "Lark", "Maple", "Nimbus", "Onyx", "Pike", "Quartz", "Raven", "Summit", "Tundra",
)  # fmt: skip
ENDINGS = ("", "tec", "wert", "ia", "on", "a", "ex", "o", "line", "port")


@dataclass(frozen=True)
class CustomerBook:
    """The customers as a frame in the storage schema plus their generator parameters.

    A customer with ``batch`` set pays in a weekly payment run on ``run_weekday`` (Monday 0), one
    transfer for everything it pays that day. Cash-discount customers pay item by item instead.
    """

    frame: pl.DataFrame
    profile: npt.NDArray[np.int64]
    currency: npt.NDArray[np.str_]
    vat_bp: npt.NDArray[np.int64]
    terms: npt.NDArray[np.int32]
    term_rule: npt.NDArray[np.int64]
    discount: npt.NDArray[np.bool_]
    batch: npt.NDArray[np.bool_]
    run_weekday: npt.NDArray[np.int64]
    volume: npt.NDArray[np.float64]
    median_net: npt.NDArray[np.float64]
    first_day: npt.NDArray[np.int32]
    default_day: npt.NDArray[np.int32]

    @property
    def size(self) -> int:
        return self.frame.height


def _shares(rows: tuple[tuple[object, ...], ...], column: int) -> npt.NDArray[np.float64]:
    weights = np.array([row[column] for row in rows], dtype=np.float64)
    shares: npt.NDArray[np.float64] = weights / weights.sum()
    return shares


def _names(
    rng: np.random.Generator, count: int, industry: npt.NDArray[np.int64], country: npt.NDArray[np.int64]
) -> npt.NDArray[np.str_]:
    """Build company names such as ``Adlertec Engineering GmbH`` (unique while combinations last)."""
    combos = len(STEMS) * len(ENDINGS)
    pick = rng.choice(combos, size=count, replace=count > combos)
    forms = np.array([form for row in COUNTRIES for form in row[4]])
    form_counts = np.array([len(row[4]) for row in COUNTRIES])
    form_offsets = np.concatenate(([0], np.cumsum(form_counts)[:-1]))
    legal = forms[form_offsets[country] + rng.integers(0, 12, size=count) % form_counts[country]]
    stems = np.array(STEMS)[pick // len(ENDINGS)]
    endings = np.array(ENDINGS)[pick % len(ENDINGS)]
    words = np.array([row[1] for row in INDUSTRIES])[industry]
    name = np.char.add(np.char.add(stems, endings), " ")
    return np.char.add(np.char.add(name, np.char.add(words, " ")), legal)


def _terms(rng: np.random.Generator, segment: npt.NDArray[np.int64]) -> npt.NDArray[np.int32]:
    terms = np.zeros(segment.shape[0], dtype=np.int32)
    for index, row in enumerate(SEGMENTS):
        chosen = segment == index
        terms[chosen] = rng.choice(row[4], size=int(chosen.sum()), p=row[5])
    return terms


def _windows(
    rng: np.random.Generator, profile: npt.NDArray[np.int64], calendar: Calendar
) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int32]]:
    """Return each customer's first trading day and, for defaulters, the day it stopped paying."""
    count = profile.shape[0]
    onboarded = rng.random(count) < 0.15
    first = np.asarray(calendar.first + onboarded * rng.integers(0, int(calendar.span * 0.8), count))
    never = calendar.last + 10_000
    default_from = calendar.first + int(calendar.span * 0.4)
    default_to = calendar.last - 45
    drawn = rng.integers(default_from, max(default_from + 1, default_to), count)
    default = np.where(profile == PROFILE["defaulter"], np.maximum(drawn, first + 120), never)
    return first.astype(np.int32), default.astype(np.int32)


def make_customers(
    rng: np.random.Generator, count: int, calendar: Calendar, code_offset: int = 0
) -> CustomerBook:
    """Draw ``count`` customers with codes ``C000001`` onwards (after ``code_offset``)."""
    profile = rng.choice(len(BEHAVIOURS), size=count, p=_behaviour_shares())
    country = rng.choice(len(COUNTRIES), size=count, p=_shares(COUNTRIES, 2))
    segment = rng.choice(len(SEGMENTS), size=count, p=_shares(SEGMENTS, 1))
    industry = rng.integers(0, len(INDUSTRIES), size=count)

    discount = profile == PROFILE["discount"]
    terms = np.where(discount, 30, _terms(rng, segment)).astype(np.int32)
    first, default = _windows(rng, profile, calendar)
    currency = np.array([row[1] for row in COUNTRIES])[country]

    codes = (
        pl.Series("code", np.arange(code_offset + 1, code_offset + count + 1)).cast(pl.String).str.zfill(6)
    )
    frame = pl.DataFrame(
        {
            "code": "C" + codes,
            "name": _names(rng, count, industry, country),
            "country": np.array([row[0] for row in COUNTRIES])[country],
            "currency": currency,
            "industry": np.array([row[0] for row in INDUSTRIES])[industry],
            "segment": np.array([row[0] for row in SEGMENTS])[segment],
        },
        schema=CUSTOMER_SCHEMA,
    )

    volume = np.array([row[2] for row in SEGMENTS])[segment] * rng.lognormal(0.0, 0.5, count)
    median_net = np.array([row[3] for row in SEGMENTS])[segment] * rng.lognormal(0.0, 0.4, count)
    rule = _term_rules(rng, terms, discount)
    frame = frame.with_columns(pl.Series("payment_term", _term_texts(terms, rule, discount)))
    return CustomerBook(
        frame=frame,
        profile=profile,
        currency=currency,
        vat_bp=np.array([row[3] for row in COUNTRIES], dtype=np.int64)[country],
        terms=terms,
        term_rule=rule,
        discount=discount,
        batch=~discount & (rng.random(count) < np.where(segment == 0, 0.7, 0.3)),
        run_weekday=rng.integers(0, 5, count),
        volume=volume,
        median_net=median_net,
        first_day=first,
        default_day=default,
    )


def _term_rules(
    rng: np.random.Generator, terms: npt.NDArray[np.int32], discount: npt.NDArray[np.bool_]
) -> npt.NDArray[np.int64]:
    draw = rng.random(terms.shape[0])
    end_of_month = ~discount & (terms == 30) & (draw < END_OF_MONTH_SHARE)
    instalments = (terms == 60) & (draw < INSTALMENT_SHARE)
    rule = np.where(end_of_month, TERM_END_OF_MONTH, np.where(instalments, TERM_INSTALMENTS, TERM_NET))
    return rule.astype(np.int64)


def _term_texts(
    terms: npt.NDArray[np.int32], rule: npt.NDArray[np.int64], discount: npt.NDArray[np.bool_]
) -> list[str]:
    """Write each customer's term in the importer's text form."""
    texts = np.char.add("net", terms.astype(str))
    texts = np.where(rule == TERM_END_OF_MONTH, "eom+30", texts)
    texts = np.where(rule == TERM_INSTALMENTS, "50% net30, net60", texts)
    return [str(text) for text in np.where(discount, DISCOUNT_TERM, texts)]


def _behaviour_shares() -> npt.NDArray[np.float64]:
    shares = behaviour_array("share")
    normalized: npt.NDArray[np.float64] = shares / shares.sum()
    return normalized
