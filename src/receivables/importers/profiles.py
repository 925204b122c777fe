"""Mapping profiles: how a foreign export's columns, codes and number formats map onto the layout.

A profile is a ``[profiles.NAME]`` table in TOML. The built-in ones are in ``profiles.toml`` next
to this module. The config file and ``Settings.profiles_file`` may add more, or replace a built-in
one of the same name. :func:`parse_profile` checks every key and raises :class:`ProfileError` with
the profile's name, its source and the key at fault. ``docs/import.md`` documents every key.
"""

from __future__ import annotations

import codecs
import difflib
import logging
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from receivables.config import Settings
from receivables.domain.documents import CREDIT_KINDS, DEBIT_KINDS, DocumentKind
from receivables.domain.errors import ReceivablesError
from receivables.domain.money import is_currency_code
from receivables.importers.formats import check_date_format
from receivables.importers.layout import RecordType, all_fields, fields_of

log = logging.getLogger(__name__)

GENERIC = "generic"
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
DECIMAL_SEPARATORS = (".", ",")
THOUSANDS_SEPARATORS = ("", ".", ",", " ", "'", "\u00a0", "\u202f")
FILE_FORMATS = ("csv", "xlsx")


class ProfileError(ReceivablesError, ValueError):
    """A mapping profile is missing or has an invalid key."""


@dataclass(frozen=True)
class Settlement:
    """Each row of a debit document settled on ``date_column``, by a credit document of ``kind``.

    The settling document takes the row's number, or the ``number`` template when given; it is
    allocated the row's amount, or the ``amount_column`` when given.
    """

    date_column: str
    kind: DocumentKind = DocumentKind.PAYMENT
    number: str | None = None
    amount_column: str | None = None


@dataclass(frozen=True)
class Profile:
    """A parsed, checked mapping profile; see ``docs/import.md`` for the meaning of each key."""

    name: str
    source: str = "built-in"
    description: str = ""
    record_type: RecordType | None = None
    file_format: str | None = None
    delimiter: str | None = None
    quote_char: str = '"'
    encoding: str = "utf-8"
    sheet: str | int | None = None
    skip_rows: int = 0
    date_format: str = "%Y-%m-%d"
    decimal_separator: str = "."
    thousands_separator: str = ""
    customers_from_rows: bool = False
    columns: Mapping[str, str] = field(default_factory=dict)
    constants: Mapping[str, str] = field(default_factory=dict)
    templates: Mapping[str, str] = field(default_factory=dict)
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    kind_from_sign: tuple[DocumentKind, DocumentKind] | None = None
    settlement: Settlement | None = None

    @property
    def header_row(self) -> int:
        """The 1-based row of the header; the first data row follows it."""
        return self.skip_rows + 1


_SCALAR_KEYS: dict[str, type | tuple[type, ...]] = {
    "description": str, "record_type": str, "format": str, "delimiter": str, "quote_char": str,
    "encoding": str, "sheet": (str, int), "skip_rows": int, "date_format": str,
    "decimal_separator": str, "thousands_separator": str, "customers_from_rows": bool,
}  # fmt: skip
_TABLE_KEYS = ("columns", "constants", "templates", "values", "kind_from_sign", "settlement")


def parse_profile(name: str, table: Mapping[str, Any], source: str) -> Profile:
    """Check one ``[profiles.NAME]`` table and build its :class:`Profile`."""
    where = f"profile {name!r} ({source})"
    if not NAME_PATTERN.match(name):
        raise ProfileError(f"{where}: the name must be 1-64 letters, digits, '.', '_' or '-'")
    if not isinstance(table, Mapping):
        raise ProfileError(f"{where}: expected a table [profiles.{name}], got {type(table).__name__}")
    _check_keys(where, table, [*_SCALAR_KEYS, *_TABLE_KEYS])
    _check_scalar_types(where, table)
    record_type = _record_type(where, table.get("record_type"))
    profile = Profile(
        name=name,
        source=source,
        description=table.get("description", ""),
        record_type=record_type,
        customers_from_rows=table.get("customers_from_rows", False),
        kind_from_sign=_kind_from_sign(where, table.get("kind_from_sign")),
        settlement=_settlement(where, table.get("settlement")),
        **_reading_options(where, table),
        **_field_mapping(where, table, record_type),
    )
    _check_combination(where, profile)
    return profile


def _reading_options(where: str, table: Mapping[str, Any]) -> dict[str, Any]:
    """Check the keys that say how to read the file: format, delimiter, encoding, dates, numbers."""
    return {
        "file_format": _choice(where, "format", table.get("format"), FILE_FORMATS),
        "delimiter": _single_character(where, "delimiter", table.get("delimiter")),
        "quote_char": _single_character(where, "quote_char", table.get("quote_char")) or '"',
        "encoding": _encoding(where, table.get("encoding", "utf-8")),
        "sheet": _sheet(where, table.get("sheet")),
        "skip_rows": _skip_rows(where, table.get("skip_rows", 0)),
        "date_format": _date_format(where, table.get("date_format", "%Y-%m-%d")),
        "decimal_separator": _separator(where, "decimal_separator", table, ".", DECIMAL_SEPARATORS),
        "thousands_separator": _separator(where, "thousands_separator", table, "", THOUSANDS_SEPARATORS),
    }


def _field_mapping(where: str, table: Mapping[str, Any], record_type: RecordType | None) -> dict[str, Any]:
    """Check the tables that fill the layout's fields: columns, constants, templates and values."""
    allowed = frozenset(fields_of(record_type)) if record_type else all_fields()
    columns = _string_table(where, "columns", table.get("columns", {}), allowed)
    constants = _string_table(where, "constants", table.get("constants", {}), allowed)
    templates = _string_table(where, "templates", table.get("templates", {}), allowed)
    _check_sources_unique(where, columns, constants, templates)
    _check_constants(where, constants)
    for field_name, template in templates.items():
        _check_template(where, f"templates.{field_name}", template)
    values = _values(where, table.get("values", {}), allowed)
    return {"columns": columns, "constants": constants, "templates": templates, "values": values}


def _check_scalar_types(where: str, table: Mapping[str, Any]) -> None:
    for key, expected in _SCALAR_KEYS.items():
        if key not in table:
            continue
        value = table[key]
        # TOML booleans are Python ints too: only a key that takes true/false accepts them.
        if (type(value) is bool) != (expected is bool) or not isinstance(value, expected):
            raise ProfileError(f"{where}: {key} must be {_type_name(expected)}")


def _type_name(expected: type | tuple[type, ...]) -> str:
    names = {str: "a string", int: "a whole number", bool: "true or false"}
    if isinstance(expected, tuple):
        return " or ".join(names[item] for item in expected)
    return names[expected]


def _check_keys(where: str, table: Mapping[str, Any], allowed: list[str], section: str = "") -> None:
    for key in table:
        if key not in allowed:
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f"; use one of {', '.join(allowed)}"
            place = f" in {section}" if section else ""
            raise ProfileError(f"{where}: unknown key {key!r}{place}{hint}")


def _record_type(where: str, value: str | None) -> RecordType | None:
    if value is None:
        return None
    try:
        return RecordType(value)
    except ValueError:
        choices = ", ".join(item.value for item in RecordType)
        raise ProfileError(f"{where}: record_type {value!r} is invalid; use one of {choices}") from None


def _scalar_text(where: str, key: str, value: Any) -> str:
    """Turn a TOML string, whole number or boolean into the text a cell would hold."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | str):
        return str(value)
    raise ProfileError(f"{where}: {key} must be a string, a whole number or true/false, got {value!r}")


def _string_table(where: str, key: str, value: Any, allowed: frozenset[str]) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise ProfileError(f"{where}: {key} must be a table of field = value")
    _check_keys(where, value, sorted(allowed), key)
    result = {name: _scalar_text(where, f"{key}.{name}", item) for name, item in value.items()}
    for name, text in result.items():
        if key != "constants" and not text.strip():
            raise ProfileError(f"{where}: {key}.{name} must not be empty")
    return result


def _check_sources_unique(where: str, *tables: Mapping[str, str]) -> None:
    seen: set[str] = set()
    for table in tables:
        for name in table:
            if name in seen:
                raise ProfileError(
                    f"{where}: field {name!r} is given more than once (columns, constants, templates)"
                )
            seen.add(name)


def _check_constants(where: str, constants: Mapping[str, str]) -> None:
    for name in ("kind", "source_kind", "target_kind"):
        if name in constants and constants[name] not in DocumentKind.__members__.values():
            kinds = ", ".join(kind.value for kind in DocumentKind)
            raise ProfileError(
                f"{where}: constants.{name} {constants[name]!r} is invalid; use one of {kinds}"
            )
    for name in ("currency", "customer_currency"):
        if name in constants and not is_currency_code(constants[name]):
            raise ProfileError(
                f"{where}: constants.{name} {constants[name]!r} is not an ISO 4217 code such as EUR"
            )


def _check_template(where: str, key: str, template: str) -> None:
    stripped = PLACEHOLDER.sub("", template)
    if "{" in stripped or "}" in stripped:
        raise ProfileError(f"{where}: {key} {template!r} has an unmatched brace; write columns as {{Column}}")
    if any(not name.strip() for name in PLACEHOLDER.findall(template)):
        raise ProfileError(f"{where}: {key} {template!r} has an empty {{}} placeholder")


def _choice(where: str, key: str, value: str | None, choices: tuple[str, ...]) -> str | None:
    if value is not None and value not in choices:
        raise ProfileError(f"{where}: {key} {value!r} is invalid; use one of {', '.join(map(repr, choices))}")
    return value


def _separator(where: str, key: str, table: Mapping[str, Any], default: str, choices: tuple[str, ...]) -> str:
    return _choice(where, key, table.get(key, default), choices) or default


def _single_character(where: str, key: str, value: str | None) -> str | None:
    if value is not None and len(value) != 1:
        raise ProfileError(f'{where}: {key} {value!r} must be one character, such as ";" or "\\t"')
    return value


def _encoding(where: str, value: str) -> str:
    try:
        return codecs.lookup(value).name
    except LookupError:
        raise ProfileError(
            f"{where}: encoding {value!r} is unknown; use a Python codec name such as cp1252"
        ) from None


def _sheet(where: str, value: str | int | None) -> str | int | None:
    if isinstance(value, int) and value < 1:
        raise ProfileError(f"{where}: sheet {value} must be a sheet name or a position from 1")
    return value


def _skip_rows(where: str, value: int) -> int:
    if value < 0:
        raise ProfileError(f"{where}: skip_rows {value} must be 0 or more")
    return value


def _date_format(where: str, value: str) -> str:
    problem = check_date_format(value)
    if problem:
        raise ProfileError(f"{where}: date_format {value!r} {problem}")
    return value


def _values(where: str, value: Any, allowed: frozenset[str]) -> dict[str, dict[str, str]]:
    if not isinstance(value, Mapping):
        raise ProfileError(
            f"{where}: values must hold one table per field, such as [profiles.NAME.values.kind]"
        )
    _check_keys(where, value, sorted(allowed), "values")
    result: dict[str, dict[str, str]] = {}
    for name, codes in value.items():
        if not isinstance(codes, Mapping) or not codes:
            raise ProfileError(f"{where}: values.{name} must be a table of code = value")
        result[name] = {
            str(code): _scalar_text(where, f"values.{name}.{code}", item) for code, item in codes.items()
        }
    return result


def _kind(where: str, key: str, value: Any, allowed: frozenset[DocumentKind], role: str) -> DocumentKind:
    if value not in {kind.value for kind in allowed}:
        choices = ", ".join(sorted(kind.value for kind in allowed))
        raise ProfileError(f"{where}: {key} {value!r} must be a {role} kind: {choices}")
    return DocumentKind(value)


def _kind_from_sign(where: str, value: Any) -> tuple[DocumentKind, DocumentKind] | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise ProfileError(f"{where}: kind_from_sign must be a table with positive and negative")
    _check_keys(where, value, ["positive", "negative"], "kind_from_sign")
    positive = _kind(where, "kind_from_sign.positive", value.get("positive"), DEBIT_KINDS, "debit")
    negative = _kind(where, "kind_from_sign.negative", value.get("negative"), CREDIT_KINDS, "credit")
    return positive, negative


def _settlement(where: str, value: Any) -> Settlement | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise ProfileError(f"{where}: settlement must be a table with at least date")
    _check_keys(where, value, ["date", "kind", "number", "amount"], "settlement")
    date_column = value.get("date")
    if not isinstance(date_column, str) or not date_column.strip():
        raise ProfileError(f"{where}: settlement.date must name the column with the settlement date")
    kind = _kind(where, "settlement.kind", value.get("kind", "payment"), CREDIT_KINDS, "credit")
    number, amount = value.get("number"), value.get("amount")
    for key, item in (("number", number), ("amount", amount)):
        if item is not None and (not isinstance(item, str) or not item.strip()):
            raise ProfileError(f"{where}: settlement.{key} must be a non-empty string")
    if number is not None:
        _check_template(where, "settlement.number", number)
    return Settlement(date_column, kind, number, amount)


def _check_combination(where: str, profile: Profile) -> None:
    if profile.decimal_separator == profile.thousands_separator:
        raise ProfileError(f"{where}: decimal_separator and thousands_separator must differ")
    documents_only = {
        "settlement": profile.settlement is not None,
        "customers_from_rows": profile.customers_from_rows,
        "kind_from_sign": profile.kind_from_sign is not None,
    }
    for key, used in documents_only.items():
        if used and profile.record_type not in (None, RecordType.DOCUMENTS):
            raise ProfileError(f'{where}: {key} needs record_type = "documents", not {profile.record_type}')


def _profiles_table(document: Mapping[str, Any], source: str) -> Mapping[str, Any]:
    table = document.get("profiles", {})
    if not isinstance(table, Mapping):
        raise ProfileError(f"{source}: 'profiles' must be a table of [profiles.NAME] tables")
    return table


def builtin_profiles() -> dict[str, Profile]:
    """Parse the profiles shipped in ``receivables/importers/profiles.toml``."""
    text = resources.files("receivables.importers").joinpath("profiles.toml").read_text(encoding="utf-8")
    table = _profiles_table(tomllib.loads(text), "built-in profiles.toml")
    return {name: parse_profile(name, body, "built-in") for name, body in table.items()}


def read_profiles_file(path: Path) -> dict[str, Profile]:
    """Parse the ``[profiles.NAME]`` tables of a TOML file."""
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ProfileError(f"profiles file {path} cannot be read: {error.strerror or error}") from error
    except tomllib.TOMLDecodeError as error:
        raise ProfileError(f"profiles file {path} is not valid TOML: {error}") from error
    table = _profiles_table(document, str(path))
    return {name: parse_profile(name, body, str(path)) for name, body in table.items()}


def load_profiles(settings: Settings) -> dict[str, Profile]:
    """Load every profile: built-in, then the config file's, then ``profiles_file``'s; later ones win."""
    profiles = builtin_profiles()
    config_source = str(settings.config_file) if settings.config_file else "config"
    layers = [{name: parse_profile(name, body, config_source) for name, body in settings.profiles.items()}]
    if settings.profiles_file is not None:
        layers.append(read_profiles_file(settings.profiles_file))
    for layer in layers:
        for name, profile in layer.items():
            if name in profiles:
                log.info(
                    "profile %s from %s replaces the one from %s", name, profile.source, profiles[name].source
                )
            profiles[name] = profile
    return profiles


def find_profile(name: str | None, settings: Settings) -> Profile:
    """Return the profile called ``name`` (the generic layout when ``None``); raise if it is unknown."""
    profiles = load_profiles(settings)
    key = name or GENERIC
    if key not in profiles:
        raise ProfileError(f"profile {key!r} not found; available profiles: {', '.join(sorted(profiles))}")
    return profiles[key]
