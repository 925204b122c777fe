"""What a confirmed match teaches: the payer's IBAN, the payer's name and the customer's prefix.

Only matches a person confirmed (an accepted suggestion or a manual split) teach; automatic
matches do not, so a wrong automatic match cannot reinforce itself.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, text

from receivables.banking.rules.names import normalize_name
from receivables.banking.rules.numbers import item_keys, text_keys


def learn(
    connection: Connection,
    customer_id: int,
    iban: str | None,
    payer: str | None,
    remittance_text: str,
    item_numbers: list[str],
    on: date,
) -> list[str]:
    """Store what the confirmed match shows; return a description of each thing learned.

    A user may apply a payment to another customer's invoices (a parent paying for its
    subsidiary, say). The payer's IBAN and name are then learned only when they do not already
    point to another customer: learned for it, or the exact words of its name.
    """
    learned = []
    other = _other_customer(connection, customer_id, iban, payer)
    if other is not None:
        return [f"nothing, because the payer's {other[0]} belongs to customer {other[1]}"]
    if iban:
        _upsert(
            connection,
            "UPDATE customer_ibans SET confirmations = confirmations + 1, last_seen = :on WHERE "
            "iban = :value AND customer_id = :customer",
            "INSERT INTO customer_ibans (iban, customer_id, confirmations, last_seen) VALUES "
            "(:value, :customer, 1, :on)",
            {"value": iban, "customer": customer_id, "on": on},
        )
        learned.append(f"IBAN {iban}")
    alias = normalize_name(payer)
    if alias:
        _upsert(
            connection,
            "UPDATE customer_aliases SET confirmations = confirmations + 1 WHERE alias = :value "
            "AND customer_id = :customer",
            "INSERT INTO customer_aliases (alias, customer_id, confirmations) VALUES (:value, "
            ":customer, 1)",
            {"value": alias[:200], "customer": customer_id},
        )
        learned.append(f"payer name {alias!r}")
    for prefix in _prefixes(remittance_text, item_numbers):
        _upsert(
            connection,
            "UPDATE reference_patterns SET confirmations = confirmations + 1 WHERE customer_id = "
            ":customer AND prefix = :value",
            "INSERT INTO reference_patterns (customer_id, prefix, confirmations) VALUES "
            "(:customer, :value, 1)",
            {"value": prefix, "customer": customer_id},
        )
        learned.append(f"reference prefix {prefix!r}")
    return learned


def _prefixes(remittance_text: str, item_numbers: list[str]) -> set[str]:
    """The words written right before any of our numbers found in the text."""
    keys: set[str] = set()
    for number in item_numbers:
        found = item_keys(number)
        keys |= {key for key in (found.alnum, found.prefixed, found.groups, found.digits) if key}
    return {key.prefix[:40] for key in text_keys(remittance_text) if key.key in keys and key.prefix}


def _upsert(
    connection: Connection, update_sql: str, insert_sql: str, values: dict[str, object]
) -> None:
    if connection.execute(text(update_sql), values).rowcount == 0:
        connection.execute(text(insert_sql), values)


def _other_customer(
    connection: Connection, customer_id: int, iban: str | None, payer: str | None
) -> tuple[str, str] | None:
    """Return what ties the payer to another customer (``IBAN``, ``name``) and that customer's code."""
    if iban:
        row = connection.execute(
            text(
                "SELECT c.code FROM customer_ibans i JOIN customers c ON c.id = i.customer_id "
                "WHERE i.iban = :iban AND i.customer_id <> :customer"
            ),
            {"iban": iban, "customer": customer_id},
        ).first()
        if row is not None:
            return "IBAN", str(row[0])
    alias = normalize_name(payer)
    if not alias:
        return None
    row = connection.execute(
        text(
            "SELECT c.code FROM customer_aliases a JOIN customers c ON c.id = a.customer_id "
            "WHERE a.alias = :alias AND a.customer_id <> :customer"
        ),
        {"alias": alias[:200], "customer": customer_id},
    ).first()
    if row is not None:
        return "name", str(row[0])
    names = connection.execute(
        text("SELECT code, name FROM customers WHERE id <> :customer"), {"customer": customer_id}
    )
    return next((("name", str(code)) for code, name in names if normalize_name(name) == alias), None)
