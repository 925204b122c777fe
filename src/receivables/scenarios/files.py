"""Reading a scenario file: TOML, checked field by field before anything is computed."""

from __future__ import annotations

import tomllib
from pathlib import Path

from receivables.domain.scenarios import Scenario, ScenarioFileError, parse_scenario


def read_scenario(path: Path) -> Scenario:
    """Read and check the scenario in ``path``; raise :class:`ScenarioFileError` naming file and field."""
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioFileError(source, "", "the file does not exist") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ScenarioFileError(source, "", f"cannot be read as UTF-8 text: {error}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ScenarioFileError(source, "", f"is not valid TOML: {error}") from None
    return parse_scenario(data, source)
