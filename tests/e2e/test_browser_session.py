"""Signed in until signed out or idle (issue 10, item 9), in a real browser at 1366 and 390 px.

The server keeps each session (warehouse/sessions.py); the browser holds only a signed, HttpOnly,
SameSite=Strict cookie whose expiry follows the idle timeout. A reload or a new tab of the same
browser stays signed in; signing out ends the session in every tab; an idle session ends on the
server, whatever cookie the browser still sends. The idle case runs on a server of its own whose
timeout is a few seconds (DOTHIXANH_SESSION_SECONDS); the test waits for the expiry the server
recorded, polling, then checks.
"""

from __future__ import annotations

import time

import pytest
from conftest import LEADER, PATIENCE, SESSION_COOKIE, _context, _signed_in, _tab, serving

from warehouse.sessions import DEFAULT_IDLE_MINUTES, Sessions

SIZES = {"1366": {"width": 1366, "height": 900}, "390": {"width": 390, "height": 844}}
SHORT_IDLE = 15  # seconds: long enough to sign in on a busy machine, short enough to wait for


def _cookie(context, timeout: float = PATIENCE) -> dict:
    """The session cookie once the browser has it (polled)."""
    deadline = time.monotonic() + timeout
    while True:
        found = [c for c in context.cookies() if c["name"] == SESSION_COOKIE]
        if found:
            return found[0]
        assert time.monotonic() < deadline, "the browser never got the session cookie"
        time.sleep(0.1)


def _no_cookie(context, timeout: float = PATIENCE) -> None:
    deadline = time.monotonic() + timeout
    while any(c["name"] == SESSION_COOKIE for c in context.cookies()):
        assert time.monotonic() < deadline, "the session cookie is still there"
        time.sleep(0.1)


def _notice(tab) -> str:
    return " ".join(tab.page.locator('[data-testid="stAlert"]').all_inner_texts())


def _reload(tab):
    finished = tab.runs_finished
    tab.page.reload()
    tab.page.wait_for_selector('[data-testid="stApp"]')
    tab._wait_server(finished, PATIENCE)
    tab.wait_idle()
    return tab


@pytest.fixture(params=list(SIZES), ids=lambda size: f"{size}px")
def browser_window(request, browser):
    """A browser of its own (its own cookies) at that width."""
    context = _context(browser, SIZES[request.param])
    yield request.param, context
    context.close()


def test_reload_and_new_tab_stay_signed_in(browser_window, server):
    size, context = browser_window
    tab = _signed_in(context, server)
    cookie = _cookie(context)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/"
    lifetime = cookie["expires"] - time.time()
    assert 0 < lifetime <= DEFAULT_IDLE_MINUTES * 60 + 5, lifetime  # it expires with the idle timeout
    assert SESSION_COOKIE not in tab.page.evaluate("document.cookie")  # scripts cannot read it

    _reload(tab)
    tab.assert_no_error()
    assert tab.title() == "Tổng quan phường", tab.title()
    assert LEADER["username"] in tab.page.locator('[data-testid="stSidebar"]').inner_text()
    tab.screenshot(f"phien-tai-lai-{size}")

    other = _tab(context, server, signed_out=False).load("/to-dan-pho", group="TDP02")
    other.assert_no_error()
    assert other.title() == "Tổ dân phố số 2 (TDP02)", other.title()
    other.screenshot(f"phien-the-moi-{size}")


def test_signing_out_ends_the_session_in_every_tab(browser_window, server):
    size, context = browser_window
    first = _signed_in(context, server)
    old = _cookie(context)
    second = _tab(context, server, signed_out=False).load("/tong-quan")
    assert second.title() == "Tổng quan phường"

    if size == "390":  # the sidebar is folded away on a phone: open it as a user would
        first.page.locator('[data-testid="stExpandSidebarButton"]').click()
    first.rerun_after(lambda: first.page.locator(".st-key-logout button").click())
    assert first.title() == "Đăng nhập"
    assert "Bạn đã đăng xuất" in _notice(first)
    _no_cookie(context)
    first.screenshot(f"phien-dang-xuat-{size}")

    # The other tab still has its connection; its next step finds the session over.
    second.open("/to-dan-pho", group="TDP02")
    assert second.title() == "Đăng nhập"
    assert "đã kết thúc" in _notice(second)

    # The old cookie, sent again, opens nothing: the server revoked the session.
    context.add_cookies([{**old, "expires": time.time() + 3600}])
    again = _tab(context, server, signed_out=False).load("/tong-quan")
    assert again.title() == "Đăng nhập"


@pytest.fixture(scope="module")
def short_idle_server(ward_home, tmp_path_factory):
    """The same ward served with an idle timeout of a few seconds."""
    log = tmp_path_factory.mktemp("e2e-short-idle") / "streamlit.log"
    with serving(ward_home, log, DOTHIXANH_SESSION_SECONDS=str(SHORT_IDLE)) as url:
        yield url


def test_an_idle_session_ends_on_the_server(browser_window, short_idle_server, ward_home):
    size, context = browser_window
    given: list = []  # the server's answer that set the cookie (the browser drops it after SHORT_IDLE s)
    context.on("response", lambda r: r.url.endswith("/auth/session") and given.append(r))
    tab = _signed_in(context, short_idle_server)
    deadline = time.monotonic() + PATIENCE
    while not given:
        assert time.monotonic() < deadline, "the server never set the session cookie"
        tab.page.wait_for_timeout(100)
    set_cookie = given[0].all_headers()["set-cookie"]
    attributes = [part.strip().lower() for part in set_cookie.split(";")]
    assert "httponly" in attributes and "samesite=strict" in attributes
    assert f"max-age={SHORT_IDLE}" in attributes  # the browser forgets it with the idle timeout
    value = set_cookie.split(";")[0].split("=", 1)[1]
    store = Sessions(ward_home)
    session_id = store.session_of_cookie(value)
    assert session_id is not None
    cookie = {"name": SESSION_COOKIE, "value": value, "url": short_idle_server, "sameSite": "Strict"}

    # Wait (polling the server's own record) until the session has been idle past its timeout.
    deadline = time.monotonic() + PATIENCE
    while (ends := store.ends_at(session_id, SHORT_IDLE)) is not None and time.time() <= ends + 1:
        assert time.monotonic() < deadline, "the session never reached its idle timeout"
        time.sleep(0.2)

    tab.open("/to-dan-pho", group="TDP02")  # the open tab's next step
    assert tab.title() == "Đăng nhập"
    assert "hết hạn" in _notice(tab)
    tab.screenshot(f"phien-het-han-{size}")

    # A reload with the cookie still there (as if the browser kept it) is refused by the server too.
    context.add_cookies([{**cookie, "expires": time.time() + 3600, "httpOnly": True}])
    reloaded = _tab(context, short_idle_server, signed_out=False).load("/tong-quan")
    assert reloaded.title() == "Đăng nhập"
    assert "hết hạn" in _notice(reloaded)
