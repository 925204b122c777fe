"""Synthetic customers, open items and contact data for the collections benchmark and the demo.

Seeded numpy draws, so the same arguments give the same ledger. Frames follow the storage bulk
schemas (``receivables.storage.bulk``) and the contacts CSV layout of :mod:`.contacts`.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import polars as pl

from receivables.storage.bulk import ALLOCATION_SCHEMA, CUSTOMER_SCHEMA, DOCUMENT_SCHEMA

CONTACT_COLUMNS = (
    "customer_code",
    "contact_name",
    "email",
    "phone",
    "language",
    "street",
    "postal_code",
    "city",
    "country",
)
LANGUAGES = np.array(["en", "de", "fr"])


def customers_frame(count: int) -> pl.DataFrame:
    codes = [f"K{number:06d}" for number in range(1, count + 1)]
    segments = np.array(["retail", "wholesale", "public sector", "manufacturing"])
    rng = np.random.default_rng(7)
    return pl.DataFrame(
        {
            "code": codes,
            "name": [f"Customer {code}" for code in codes],
            "country": ["DE"] * count,
            "currency": ["EUR"] * count,
            "industry": [None] * count,
            "segment": segments[rng.integers(0, len(segments), count)].tolist(),
        },
        schema=CUSTOMER_SCHEMA,
    )


def open_items_frames(
    customers: int, items: int, as_of: date, seed: int = 11
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Return ``items`` open invoices and the partial payments of one in ten, with allocations.

    Invoices are dated 0 to 150 days before ``as_of`` (exponentially, 20 days on average, as in
    a ledger where most customers pay) and due 30 days later. One in a hundred is disputed.
    """
    rng = np.random.default_rng(seed)
    owner = rng.integers(1, customers + 1, items)
    ages = np.minimum(rng.exponential(20.0, items).astype(np.int64), 150)
    issued = np.datetime64(as_of) - ages.astype("timedelta64[D]")
    amount = rng.integers(5_000, 500_000, items)
    numbers = [f"B{number:08d}" for number in range(1, items + 1)]
    codes = [f"K{number:06d}" for number in owner]
    invoices = pl.DataFrame(
        {
            "customer_code": codes,
            "kind": ["invoice"] * items,
            "number": numbers,
            "document_date": issued,
            "due_date": issued + np.timedelta64(30, "D"),
            "currency": ["EUR"] * items,
            "amount_minor": amount,
            "tax_minor": np.zeros(items, dtype=np.int64),
            "fx_rate": ["1"] * items,
            "disputed": rng.random(items) < 0.01,
            "reference": [None] * items,
        }
    ).cast(DOCUMENT_SCHEMA)  # type: ignore[arg-type]
    paid = np.flatnonzero(rng.random(items) < 0.1)
    share = rng.uniform(0.3, 0.7, len(paid))
    paid_amount = np.maximum(1, (amount[paid] * share).astype(np.int64))
    pay_day = np.minimum(issued[paid] + np.timedelta64(20, "D"), np.datetime64(as_of))
    payments = pl.DataFrame(
        {
            "customer_code": [codes[index] for index in paid],
            "kind": ["payment"] * len(paid),
            "number": [f"Z{index:08d}" for index in paid],
            "document_date": pay_day,
            "due_date": pay_day,
            "currency": ["EUR"] * len(paid),
            "amount_minor": paid_amount,
            "tax_minor": np.zeros(len(paid), dtype=np.int64),
            "fx_rate": ["1"] * len(paid),
            "disputed": [False] * len(paid),
            "reference": [None] * len(paid),
        }
    ).cast(DOCUMENT_SCHEMA)  # type: ignore[arg-type]
    allocations = pl.DataFrame(
        {
            "source_kind": ["payment"] * len(paid),
            "source_number": payments["number"],
            "target_kind": ["invoice"] * len(paid),
            "target_number": [numbers[index] for index in paid],
            "allocation_date": pay_day,
            "amount_minor": paid_amount,
        }
    ).cast(ALLOCATION_SCHEMA)  # type: ignore[arg-type]
    return pl.concat([invoices, payments]), allocations


def contacts_frame(codes: list[str], seed: int = 5) -> pl.DataFrame:
    """Return contacts: 94 % with an email, 3 % a postal address only, 2 % an invalid email
    with an address, 1 % nothing, so every fallback of the run is exercised."""
    rng = np.random.default_rng(seed)
    count = len(codes)
    draw = rng.random(count)
    valid = [f"ap@{code.lower()}.example.com" for code in codes]
    email: list[str | None] = [
        value if share < 0.94 else ("invalid@@example" if 0.97 <= share < 0.99 else None)
        for value, share in zip(valid, draw, strict=True)
    ]
    address = draw < 0.99
    return pl.DataFrame(
        {
            "customer_code": codes,
            "contact_name": [f"Accounts payable {code}" for code in codes],
            "email": email,
            "phone": ["+49 30 5550100"] * count,
            "language": LANGUAGES[rng.integers(0, 3, count)].tolist(),
            "street": [("Industriestrasse 5" if flag else None) for flag in address],
            "postal_code": [("10115" if flag else None) for flag in address],
            "city": [("Berlin" if flag else None) for flag in address],
            "country": ["DE"] * count,
        }
    )


def due_window(as_of: date) -> tuple[date, date]:
    """Return the first and last due dates the generated items can have."""
    return as_of - timedelta(days=120), as_of + timedelta(days=30)
