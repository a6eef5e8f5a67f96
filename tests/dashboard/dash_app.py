"""Opening the dashboard in tests (a module of its own: test files import it by a unique name)."""

from __future__ import annotations

import html
import os
import re
import urllib.parse
from pathlib import Path

import duckdb

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
# Seconds one script run of a page may take before AppTest calls it a failure (AppTest's own default
# is 3 s). A page imports Great Expectations, runs queries and draws charts: seconds on a quiet machine,
# many more with both cores busy. Only a hung page reaches this.
PATIENCE = 300


def open_app(
    home: Path, monkeypatch, *, role: str | None = "leader", unit: str | None = None, **query_params
):
    """The dashboard as a browser session would open it, on the warehouse in `home`.

    With `role`, the session is already logged in as a user of that role (the login form itself
    is tested in test_accounts.py); with role=None it is not logged in.
    """
    monkeypatch.setenv("DOTHIXANH_HOME", str(home))
    # Analysts' queries run in a worker process that a busy machine is slow to start: a generous limit
    # unless the test chose one (the time limit itself is tested with a query that never ends).
    if "DOTHIXANH_SQL_TIMEOUT" not in os.environ:
        monkeypatch.setenv("DOTHIXANH_SQL_TIMEOUT", "300")
    return app_session(APP, role=role, unit=unit, **query_params)


def app_session(app: str, *, role: str | None, unit: str | None = None, **query_params):
    """An AppTest of the app at `app` with the address's `query_params`, signed in with an account of
    `role` (of `unit`), or not signed in with role=None. The environment is the caller's to set."""
    import datetime as dt

    from streamlit.testing.v1 import AppTest

    from warehouse.accounts import User

    at = AppTest.from_file(app, default_timeout=PATIENCE)
    for key, value in query_params.items():
        at.query_params[key] = value
    if role:
        at.session_state["user"] = User(f"test-{role}", role, unit, None)
        at.session_state["expires_at"] = dt.datetime.now() + dt.timedelta(hours=1)
    return at


def snapshot_query(home: Path, sql: str, params: list | None = None, *, frame: bool = False):
    """A query on the ward's published snapshot (what the pages read), opened read-only: its rows, or
    a Polars frame with `frame`."""
    con = duckdb.connect(str((home / "snapshot.duckdb").resolve()), read_only=True)
    try:
        result = con.sql(sql, params=params or [])
        return result.pl() if frame else result.fetchall()
    finally:
        con.close()


def log_in(at, username: str, password: str):
    """Sign in on the login page as a person would: name, password, the button."""
    at.text_input(key="login_username").input(username)
    at.text_input(key="login_password").input(password)
    at.button(key="login_submit").click().run()
    return at


CARD_FIGURE = re.compile(r'<div class="dtx-card-unit">(.*?)</div><div class="dtx-card-value">(.*?)</div>')
CARD_SPARK = re.compile(r'src="data:image/svg\+xml,([^"]*)"')


def cards(at) -> list[str]:
    """The HTML of each indicator card on the page (dashboard/cards.py), in order."""
    return [h.value for h in at.html if h.value.startswith('<div class="dtx-card">')]


def card_text(at) -> str:
    """What the cards say, as text (their HTML's tags taken out, entities read)."""
    return "\n".join(html.unescape(re.sub(r"<[^>]+>", " ", c)) for c in cards(at))


def card_figures(at) -> list[str]:
    """Each card's big number followed by the unit it names above it: «5,2 vụ/1.000 dân»."""
    return [
        f"{html.unescape(value)} {html.unescape(unit)}"
        for c in cards(at)
        for unit, value in CARD_FIGURE.findall(c)
    ]


def card_sparks(at) -> list[str]:
    """The SVG of each card's small trend (the picture's address holds it)."""
    return [urllib.parse.unquote(m) for c in cards(at) for m in CARD_SPARK.findall(c)]
