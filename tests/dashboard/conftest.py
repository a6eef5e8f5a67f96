"""Warehouses the dashboard tests open: the hand-made marts ward and a small demo ward."""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "warehouse"))

from marts_ward import build_marts_ward, private_copy

from warehouse.store import Warehouse


@pytest.fixture(scope="session")
def fixture_ward_home(tmp_path_factory) -> Path:
    return build_marts_ward(tmp_path_factory.mktemp("dash-fixture") / "home").home


@pytest.fixture
def ward(fixture_ward_home, tmp_path) -> Path:
    """A private copy of the fixture ward, for a test that sends files or changes settings."""
    return private_copy(fixture_ward_home, tmp_path / "home")


@pytest.fixture(scope="session")
def demo_ward_home(tmp_path_factory) -> Path:
    """The demo ward through 31/08/2026 (four months: enough for every page, quick to build).

    Built once for the whole run, whichever test process (pytest-xdist) needs it first, under a file
    lock in the run's shared temporary folder; each process then works on its own copy."""
    from pipelines.demo import build_demo

    home = tmp_path_factory.mktemp("dash-demo") / "home"
    if not os.environ.get("PYTEST_XDIST_WORKER"):  # one test process: nothing to share
        build_demo(Warehouse(home), until=dt.date(2026, 8, 31))
        return home
    shared = tmp_path_factory.getbasetemp().parent / "shared-dash-demo"
    shared.mkdir(exist_ok=True)
    with open(shared / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the others wait here while the first one builds
        built = shared / "home"
        if not (shared / "done").exists():
            shutil.rmtree(built, ignore_errors=True)
            build_demo(Warehouse(built), until=dt.date(2026, 8, 31))
            (shared / "done").touch()
    shutil.copytree(built, home, symlinks=True)  # snapshot.duckdb is a relative link
    return home


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
