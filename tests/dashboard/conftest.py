"""Warehouses the dashboard tests open: the hand-made marts ward and a small demo ward."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "warehouse"))

from marts_ward import build_marts_ward

from warehouse.store import Warehouse

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")


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


def open_app(home: Path, monkeypatch, *, role: str | None = "leader", unit: str | None = None, **query_params):
    """The dashboard as a browser session would open it, on the warehouse in `home`.

    With `role`, the session is already logged in as a user of that role (the login form itself
    is tested in test_accounts.py); with role=None it is not logged in.
    """
    import datetime as dt

    from streamlit.testing.v1 import AppTest

    from warehouse.accounts import User

    monkeypatch.setenv("DOTHIXANH_HOME", str(home))
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query_params.items():
        at.query_params[key] = value
    if role:
        at.session_state["user"] = User(f"test-{role}", role, unit, None)
        at.session_state["expires_at"] = dt.datetime.now() + dt.timedelta(hours=1)
    return at
