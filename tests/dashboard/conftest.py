"""Warehouses the dashboard tests open: the hand-made marts ward and a small demo ward."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "warehouse"))

from marts_ward import build_marts_ward

from warehouse.store import Warehouse


@pytest.fixture(scope="session")
def fixture_ward_home(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("dash-fixture") / "home"
    build_marts_ward(home)
    return home


@pytest.fixture(scope="session")
def demo_ward_home(tmp_path_factory) -> Path:
    """The demo ward through 31/08/2026 (four months: enough for every page, quick to build)."""
    from pipelines.demo import build_demo

    home = tmp_path_factory.mktemp("dash-demo") / "home"
    build_demo(Warehouse(home), until=dt.date(2026, 8, 31))
    return home
