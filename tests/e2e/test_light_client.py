"""The light client of the capacity benchmark (benchmarks/st_client.py) against the real server: it must
sign in and open pages as a browser tab does, or the benchmark's 25 sessions would measure nothing."""

from __future__ import annotations

import asyncio
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.st_client import Session


def _kinds(run) -> set[str]:
    return {e.WhichOneof("type") for e in run.elements}


def _html(run) -> str:
    return "\n".join(e.html.body for e in run.elements if e.HasField("html"))


def test_a_light_session_signs_in_and_opens_the_pages_a_tab_would(server, people):
    leader = people["leader"]

    async def browse():
        async with Session(server, timeout=120) as session:
            login = await session.open("/")
            wrong = await session.submit({"Tên đăng nhập": leader["username"], "Mật khẩu": "sai-mật-khẩu"})
            overview = await session.submit(
                {"Tên đăng nhập": leader["username"], "Mật khẩu": leader["password"]}
            )
            scorecard = await session.goto("/bang-diem")
            indicator = await session.goto("/chi-tieu")
            return session, login, wrong, overview, scorecard, indicator

    # A thread of its own: Playwright's sync API, when another test of this worker has started it, holds
    # this thread's event loop, and asyncio.run refuses to start a second one in it.
    with ThreadPoolExecutor(1) as thread:
        session, login, wrong, overview, scorecard, indicator = thread.submit(asyncio.run, browse()).result()
    assert "text_input" in _kinds(login) and 'class="dtx-card"' not in _html(login)
    # A wrong password: the form again and its message, nothing of the dashboard.
    assert "text_input" in _kinds(wrong) and 'class="dtx-card"' not in _html(wrong)
    assert any(
        "Sai tên đăng nhập hoặc mật khẩu" in e.alert.body for e in wrong.elements if e.HasField("alert")
    )
    # The right one: the overview's cards in the same run, then the other pages by their addresses.
    assert _html(overview).count('<div class="dtx-card">') >= 3 and "text_input" not in _kinds(overview)
    assert {"bang-diem", "chi-tieu"} <= set(session.pages)
    assert "dataframe" in _kinds(scorecard)
    assert "indicator=" in session.query  # the indicator page put its parameters in the address
    assert not (login.errors or overview.errors or scorecard.errors or indicator.errors)
    assert session.received > 50_000
