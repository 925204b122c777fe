"""Customer contracts: import from CSV or TOML, storage, and the domain's ``ContractBook``.

A contract file has one contract per CSV row or ``[[contracts]]`` table, with the keys:

=====================  ====================================================================
key                    meaning
=====================  ====================================================================
``customer_code``      a stored customer (required)
``reference``          the contract's reference, unique per customer (required)
``valid_from``         first day, ``YYYY-MM-DD`` (required); ``valid_to`` the last, or empty
``payment_term``       the agreed term in text form, such as ``2/10 net30`` (required)
``discount_base``      ``gross`` (default) or ``net``
``interest``           empty for none, ``contract`` for ``interest_rate``, or a statutory
                       regime of the rates file (``eu``, ``uk``, ``de``, ``fr``)
``interest_rate``      percent a year, with ``interest = contract``
``day_count``          ``ACT/360``, ``ACT/365`` (default), ``30/360`` or ``30E/360``
``grace_days``         days after the due date free of interest, default 0
``minimum``            interest below this amount is waived, in ``charge_currency``
``dunning_fees``       fee per dunning level: ``2=5.00;3=10.00`` in CSV, a table in TOML
``charge_currency``    the currency of ``minimum`` and the fees
=====================  ====================================================================

An import checks every contract and writes all of them or none, replacing stored contracts of
the same customer and reference. Two contracts of one customer valid on the same day, counting
the stored ones, are a problem.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import tomllib
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.orm import Session

from receivables.domain.contracts import Contract, ContractBook
from receivables.domain.day_count import DayCount
from receivables.domain.discounts import DiscountBase
from receivables.domain.errors import ReceivablesError
from receivables.domain.interest import ContractualInterest, InterestRegime
from receivables.domain.late_charges import FeeSchedule, LateChargeClause
from receivables.domain.money import Money
from receivables.domain.statutory import RateBook
from receivables.domain.terms import PaymentTerm
from receivables.storage.models import CustomerRow
from receivables.storage.terms_models import ContractRow

log = logging.getLogger(__name__)

CONTRACT_INTEREST = "contract"
KEYS = (
    "customer_code", "reference", "valid_from", "valid_to", "payment_term", "discount_base",
    "interest", "interest_rate", "day_count", "grace_days", "minimum", "dunning_fees",
    "charge_currency",
)  # fmt: skip
REQUIRED = ("customer_code", "reference", "valid_from", "payment_term")


class ContractFileError(ReceivablesError, ValueError):
    """The contract file cannot be read at all."""


@dataclass(frozen=True)
class ContractProblem:
    """A problem of one contract: its row (CSV) or table number (TOML), key, value and reason."""

    row: int
    key: str | None
    value: str | None
    reason: str

    def to_dict(self) -> dict[str, object]:
        return {"row": self.row, "key": self.key, "value": self.value, "reason": self.reason}


@dataclass
class ContractImport:
    """The outcome of a contract import: counts of the written contracts, or the problems."""

    file: str
    contracts: int = 0
    inserted: int = 0
    updated: int = 0
    problems: list[ContractProblem] = field(default_factory=list)

    @property
    def committed(self) -> bool:
        return not self.problems and self.contracts > 0


@dataclass(frozen=True)
class _Parsed:
    row: int
    values: dict[str, str]
    contract: Contract


def read_contract_file(path: Path) -> list[tuple[int, dict[str, str]]]:
    """Read a CSV or TOML contract file into (row number, values as text) pairs."""
    try:
        content = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise ContractFileError(f"contract file {path} cannot be read: {error}") from error
    if path.suffix.lower() == ".toml":
        return _toml_rows(content, path)
    reader = csv.DictReader(io.StringIO(content))
    unknown = [name for name in reader.fieldnames or [] if name.strip().lower() not in KEYS]
    if unknown:
        raise ContractFileError(f"contract file {path}: unknown columns {', '.join(unknown)}")
    return [
        (index, {key.strip().lower(): (value or "").strip() for key, value in row.items() if key})
        for index, row in enumerate(reader, start=2)
    ]


def _toml_rows(content: str, path: Path) -> list[tuple[int, dict[str, str]]]:
    try:
        tables = tomllib.loads(content).get("contracts", [])
    except tomllib.TOMLDecodeError as error:
        raise ContractFileError(f"contract file {path} is not valid TOML: {error}") from error
    rows = []
    for index, table in enumerate(tables, start=1):
        unknown = sorted(set(table) - set(KEYS))
        if unknown:
            raise ContractFileError(
                f"contract file {path}, contract {index}: unknown keys {unknown}"
            )
        values = {}
        for key, value in table.items():
            if key == "dunning_fees" and isinstance(value, Mapping):
                value = ";".join(f"{level}={amount}" for level, amount in value.items())
            if isinstance(value, float):
                raise ContractFileError(
                    f"contract file {path}, contract {index}: {key} is a TOML float; write it "
                    'as a string, such as "9.5"'
                )
            values[key] = str(value)
        rows.append((index, values))
    return rows


def _decimal(values: dict[str, str], key: str) -> Decimal | None:
    text = values.get(key, "")
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{text!r} is not a number") from None


def _day(values: dict[str, str], key: str) -> date | None:
    text = values.get(key, "")
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date; write YYYY-MM-DD") from None


def _fees(text: str, currency: str | None) -> FeeSchedule:
    if not text:
        return FeeSchedule()
    if currency is None:
        raise ValueError("dunning fees need a charge_currency")
    fees = {}
    for part in text.replace(",", ";").split(";"):
        level, separator, amount = part.partition("=")
        if not separator or not level.strip().isdigit():
            raise ValueError(f"{part.strip()!r} is not LEVEL=AMOUNT, such as 2=5.00")
        fees[int(level)] = Money.of(amount.strip(), currency)
    return FeeSchedule(fees)


def _interest(values: dict[str, str], rates: RateBook) -> InterestRegime | None:
    code = values.get("interest", "").lower()
    currency = values.get("charge_currency") or None
    minimum_value = _decimal(values, "minimum")
    if minimum_value is not None and currency is None:
        raise ValueError("a minimum needs a charge_currency")
    minimum = None if minimum_value is None else Money.of(minimum_value, currency or "")
    grace_text = values.get("grace_days") or "0"
    if not grace_text.isdigit():
        raise ValueError(f"grace_days {grace_text!r} must be a whole number of days, 0 or more")
    grace = int(grace_text)
    if code in ("", "none"):
        return None
    if code == CONTRACT_INTEREST:
        rate = _decimal(values, "interest_rate")
        if rate is None:
            raise ValueError("interest = contract needs an interest_rate in percent a year")
        day_count = values.get("day_count") or DayCount.ACT_365.value
        known = [item.value for item in DayCount]
        if day_count not in known:
            raise ValueError(f"day_count {day_count!r} is unknown; use one of {', '.join(known)}")
        return ContractualInterest(rate, DayCount(day_count), grace, minimum)
    return replace(rates.regime(code), grace_days=grace, minimum=minimum)


def parse_contract(values: dict[str, str], rates: RateBook) -> Contract:
    """Build the domain contract of one row; raise ``ValueError`` naming the rule that broke."""
    for key in REQUIRED:
        if not values.get(key):
            raise ValueError(f"{key} is missing")
    valid_from = _day(values, "valid_from")
    assert valid_from is not None
    clause = LateChargeClause(
        interest=_interest(values, rates),
        fees=_fees(values.get("dunning_fees", ""), values.get("charge_currency") or None),
    )
    return Contract(
        customer_code=values["customer_code"],
        reference=values["reference"],
        valid_from=valid_from,
        valid_to=_day(values, "valid_to"),
        term=PaymentTerm.parse(values["payment_term"]),
        discount_base=_base(values.get("discount_base") or DiscountBase.GROSS.value),
        late_charges=clause,
    )


def _base(text: str) -> DiscountBase:
    try:
        return DiscountBase(text.lower())
    except ValueError:
        raise ValueError(f"discount_base {text!r} must be gross or net") from None


def import_contracts(engine: Engine, path: Path, rates: RateBook) -> ContractImport:
    """Check every contract of ``path`` and store them all, or none when any has a problem."""
    result = ContractImport(str(path))
    rows = read_contract_file(path)
    with engine.begin() as connection:
        customers = dict(connection.execute(select(CustomerRow.code, CustomerRow.id)).all())
        parsed = []
        for row, values in rows:
            try:
                contract = parse_contract(values, rates)
            except (ReceivablesError, ValueError) as error:
                result.problems.append(ContractProblem(row, None, None, str(error)))
                continue
            if contract.customer_code not in customers:
                result.problems.append(
                    ContractProblem(
                        row, "customer_code", contract.customer_code,
                        "customer not found; import the customer first",
                    )
                )  # fmt: skip
                continue
            parsed.append(_Parsed(row, values, contract))
        result.problems.extend(_duplicates(parsed))
        result.problems.extend(_overlaps(connection, parsed, rates))
        if result.problems or not parsed:
            return result
        for item in parsed:
            inserted = _store(connection, item, customers[item.contract.customer_code])
            result.inserted += int(inserted)
            result.updated += int(not inserted)
        result.contracts = len(parsed)
    log.info("contract import %s: %d inserted, %d updated", path, result.inserted, result.updated)
    return result


def _duplicates(parsed: list[_Parsed]) -> list[ContractProblem]:
    seen: dict[tuple[str, str], int] = {}
    problems = []
    for item in parsed:
        key = (item.contract.customer_code, item.contract.reference)
        if key in seen:
            problems.append(
                ContractProblem(
                    item.row, "reference", item.contract.reference,
                    f"appears twice for customer {key[0]} (also row {seen[key]})",
                )
            )  # fmt: skip
        seen.setdefault(key, item.row)
    return problems


def _overlaps(
    connection: Connection, parsed: list[_Parsed], rates: RateBook
) -> list[ContractProblem]:
    """Check that no two contracts of a customer, stored or imported, are valid on one day."""
    by_customer: dict[str, list[Contract]] = defaultdict(list)
    rows: dict[tuple[str, str], int] = {}
    for item in parsed:
        by_customer[item.contract.customer_code].append(item.contract)
        rows[(item.contract.customer_code, item.contract.reference)] = item.row
    for contract in stored_contracts(connection, rates, set(by_customer)):
        if (contract.customer_code, contract.reference) not in rows:
            by_customer[contract.customer_code].append(contract)
    problems: list[ContractProblem] = []
    for customer, contracts in by_customer.items():
        try:
            ContractBook(contracts)
        except ReceivablesError as error:
            clashing = [
                row for (code, reference), row in rows.items()
                if code == customer and reference in str(error)
            ]  # fmt: skip
            problems.extend(
                ContractProblem(row, "valid_from", None, str(error)) for row in clashing
            )
    return problems


def _store(connection: Connection, item: _Parsed, customer_id: int) -> bool:
    """Insert or update one contract; return True when it was new."""
    values = item.values
    clause = item.contract.late_charges
    fees = {str(level): str(fee.amount) for level, fee in clause.fees.fees.items()}
    minimum = _decimal(values, "minimum")
    currency = values.get("charge_currency") or None
    columns: dict[str, Any] = {
        "valid_from": item.contract.valid_from,
        "valid_to": item.contract.valid_to,
        "payment_term": item.contract.term.to_text(),
        "discount_base": item.contract.discount_base.value,
        "interest_regime": values.get("interest", "").lower() or None,
        "interest_rate": _decimal(values, "interest_rate"),
        "day_count": values.get("day_count") or None,
        "grace_days": int(values.get("grace_days") or 0),
        "minimum_minor": None
        if minimum is None
        else Money.of(minimum, currency or "").minor_units(),
        "charge_currency": currency,
        "dunning_fees": json.dumps(fees, sort_keys=True) if fees else None,
    }
    existing = connection.execute(
        select(ContractRow.id).where(
            ContractRow.customer_id == customer_id, ContractRow.reference == item.contract.reference
        )
    ).scalar()
    if existing is None:
        connection.execute(
            insert(ContractRow).values(
                customer_id=customer_id, reference=item.contract.reference, **columns
            )
        )
        return True
    connection.execute(update(ContractRow).where(ContractRow.id == existing).values(**columns))
    return False


def _row_values(row: ContractRow, customer_code: str) -> dict[str, str]:
    fees = json.loads(row.dunning_fees) if row.dunning_fees else {}
    minimum = (
        "" if row.minimum_minor is None or row.charge_currency is None
        else str(Money.from_minor(row.minimum_minor, row.charge_currency).amount)
    )  # fmt: skip
    return {
        "customer_code": customer_code,
        "reference": row.reference,
        "valid_from": row.valid_from.isoformat(),
        "valid_to": "" if row.valid_to is None else row.valid_to.isoformat(),
        "payment_term": row.payment_term,
        "discount_base": row.discount_base,
        "interest": row.interest_regime or "",
        "interest_rate": "" if row.interest_rate is None else format(row.interest_rate, "f"),
        "day_count": row.day_count or "",
        "grace_days": str(row.grace_days),
        "minimum": minimum,
        "dunning_fees": ";".join(f"{level}={amount}" for level, amount in fees.items()),
        "charge_currency": row.charge_currency or "",
    }


def stored_contracts(
    connection: Connection, rates: RateBook, customers: set[str] | None = None
) -> list[Contract]:
    """Return the stored contracts as domain values, of ``customers`` only when given."""
    query = select(ContractRow, CustomerRow.code).join(
        CustomerRow, CustomerRow.id == ContractRow.customer_id
    )
    if customers is not None:
        query = query.where(CustomerRow.code.in_(sorted(customers)))
    session = Session(bind=connection)
    return [parse_contract(_row_values(row, code), rates) for row, code in session.execute(query)]


def load_contract_book(engine: Engine, rates: RateBook) -> ContractBook:
    """Return every stored contract in a :class:`ContractBook`."""
    with engine.connect() as connection:
        return ContractBook(stored_contracts(connection, rates))
