"""Money: an exact decimal amount with its ISO 4217 currency.

Amounts are ``Decimal`` built from ``str``, ``int`` or ``Decimal``, never from ``float``. Adding or
comparing amounts of different currencies raises :class:`CurrencyMismatchError`.

Rounding happens only at named points (:meth:`Money.rounded`, :meth:`Money.convert`,
:meth:`Money.split`) and always to the currency's minor unit with ``ROUND_HALF_UP``, the
commercial rounding printed on invoices: 0.005 EUR becomes 0.01 EUR.

Storage keeps amounts as integer minor units (cents for EUR, yen for JPY, fils for KWD);
:meth:`Money.minor_units` and :meth:`Money.from_minor` convert exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

from babel.numbers import get_currency_precision, list_currencies
from iso4217 import Currency as IsoCurrency

from receivables.domain.errors import (
    CurrencyMismatchError,
    InvalidAmountError,
    UnknownCurrencyError,
)

ROUNDING = ROUND_HALF_UP


@dataclass(frozen=True, slots=True)
class Currency:
    """An ISO 4217 currency and the number of decimals of its minor unit."""

    code: str
    minor_unit: int

    @staticmethod
    def of(code: str) -> Currency:
        """Return the currency for an ISO 4217 code such as ``"EUR"``; raise if it is unknown."""
        return _currency(code.strip().upper() if isinstance(code, str) else code)

    @property
    def quantum(self) -> Decimal:
        """The smallest amount of the currency: ``Decimal("0.01")`` for EUR, ``Decimal("1")`` for JPY."""
        return Decimal(1).scaleb(-self.minor_unit)

    def __str__(self) -> str:
        return self.code


@lru_cache(maxsize=512)
def _currency(code: str) -> Currency:
    if not isinstance(code, str) or len(code) != 3 or code not in _iso_codes():
        raise UnknownCurrencyError(str(code))
    return Currency(code, _minor_unit(code))


def _minor_unit(code: str) -> int:
    # The current ISO 4217 table (package iso4217) comes first, because CLDR differs from it for
    # some codes (HUF and IDR have 2 decimals in ISO 4217, 0 in CLDR). Retired codes come from CLDR.
    try:
        exponent = IsoCurrency(code).exponent
    except ValueError:
        return int(get_currency_precision(code))
    if exponent is None:
        raise UnknownCurrencyError(code)
    return int(exponent)


@lru_cache(maxsize=1)
def _iso_codes() -> frozenset[str]:
    # CLDR also lists retired codes (DEM, FRF...): they stay valid for old ledgers. Codes without a
    # minor unit (XAU, XXX) are rejected when used.
    current = {currency.code for currency in IsoCurrency if currency.exponent is not None}
    retired = {code for code in list_currencies() if code.isalpha() and code.isupper()}
    return frozenset(current | retired)


def is_currency_code(code: str) -> bool:
    """Tell whether ``code`` is a known ISO 4217 code (upper case, three letters)."""
    return isinstance(code, str) and code in _iso_codes()


def to_decimal(value: str | int | Decimal) -> Decimal:
    """Convert ``value`` to a finite ``Decimal``; floats are rejected because they are inexact."""
    if isinstance(value, bool | float):
        raise InvalidAmountError(
            f"amount {value!r} must be a str, int or Decimal, not {type(value).__name__}"
        )
    try:
        number = (
            value
            if isinstance(value, Decimal)
            else Decimal(value.strip() if isinstance(value, str) else value)
        )
    except (InvalidOperation, TypeError) as error:
        raise InvalidAmountError(f"amount {value!r} is not a decimal number") from error
    if not number.is_finite():
        raise InvalidAmountError(f"amount {value!r} is not finite")
    return number


@dataclass(frozen=True, slots=True)
class Money:
    """An immutable amount in one currency.

    >>> Money.of("10.00", "EUR") + Money.of("0.50", "EUR")
    Money(amount=Decimal('10.50'), currency=Currency(code='EUR', minor_unit=2))
    """

    amount: Decimal
    currency: Currency

    @staticmethod
    def of(amount: str | int | Decimal, currency: str | Currency) -> Money:
        """Build money from a decimal string, an int or a ``Decimal`` and a currency code."""
        unit = currency if isinstance(currency, Currency) else Currency.of(currency)
        return Money(to_decimal(amount), unit)

    @staticmethod
    def zero(currency: str | Currency) -> Money:
        unit = currency if isinstance(currency, Currency) else Currency.of(currency)
        return Money(Decimal(0).quantize(unit.quantum), unit)

    @staticmethod
    def from_minor(units: int, currency: str | Currency) -> Money:
        """Build money from integer minor units: ``from_minor(1050, "EUR")`` is 10.50 EUR."""
        unit = currency if isinstance(currency, Currency) else Currency.of(currency)
        return Money(Decimal(int(units)).scaleb(-unit.minor_unit), unit)

    def minor_units(self) -> int:
        """Return the amount in integer minor units; raise if it has more decimals than the currency."""
        scaled = self.amount.scaleb(self.currency.minor_unit)
        if scaled != scaled.to_integral_value():
            raise InvalidAmountError(
                f"{self.amount} {self.currency} has more than {self.currency.minor_unit} decimals; "
                "round it first"
            )
        return int(scaled)

    def rounded(self) -> Money:
        """Round to the currency's minor unit (``ROUND_HALF_UP``)."""
        return Money(self.amount.quantize(self.currency.quantum, rounding=ROUNDING), self.currency)

    def is_rounded(self) -> bool:
        return self.amount == self.amount.quantize(self.currency.quantum, rounding=ROUNDING)

    def convert(self, rate: Decimal, to: str | Currency) -> Money:
        """Convert at ``rate`` units of ``to`` per unit of this currency, rounded to ``to``'s minor unit."""
        target = to if isinstance(to, Currency) else Currency.of(to)
        if target == self.currency:
            return self
        return Money(self.amount * to_decimal(rate), target).rounded()

    def split(self, weights: Sequence[Decimal | int | str]) -> list[Money]:
        """Split into parts proportional to ``weights``; the parts always add up exactly to this amount.

        Every part but the last is rounded half-up to the minor unit, and capped so that together they
        never exceed the amount; the last part takes the remainder, so no part is negative:

        >>> [str(part) for part in Money.of("100.00", "EUR").split([1, 1, 1])]
        ['33.33 EUR', '33.33 EUR', '33.34 EUR']
        """
        shares = [to_decimal(weight) for weight in weights]
        weight_sum = sum(shares, Decimal(0))
        if not shares or weight_sum <= 0 or any(share < 0 for share in shares):
            raise InvalidAmountError(
                f"cannot split by weights {list(weights)!r}: they must be >= 0 with a positive sum"
            )
        parts = []
        remaining = self.amount
        for share in shares[:-1]:
            part = (self.amount * share / weight_sum).quantize(self.currency.quantum, ROUNDING)
            part = min(part, remaining) if self.amount >= 0 else max(part, remaining)
            parts.append(Money(part, self.currency))
            remaining -= part
        parts.append(Money(remaining, self.currency))
        return parts

    def _check(self, other: Money) -> None:
        if not isinstance(other, Money):
            raise TypeError(f"cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise CurrencyMismatchError(self.currency.code, other.currency.code)

    def __add__(self, other: Money) -> Money:
        self._check(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._check(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __mul__(self, factor: Decimal | int) -> Money:
        if isinstance(factor, float):
            raise InvalidAmountError("multiply money by a Decimal or int, not a float")
        return Money(self.amount * factor, self.currency)

    __rmul__ = __mul__

    def __lt__(self, other: Money) -> bool:
        self._check(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._check(other)
        return self.amount <= other.amount

    def __gt__(self, other: Money) -> bool:
        self._check(other)
        return self.amount > other.amount

    def __ge__(self, other: Money) -> bool:
        self._check(other)
        return self.amount >= other.amount

    def __bool__(self) -> bool:
        return self.amount != 0

    def __str__(self) -> str:
        return f"{self.amount} {self.currency.code}"


def total(amounts: Iterable[Money], currency: str | Currency) -> Money:
    """Add amounts of one currency; an empty iterable gives zero in ``currency``."""
    result = Money.zero(currency)
    for amount in amounts:
        result = result + amount
    return result
