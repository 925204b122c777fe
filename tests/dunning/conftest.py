"""Fixtures of the collections tests: a scenario book on a fresh database and the settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from dunning_book import Book, collection_settings

from receivables.domain.money import Currency
from receivables.dunning.config import CollectionSettings

EUR = Currency.of("EUR")


@pytest.fixture
def book(engine, tmp_path: Path) -> Book:
    return Book(engine, tmp_path)


@pytest.fixture
def settings(tmp_path: Path) -> CollectionSettings:
    return collection_settings(tmp_path)
