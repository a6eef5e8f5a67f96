"""Warehouses the dashboard tests open: the hand-made marts ward (the demo ward is tests/conftest.py's)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "warehouse"))

from marts_ward import marts_ward_once, private_copy


@pytest.fixture(scope="session")
def fixture_ward_home(tmp_path_factory) -> Path:
    return marts_ward_once(tmp_path_factory, tmp_path_factory.mktemp("dash-fixture") / "home")


@pytest.fixture
def ward(fixture_ward_home, tmp_path) -> Path:
    """A private copy of the fixture ward, for a test that sends files or changes settings."""
    return private_copy(fixture_ward_home, tmp_path / "home")


@pytest.fixture(scope="session")
def city_view(fixture_ward_home, tmp_path_factory) -> dict:
    """The three-ward fixture city (tests/warehouse/city_ward.py), refreshed: {'store', 'marts', 'homes',
    'root'}; the city's own accounts live in 'marts' (the folder `dothixanh city serve --city` names)."""
    from city_ward import build_city

    from warehouse.city.refresh import refresh_city

    city = build_city(fixture_ward_home, tmp_path_factory.mktemp("city-view"))
    city["marts"] = city["root"] / "marts"
    refresh_city(city["store"], city["marts"])
    return city
