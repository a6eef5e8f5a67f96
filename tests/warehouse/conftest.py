"""Fixtures for the marts tests: the hand-made ward of tests/fixtures/marts/ (see marts_ward.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from marts_ward import marts_ward_once, private_copy

from warehouse.store import Warehouse


@pytest.fixture(scope="session")
def marts_ward_home(tmp_path_factory) -> Path:
    """The fixture ward, fully loaded (built once per run; tests that change it work on a copy)."""
    return marts_ward_once(tmp_path_factory, tmp_path_factory.mktemp("marts-ward") / "home")


@pytest.fixture
def marts_ward(marts_ward_home) -> Warehouse:
    """The loaded fixture ward, read-only use."""
    return Warehouse(marts_ward_home)


@pytest.fixture
def marts_ward_copy(marts_ward_home, tmp_path) -> Callable[[], Warehouse]:
    """A private copy of the loaded fixture ward, for tests that load more or change settings."""

    def make() -> Warehouse:
        return Warehouse(private_copy(marts_ward_home, tmp_path / "home"))

    return make


@pytest.fixture(scope="session")
def city(marts_ward_home, tmp_path_factory) -> dict:
    """The three-ward fixture city (city_ward.py): {'store': Path, 'homes': {code: Path}, 'root': Path}."""
    from city_ward import build_city

    return build_city(marts_ward_home, tmp_path_factory.mktemp("city"))
