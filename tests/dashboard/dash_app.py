"""Opening the dashboard in tests (a module of its own: test files import it by a unique name)."""

from __future__ import annotations

from pathlib import Path

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")


def open_app(
    home: Path, monkeypatch, *, role: str | None = "leader", unit: str | None = None, **query_params
):
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
